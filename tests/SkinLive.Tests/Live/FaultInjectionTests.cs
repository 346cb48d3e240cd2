using System.Diagnostics;
using SkinLive.App.Live;
using SkinLive.Capture;
using SkinLive.Faults;
using SkinLive.Frames;
using SkinLive.Inference.Runtime;
using SkinLive.Tensors;
using SkinLive.Tests.Capture;
using SkinLive.Tests.Inference;
using Xunit.Abstractions;

namespace SkinLive.Tests.Live;

/// <summary>
/// Each injected fault keeps the live view running, shows the right status, and recovers when the fault ends.
/// Recovery times are printed (for the fault table), never asserted: the assertion is that recovery happened.
/// </summary>
public sealed class FaultInjectionTests(ITestOutputHelper output)
{
    private const string Reconnecting = "Camera disconnected, reconnecting…";

    private static FaultInjectingSource Camera(string faults, int width = 160, int height = 120) =>
        new(new TestPatternSource(new FramePool(4, PixelFormat.Rgba8, width, height), width, height, PixelFormat.Rgba8, fps: 30), FaultPlan.Parse(faults), 4);

    [Fact]
    public void Disconnected_camera_shows_reconnecting_and_video_returns_when_it_comes_back()
    {
        using FaultInjectingSource source = Camera("disconnect@15+1s");
        (List<Seen> seen, _) = LiveHarness.Run(source, new LiveOptions { Kiosk = true }, s => s.Recovered(f => f.Status == Reconnecting) >= 0);

        int shown = seen.First(s => s.Status == Reconnecting && s.FullScreen == "Reconnecting camera…" && s.Source == SourceStatus.Disconnected);
        int back = seen.Recovered(s => s.Status == Reconnecting);
        Assert.True(shown >= 0, "the kiosk never showed the reconnect screen");
        Assert.True(back > shown, "video did not return after the camera came back");
        Assert.Null(seen[back].FullScreen);
        Report("disconnect", seen, shown, back);
    }

    [Fact]
    public void Stalled_camera_says_so_and_the_status_clears_when_frames_flow_again()
    {
        using FaultInjectingSource source = Camera("stall@15+2s");
        const string Stalled = "No new picture from the camera: it has stalled";
        (List<Seen> seen, _) = LiveHarness.Run(source, new LiveOptions(), s => s.Recovered(f => f.Status == Stalled) >= 0);

        int shown = seen.First(s => s.Status == Stalled && s.Source == SourceStatus.Running);
        int back = seen.Recovered(s => s.Status == Stalled);
        Assert.True(shown >= 0, "a stall never showed");
        Assert.True(back > shown, "the stall status never cleared");
        Report("stall", seen, shown, back);
    }

    [Fact]
    public void Camera_that_throws_shows_the_failure_and_the_kiosk_restarts_it()
    {
        using FaultInjectingSource source = Camera("source-throw@15");
        static bool Failed(Seen s) => s.Status?.StartsWith("Camera failed: injected fault", StringComparison.Ordinal) == true;
        (List<Seen> seen, _) = LiveHarness.Run(source, new LiveOptions { Kiosk = true }, s => s.Recovered(Failed) >= 0);

        int shown = seen.First(s => Failed(s) && s.FullScreen == "Reconnecting camera…" && s.Source == SourceStatus.Faulted);
        int back = seen.Recovered(Failed);
        Assert.True(shown >= 0, "the failure was never shown");
        Assert.True(back > shown, "the kiosk did not restart the camera");
        Report("source throws (kiosk restarts every 2 s)", seen, shown, back);
    }

