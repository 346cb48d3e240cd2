using System.Diagnostics;
using System.Globalization;
using SkinLive.Capture;
using SkinLive.Capture.Synthetic;
using SkinLive.Frames;

namespace SkinLive.Bench.Commands;

/// <summary>
/// <c>skinlive-bench synthetic [--seconds S] [QUERY]</c>: runs the synthetic dermatoscope unpaced on its own
/// thread, with a consumer that takes and releases every frame, and reports frames/s, the per-frame cost, the time
/// to draw a scene and the bytes allocated per frame. QUERY is the synthetic source's option string
/// (e.g. <c>class=mel,size=1280x720,format=yuyv</c>); fps is forced to unpaced and lesion switching off.
/// </summary>
public static class BenchSyntheticCommand
{
    public const string Usage = "usage: skinlive-bench synthetic [--seconds S] [class=mel,size=1280x720,format=rgba|yuyv,vignette=1,hair=1]";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        double seconds = 5;
        string query = "";
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds")
            {
                if (i + 1 >= args.Length || !double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out seconds) || seconds is <= 0 or > 3600)
                {
                    throw new UsageException("--seconds needs a number of seconds in (0, 3600].");
                }
            }
            else if (args[i] is "-h" or "--help")
            {
                stdout.WriteLine(Usage);
                return 0;
            }
            else
            {
                query = args[i];
            }
        }

        SyntheticOptions options;
        try
        {
            options = SyntheticOptions.Parse(query) with { Fps = 0, SwitchSeconds = 0 };
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }

        using var source = new SyntheticDermatoscopeSource(options);
        var clock = Stopwatch.StartNew();
        source.Start();
        Frame? first = null;
        while (first is null && source.Status == SourceStatus.Running)
        {
            first = source.Mailbox.TryTake();
            if (first is null)
            {
                Thread.Sleep(1);
            }
        }

        if (first is null)
        {
            stderr.WriteLine($"skinlive-bench synthetic: the source stopped: {source.StatusMessage}");
            return 1;
        }

        double sceneMilliseconds = clock.Elapsed.TotalMilliseconds;
        first.Release();

        // The consumer polls gently so the capture thread has a core to itself; frames it misses are replaced in
        // the mailbox (latest wins) and still count as produced.
        using var process = Process.GetCurrentProcess();
        long startFrames = source.FramesCaptured;
        long startBytes = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan startCpu = process.TotalProcessorTime;
        clock.Restart();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            source.Mailbox.TryTake()?.Release();
            Thread.Sleep(1);
        }

        long frames = source.FramesCaptured - startFrames;
        double elapsed = clock.Elapsed.TotalSeconds;
        long bytes = GC.GetTotalAllocatedBytes(precise: true) - startBytes;
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - startCpu).TotalSeconds;
        source.Stop();

        stdout.WriteLine($"synthetic source {options.Width}x{options.Height} {options.PixelFormat}, {source.Description}");
        stdout.WriteLine($"  scene drawn (first frame) in {sceneMilliseconds:F0} ms");
        stdout.WriteLine($"  {frames} frames in {elapsed:F2} s: {frames / elapsed:F1} frames/s, {1000 * elapsed / Math.Max(frames, 1):F3} ms/frame (one capture thread)");
        stdout.WriteLine($"  process CPU time: {1000 * cpuSeconds / Math.Max(frames, 1):F3} ms/frame (a CPU-bound source costs this much of one core per frame)");
        stdout.WriteLine($"  managed allocation: {bytes / (double)Math.Max(frames, 1):F1} bytes/frame (whole process)");
        stdout.WriteLine($"  {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        return 0;
    }
}
