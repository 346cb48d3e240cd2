using System.Diagnostics;

namespace SkinLive.App.Live;

/// <summary>
/// Logs render-loop stalls over a second (a hung driver, or a blocking call that slipped onto the render thread), from
/// its own thread: it only reads the host's frame counter, four times a second.
/// </summary>
public sealed class RenderWatchdog : IDisposable
{
    private readonly Func<long> _frames;
    private readonly Thread _thread;
    private volatile bool _running = true;

    /// <param name="frames">The host's count of finished frames.</param>
    public RenderWatchdog(Func<long> frames)
    {
        _frames = frames;
        _thread = new Thread(Watch) { IsBackground = true, Name = "watchdog" };
        _thread.Start();
    }

    public void Dispose()
    {
        _running = false;
        _thread.Join();
    }

    private void Watch()
    {
        long lastFrame = -1;
        long lastProgress = Stopwatch.GetTimestamp();
        bool reported = false;
        while (_running)
        {
            Thread.Sleep(250);
            long frame = _frames();
            long now = Stopwatch.GetTimestamp();
            if (frame != lastFrame)
            {
                lastFrame = frame;
                lastProgress = now;
                reported = false;
            }
            else if (!reported && Stopwatch.GetElapsedTime(lastProgress, now) > TimeSpan.FromSeconds(1))
            {
                Console.Error.WriteLine($"skinlive: watchdog: the render loop has not finished a frame for {Stopwatch.GetElapsedTime(lastProgress, now).TotalSeconds:0.0} s (frame {frame}).");
                reported = true;
            }
        }
    }
}