    [Fact]
    public void Garbage_truncated_and_resized_frames_keep_the_video_running_and_it_returns_to_full_size()
    {
        using FaultInjectingSource source = Camera("garbage@10-20,truncated@25-35,resize@40-60");
        (List<Seen> seen, _) = LiveHarness.Run(source, new LiveOptions(), s => source.FramesSeen > 80 && s[^1].FrameWidth == 160 && s.Any(f => f.FrameWidth == 80));

        Assert.Contains(seen, s => s.FrameWidth == 80);
        int half = seen.First(s => s.FrameWidth == 80);
        Assert.True(seen.First(s => s.FrameWidth == 160, half) > half, "the picture never went back to full size");
        Assert.All(seen, s => Assert.NotEqual(SourceStatus.Faulted, s.Source));
        Assert.True(seen[^1].Uploaded > 60, $"only {seen[^1].Uploaded} frames reached the GPU");
    }

    [Fact]
    public void Killed_ffmpeg_source_child_shows_the_failure_is_reaped_and_the_kiosk_restarts_it()
    {
        using var folder = new TempFolder();
        string clip = folder.File("clip.mp4");
        CaptureTestSupport.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=30", "-frames:v", "90", "-pix_fmt", "yuv420p", clip);
        var inner = (FfmpegSource)SourceOptions.Open($"file:{clip}?loop");
        using var source = new FaultInjectingSource(inner, FaultPlan.Parse("ffmpeg-exit@15"), 4);
        var children = new HashSet<int>();
        static bool Failed(Seen s) => s.Status?.StartsWith("Camera failed: ffmpeg failed", StringComparison.Ordinal) == true;
        (List<Seen> seen, _) = LiveHarness.Run(source, new LiveOptions { Kiosk = true }, s =>
        {
            if (inner.ChildProcessId > 0)
            {
                children.Add(inner.ChildProcessId);
            }

            return s.Recovered(Failed) >= 0;
        });

        int shown = seen.First(Failed);
        int back = seen.Recovered(Failed);
        Assert.True(shown >= 0, "the dead ffmpeg was never reported");
        Assert.True(back > shown, "the kiosk did not restart the file source");
        Assert.True(children.Count >= 2, "the restart did not start a new ffmpeg");
        source.Stop();
        Assert.All(children, pid => Assert.False(Directory.Exists($"/proc/{pid}"), $"ffmpeg {pid} was left behind"));
        Report("file source's ffmpeg dies (kiosk restarts every 2 s)", seen, shown, back);
    }

    [Fact]
    public void Model_that_throws_says_no_model_while_video_goes_on_and_the_kiosk_restarts_it()
    {
        using var source = new TestPatternSource(new FramePool(4, PixelFormat.Rgba8, 160, 120), 160, 120, PixelFormat.Rgba8, fps: 30);
        using LiveInference inference = LiveInference.Load(InferenceFixtures.File("tiny.onnx"), new ClassifierOptions { IntraOpThreads = 1 }, out TensorDoubleBuffer tensors);
        using TensorDoubleBuffer ownedTensors = tensors;
        FaultPlan plan = FaultPlan.Parse("model-throw@3");
        inference.Worker.InjectFault = run => plan.ActiveAt(run, FaultKind.ModelThrow) is null ? ModelFault.None : ModelFault.Throw;
        static bool NoModel(Seen s) => s.Status?.StartsWith("No model: ", StringComparison.Ordinal) == true && s.Status.Contains("injected fault", StringComparison.Ordinal);
        long runsAtFault = -1;
        (List<Seen> seen, _) = LiveHarness.Run(source, new LiveOptions { Kiosk = true }, s =>
        {
            runsAtFault = runsAtFault < 0 && NoModel(s[^1]) ? inference.Worker.Runs : runsAtFault;
            return runsAtFault >= 0 && inference.Worker.Runs > runsAtFault + 3;
        }, inference, tensors);

        int shown = seen.First(NoModel);
        Assert.True(shown >= 0, "the model failure was never shown");
        Assert.True(seen[^1].Uploaded > seen[shown].Uploaded, "video stopped with the model");
        Assert.True(inference.Worker.Runs > runsAtFault + 3, "the kiosk did not restart the model");
        int back = seen.First(s => !NoModel(s) && s.ResultFrame > seen[shown].ResultFrame, shown);
        Assert.True(back > shown, "no new result reached the screen after the restart");
        Report("model throws (kiosk restarts every 2 s)", seen, shown, back);
    }

