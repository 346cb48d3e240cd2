using System.Diagnostics;
using SkinLive.Frames;

namespace SkinLive.Capture;

/// <summary>
/// Plays a <see cref="FrameReplay"/> as a camera: <c>frameCount</c> frames, cycling through the replay, each stamped
/// with a new id and its capture time when posted. At <c>fps</c> &gt; 0 frames are due on a fixed schedule (a
/// frame the consumer has not taken is replaced, as a camera's would be); at 0 the source delivers on demand: the
/// next frame is posted as soon as the consumer took the previous one, so an uncapped consumer never waits and
/// never misses a frame. Ends with <see cref="SourceStatus.Ended"/> after the last frame.
/// The replay's own frames are posted (no copy); a frame is posted again only after <see cref="FrameReplay.Count"/>
/// more frames, long after the consumer (which holds a frame only while uploading it) is done with it.
/// </summary>
public sealed class ReplayFrameSource : ThreadedFrameSource
{
    private readonly FrameReplay _replay;
    private readonly long _frameCount;
    private readonly double _fps;
    private readonly ManualResetEventSlim _taken = new(false);

    public ReplayFrameSource(FrameReplay replay, long frameCount, double fps)
        // The replay posts its own frames; the base class's pool is never rented from.
        : base(new FramePool(1, replay.Format, 1, 1))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(fps);
        _replay = replay;
        _frameCount = frameCount;
        _fps = fps;
        if (fps == 0)
        {
            Mailbox.TakenSignal = _taken;
        }
    }

    public override string Description =>
        $"replay of {_replay.Count} frames {_replay.Width}x{_replay.Height} {_replay.Format}, {_frameCount} frames {(_fps > 0 ? $"at {_fps:0.##} fps" : "on demand")}";

    public override double NominalFps => _fps;

    protected override void Run(CancellationToken stop)
    {
        // Registered once, so waiting allocates nothing per frame.
        using CancellationTokenRegistration wake = stop.Register(_taken.Set);
        long ticksPerFrame = _fps > 0 ? (long)(Stopwatch.Frequency / _fps) : 0;
        long start = Stopwatch.GetTimestamp();
        for (long index = 0; index < _frameCount; index++)
        {
            if (ticksPerFrame > 0)
            {
                if (WaitUntil(start + (index * ticksPerFrame), stop))
                {
                    return;
                }
            }

            _taken.Reset();
            Publish(_replay[(int)(index % _replay.Count)]);
            if (ticksPerFrame == 0)
            {
                _taken.Wait();
                if (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        SetStatus(SourceStatus.Ended, "The replay has delivered all its frames.");
    }

    protected override void DisposeResources() => _taken.Dispose();

    /// <summary>Sleeps until <paramref name="due"/> (the last half millisecond spun, for an even cadence); true when stopped.</summary>
    private static bool WaitUntil(long due, CancellationToken stop)
    {
        while (true)
        {
            long remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return stop.IsCancellationRequested;
            }

            double milliseconds = remaining * 1000.0 / Stopwatch.Frequency;
            if (milliseconds > 1.5)
            {
                if (stop.WaitHandle.WaitOne((int)(milliseconds - 1)))
                {
                    return true;
                }
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
