using System.Diagnostics;
using System.Text.Json;

namespace SkinLive.Tests.App;

/// <summary><c>skinlive run</c> end to end, headless, on a clip made by ffmpeg at test time.</summary>
public sealed class RunHeadlessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("skinlive-run-").FullName;

    [Fact]
    public void Headless_run_on_a_file_records_every_frame_and_traces_boxes_on_the_clips_lesion()
    {
        string clip = Path.Combine(_directory, "clip.mp4");
        Ffmpeg.Run("-f", "lavfi", "-i", Ffmpeg.LesionScene(320, 240, 30), "-frames:v", "200", "-pix_fmt", "yuv420p", clip);
        string video = Path.Combine(_directory, "out.mp4"), trace = Path.Combine(_directory, "out.jsonl"), profile = Path.Combine(_directory, "profile");

        (int code, string stdout, string stderr) = SkinliveProcess.Run(
            ["run", "--headless", "--source", $"file:{clip}", "--frames", "150", "--window", "320x240", "--record", video, "--trace", trace, "--profile", profile,
             "--model", Path.Combine(AppContext.BaseDirectory, "Fixtures", "Inference", "tiny.json").Replace(".json", ".onnx", StringComparison.Ordinal)],
            timeoutSeconds: 300);

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        Assert.Equal(150, Ffmpeg.CountVideoFrames(video));
        string[] lines = File.ReadAllLines(trace);
        Assert.Equal(150, lines.Length);
        long lastFrame = -1;
        int withResult = 0, withBox = 0;
        foreach (string line in lines)
        {
            using JsonDocument entry = JsonDocument.Parse(line);
            if (entry.RootElement.GetProperty("box") is { ValueKind: JsonValueKind.Array } box)
            {
                float[] b = box.EnumerateArray().Select(v => v.GetSingle()).ToArray();
                var drawn = new SkinLive.Frames.RectangleF(b[0], b[1], b[2], b[3]);
                float iou = drawn.IntersectionOverUnion(Ffmpeg.LesionBox);
                Assert.True(iou >= 0.7f, $"box {drawn} against the clip's lesion {Ffmpeg.LesionBox}: IoU {iou:0.00}");
                withBox++;
            }

            long frame = entry.RootElement.GetProperty("frame").GetInt64();
            Assert.True(frame >= lastFrame, "the frame on screen went backwards");
            lastFrame = frame;
            long resultFrame = entry.RootElement.GetProperty("result_frame").GetInt64();
            Assert.True(resultFrame <= frame, "a result came from a frame not yet shown");
            withResult += resultFrame >= 0 ? 1 : 0;
        }

        Assert.True(withResult > 100, $"only {withResult} of 150 frames had a classification on screen");
        Assert.True(withBox > 100, $"only {withBox} of 150 frames showed the lesion's box");
        Assert.Equal(151, File.ReadAllLines(Path.Combine(profile, "frames.csv")).Length);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(profile, "summary.json")));
        Assert.True(File.Exists(Path.Combine(profile, "trace.json")) && File.Exists(Path.Combine(profile, "frametime.png")));
    }

    [Fact]
    public void Headless_run_keeps_its_recording_and_report_in_the_output_folder_and_says_where()
    {
        string output = Path.Combine(_directory, "out");
        (int code, string stdout, string stderr) = SkinliveProcess.Run(
            ["run", "--headless", "--source", "testpattern:size=320x240", "--window", "320x240", "--frames", "40", "--output", output], timeoutSeconds: 300);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains(output, stderr);
        Assert.Equal(40, Ffmpeg.CountVideoFrames(Path.Combine(output, "recording.mp4")));
        Assert.Equal(40, File.ReadAllLines(Path.Combine(output, "trace.jsonl")).Length);
        Assert.True(File.Exists(Path.Combine(output, "report", "summary.json")));
    }

    [Fact]
    public void Missing_file_source_is_one_sentence_and_exit_1()
    {
        (int code, string stdout, string stderr) = SkinliveProcess.Run(["run", "--headless", "--source", "file:/nonexistent/clip.mp4", "--frames", "5"]);
        Assert.Equal(1, code);
        Assert.Contains("does not exist", stderr);
        Assert.DoesNotContain("   at ", stderr + stdout);
    }

    [Fact]
    public void Unusable_model_named_at_start_is_one_sentence_and_exit_1()
    {
        string bad = Path.Combine(_directory, "bad.onnx");
        File.WriteAllText(bad, "not a model");
        (int code, _, string stderr) = SkinliveProcess.Run(["run", "--headless", "--source", "testpattern", "--frames", "5", "--model", bad]);
        Assert.Equal(1, code);
        Assert.Contains("bad.onnx", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