    [Fact]
    public void Model_returning_NaN_withholds_the_verdict_until_valid_results_return()
    {
        using var source = new TestPatternSource(new FramePool(4, PixelFormat.Rgba8, 160, 120), 160, 120, PixelFormat.Rgba8, fps: 30);
        using LiveInference inference = LiveInference.Load(InferenceFixtures.File("tiny.onnx"), new ClassifierOptions { IntraOpThreads = 1 }, out TensorDoubleBuffer tensors);
        using TensorDoubleBuffer ownedTensors = tensors;
        inference.Worker.InjectFault = run => run is >= 3 and <= 8 ? ModelFault.NanInput : ModelFault.None;
        const string Invalid = "The model returned an invalid result (NaN); verdict withheld.";
        (List<Seen> seen, LiveSession session) = LiveHarness.Run(source, new LiveOptions(), s => s.Recovered(f => f.Status == Invalid) >= 0 && inference.Worker.Runs > 12, inference, tensors);

        Assert.Equal(6, inference.Worker.InvalidResults);
        int shown = seen.First(s => s.Status == Invalid);
        int back = seen.Recovered(s => s.Status == Invalid);
        Assert.True(shown >= 0 && back > shown, "the NaN status did not show and then clear");
        Assert.True(seen[back].ResultFrame > seen[shown].ResultFrame, "no new valid result after the NaN ones");
        Report("model returns NaN", seen, shown, back);
    }

    [Theory]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    [InlineData("full disk")]
    [InlineData("read-only folder")]
    [InlineData("encoder killed")]
    public void Recording_that_fails_says_so_while_video_goes_on(string fault)
    {
        using var folder = new TempFolder();
        string target = folder.File("out.mp4");
        FaultPlan? plan = null;
        switch (fault)
        {
            case "full disk":
                File.CreateSymbolicLink(target, "/dev/full");
                break;
            case "read-only folder":
                // Root ignores folder permissions; /sys is read-only to everyone.
                string readOnly = Directory.CreateDirectory(folder.File("ro")).FullName;
                File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute);
                target = Environment.UserName == "root" ? "/sys/skinlive-test.mp4" : Path.Combine(readOnly, "out.mp4");
                break;
            default:
                plan = FaultPlan.Parse("recorder-exit@10");
                break;
        }

        using var source = new TestPatternSource(new FramePool(4, PixelFormat.Rgba8, 160, 120), 160, 120, PixelFormat.Rgba8, fps: 30);
        static bool Stopped(Seen s) => s.Status?.StartsWith("Recording stopped: ", StringComparison.Ordinal) == true;
        (List<Seen> seen, LiveSession session) = LiveHarness.Run(source, new LiveOptions { RecordPath = target, RecordLossless = true, Faults = plan },
            s => s.First(Stopped) is int i && i >= 0 && s[^1].Uploaded > s[i].Uploaded + 10);

        int shown = seen.First(Stopped);
        Assert.True(shown >= 0, "the recording failure was never shown");
        Assert.True(seen[^1].Uploaded > seen[shown].Uploaded + 10, "video stopped with the recording");
        Assert.NotNull(Assert.Single(session.Reports, r => r.Name == "recording").Failure);
        output.WriteLine($"recording, {fault}: \"{seen[shown].Status}\" after {seen[shown].Seconds:0.00} s; video goes on");
    }

    private void Report(string fault, List<Seen> seen, int shown, int back) =>
        output.WriteLine($"{fault}: \"{seen[shown].Status}\" / \"{seen[shown].FullScreen}\"; video back {seen[back].Seconds - seen[shown].Seconds:0.00} s after the fault first showed");
}
