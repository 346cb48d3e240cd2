using System.Diagnostics;
using System.Text.RegularExpressions;
using SkinLive.Tests.Capture;

namespace SkinLive.Tests.App;

/// <summary>The built app as a child process: signals end it cleanly; a crash says what and where.</summary>
public sealed partial class ShutdownTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Signal_finishes_the_recording_reaps_ffmpeg_flushes_the_trace_and_exits_0(string signal)
    {
        using var folder = new TempFolder();
        string clip = folder.File("clip.mp4"), video = folder.File("out.mp4"), trace = folder.File("trace.jsonl"), profile = folder.File("profile");
        CaptureTestSupport.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30", "-frames:v", "60", "-pix_fmt", "yuv420p", clip);
        using Process app = Start(["run", "--headless", "--source", $"file:{clip}?loop", "--window", "160x120", "--seconds", "120",
            "--record", video, "--trace", trace, "--profile", profile]);
        Task<string> stdout = app.StandardOutput.ReadToEndAsync();
        Task<string> stderr = app.StandardError.ReadToEndAsync();

        CaptureTestSupport.WaitUntil(() => app.HasExited || (File.Exists(trace) && LineCount(trace) >= 30), "the app to show 30 frames");
        int[] children = ChildrenNamed(app.Id, "ffmpeg");
        Assert.True(children.Length == 2, $"expected the source's and the recorder's ffmpeg, found {children.Length}");
        CaptureTestSupport.RunTool("kill", "procps", $"-{signal}", app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(app.WaitForExit(TimeSpan.FromSeconds(30)), "the app did not exit after the signal");
        string output = await stdout, errors = await stderr;

        Assert.True(app.ExitCode == 0, $"exit {app.ExitCode}: {errors}");
        Match recorded = RecordedFrames().Match(output);
        Assert.True(recorded.Success, output);
        int frames = int.Parse(recorded.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(frames >= 30, $"only {frames} frames recorded");
        string probed = CaptureTestSupport.RunTool("ffprobe", "ffmpeg", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", video);
        Assert.Equal(frames, int.Parse(probed.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(children, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"ffmpeg {pid} outlived the app"));
        Match rendered = RenderedFrames().Match(output);
        Assert.True(rendered.Success, output);
        Assert.Equal(int.Parse(rendered.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), LineCount(trace));
        Assert.True(File.Exists(Path.Combine(profile, "summary.json")) && File.Exists(Path.Combine(profile, "health.csv")));
    }

    [Fact]
    public void Render_thread_crash_in_CLI_mode_is_one_sentence_naming_thread_and_exception_and_exit_1()
    {
        (int code, string stdout, string stderr) = SkinliveProcess.Run(
            ["run", "--headless", "--source", "testpattern:size=160x120", "--window", "160x120", "--frames", "40", "--inject-fault", "render-throw@10", "--trace", "/dev/null"]);
        Assert.Equal(1, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("crashed", StringComparison.Ordinal));
        Assert.Contains("on thread 'render': InvalidOperationException: injected fault at displayed frame 10 (at SkinLive.App.Live.RenderFaultDrill.OnFrame)", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr + stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_thread_crash_in_kiosk_mode_is_logged_and_the_pipeline_restarts()
    {
        using var folder = new TempFolder();
        string trace = folder.File("trace.jsonl");
        (int code, string stdout, string stderr) = SkinliveProcess.Run(
            ["run", "--headless", "--kiosk", "--source", "testpattern:size=160x120", "--window", "160x120", "--frames", "40", "--inject-fault", "render-throw@10", "--trace", trace]);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains("crashed on thread 'render': InvalidOperationException", stderr, StringComparison.Ordinal);
        Assert.Contains("restarting it", stderr, StringComparison.Ordinal);
        // The restarted pipeline ran its whole length and wrote its own trace.
        Assert.Equal(40, LineCount(trace));
    }

    private static Process Start(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "skinlive.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static int LineCount(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file);
        int lines = 0;
        while (reader.ReadLine() is not null)
        {
            lines++;
        }

        return lines;
    }

    /// <summary>Pids of the live children of <paramref name="parent"/> whose command is <paramref name="name"/>.</summary>
    private static int[] ChildrenNamed(int parent, string name) =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(d => int.TryParse(d, out _)).Select(int.Parse!).Where(pid =>
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                int close = stat.LastIndexOf(')');
                string comm = stat[(stat.IndexOf('(') + 1)..close];
                int ppid = int.Parse(stat[(close + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                return ppid == parent && comm == name;
            }
            catch (IOException)
            {
                return false;
            }
        }).ToArray();

    [GeneratedRegex(@"recording: .* \((\d+) frames, 0 lost\)")]
    private static partial Regex RecordedFrames();

    [GeneratedRegex(@"frames rendered: (\d+) in")]
    private static partial Regex RenderedFrames();
}
