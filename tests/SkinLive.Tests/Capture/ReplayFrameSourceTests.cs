using System.Diagnostics;
using SkinLive.Capture;
using SkinLive.Capture.Synthetic;
using SkinLive.Frames;

namespace SkinLive.Tests.Capture;

public sealed class ReplayFrameSourceTests
{
    [Fact]
    public void On_demand_replay_delivers_every_frame_in_order_cycling_through_the_replay_then_ends()
    {
        FrameReplay replay = Numbered(5);
        using var source = new ReplayFrameSource(replay, 12, fps: 0);
        List<(long Id, Frame Frame)> taken = TakeAll(source, 12);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), taken.Select(t => t.Id));
        for (int i = 0; i < taken.Count; i++)
        {
            Assert.Same(replay[i % 5], taken[i].Frame);
        }

        Assert.Equal(0, source.Mailbox.Dropped);
        WaitFor(() => source.Status == SourceStatus.Ended);
        Assert.Equal(12, source.FramesCaptured);
    }

    [Fact]
    public void Paced_replay_never_delivers_a_frame_before_its_time()
    {
        const double Fps = 50;
        using var source = new ReplayFrameSource(Numbered(3), 10, Fps);
        long started = Stopwatch.GetTimestamp();
        List<(long Id, Frame Frame)> taken = TakeAll(source, 10);
        long first = taken[0].Frame.CaptureTimestamp;
        // Frames may be replaced when the consumer is slow, but none comes early: frame i is due i / fps after the first.
        long[] ids = [.. taken.Select(t => t.Id)];
        Assert.Equal(9, ids[^1]);
        Assert.True(first >= started);
        Assert.True(Stopwatch.GetElapsedTime(started).TotalSeconds >= 9 / Fps);
        Assert.Equal(ids.Order(), ids);
    }

    [Fact]
    public void Synthetic_replay_encodes_the_asked_format_and_frames_move()
    {
        FrameReplay replay = FrameReplay.Synthetic(new SyntheticOptions { Width = 64, Height = 48 }, PixelFormat.Nv12, 3);
        Assert.Equal((3, PixelFormat.Nv12, 64, 48), (replay.Count, replay.Format, replay.Width, replay.Height));
        Assert.Equal(PixelFormats.FrameBytes(PixelFormat.Nv12, 64, 48), replay[0].Length);
        Assert.Equal(ColorSpec.Bt601Limited, replay[0].Color);
        Assert.False(replay[0].ReadOnlyData.SequenceEqual(replay[2].ReadOnlyData), "the scene does not move between frames");
        Assert.True(replay[0].Truth.HasLesion);
    }

    /// <summary>RGBA frames filled with their index, so a test can tell them apart.</summary>
    private static FrameReplay Numbered(int count)
    {
        var frames = new List<Frame>();
        for (int i = 0; i < count; i++)
        {
            Frame frame = Frame.Create(PixelFormat.Rgba8, 4, 2);
            frame.Data.Fill((byte)i);
            frames.Add(frame);
        }

        return new FrameReplay(frames);
    }

    /// <summary>Takes frames (sleeping on the mailbox's post signal) until the one with id <paramref name="count"/> − 1 arrives.</summary>
    private static List<(long Id, Frame Frame)> TakeAll(ReplayFrameSource source, int count)
    {
        using var posted = new ManualResetEventSlim(false);
        source.Mailbox.PostedSignal = posted;
        source.Start();
        var taken = new List<(long, Frame)>();
        var guard = Stopwatch.StartNew();
        while (taken.Count == 0 || taken[^1].Item1 < count - 1)
        {
            Assert.True(guard.Elapsed < TimeSpan.FromSeconds(30), "the replay stopped delivering");
            posted.Reset();
            if (source.Mailbox.TryTake() is { } frame)
            {
                taken.Add((frame.Id, frame));
                frame.Release();
            }
            else
            {
                posted.Wait(TimeSpan.FromMilliseconds(100));
            }
        }

        return taken;
    }

    private static void WaitFor(Func<bool> condition)
    {
        var guard = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(guard.Elapsed < TimeSpan.FromSeconds(10), "the condition never became true");
            Thread.Sleep(5);
        }
    }
}
