using SkinLive.App.Profiling;
using SkinLive.Bench;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.Bench.Commands;

/// <summary><c>skinlive-bench pipeline</c> on a small size: structure and counts of its report, never its times.</summary>
public sealed class BenchPipelineCommandTests
{
    [Fact]
    public void Short_compare_run_prints_both_pipelines_at_both_pacings_with_their_ratios_and_writes_the_profiles()
    {
        using TempDir temp = InferenceFixtures.Temp();
        string profile = temp.File("profile");
        // A child process: the run starts threads and GL contexts that would disturb tests measuring this process.
        (int code, string stdout, string stderr) = SkinliveProcess.Run(
            ["pipeline", "--frames", "60", "--warmup", "10", "--size", "160x120", "--compare", "--model", InferenceFixtures.File("tiny.onnx"), "--profile", profile],
            timeoutSeconds: 300, program: SkinliveProcess.Bench);

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        Assert.Contains("machine: ", stdout);
        Assert.Contains("gpu: ", stdout);
        Assert.Contains("command: skinlive-bench pipeline ", stdout);
        Assert.Contains("load average", stdout);
        Assert.Contains("model: skinlive-test-tiny", stdout);
        string[][] rows = [.. stdout.Split('\n').Where(l => l.StartsWith("| SkinLive |", StringComparison.Ordinal) || l.StartsWith("| OpenCvSharp peer", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1])];
        Assert.Equal(
            ["SkinLive gpu uncapped", "SkinLive cpu uncapped", "OpenCvSharp peer OpenCV uncapped", "OpenCvSharp peer, no present OpenCV uncapped",
             "SkinLive gpu 30 fps", "SkinLive cpu 30 fps", "OpenCvSharp peer OpenCV 30 fps", "OpenCvSharp peer, no present OpenCV 30 fps"],
            rows.Select(r => $"{r[0]} {r[1]} {r[2]}"));
        foreach (string[] row in rows)
        {
            Assert.Equal(22, row.Length);
            Assert.True(double.Parse(row[4], System.Globalization.CultureInfo.InvariantCulture) > 0, $"no frame rate in {string.Join(" | ", row)}");
            Assert.True(double.Parse(row[13], System.Globalization.CultureInfo.InvariantCulture) > 0, $"no CPU time in {string.Join(" | ", row)}");
        }

        // Uncapped, the replay delivers on demand: each peer shows each of the 60 measured frames exactly once, the
        // presenting one through a swap per frame.
        foreach (string[] peer in new[] { rows[2], rows[3] })
        {
            Assert.Equal("60", peer[3]);
            Assert.Equal("0", peer[11]);
            Assert.Equal("0", peer[12]);
        }

        foreach (string[] ours in new[] { rows[0], rows[1] })
        {
            Assert.True(int.Parse(ours[3], System.Globalization.CultureInfo.InvariantCulture) >= 60, $"SkinLive showed fewer than the 60 measured frames: {string.Join(" | ", ours)}");
        }

        string ratios = stdout[stdout.IndexOf("throughput SkinLive / peer", StringComparison.Ordinal)..];
        foreach (string row in new[] { "| uncapped | gpu | ", "| uncapped | cpu | ", "| 30 fps | gpu | ", "| 30 fps | cpu | " })
        {
            Assert.Contains(row, ratios);
        }

        foreach (string run in new[] { "skinlive-gpu-uncapped", "skinlive-cpu-uncapped", "peer-uncapped", "peer-no-present-uncapped", "skinlive-gpu-30fps", "skinlive-cpu-30fps", "peer-30fps", "peer-no-present-30fps" })
        {
            foreach (string file in new[] { ProfileWriter.SummaryFile, ProfileWriter.FramesFile, ProfileWriter.TraceFile, ProfileWriter.PlotFile })
            {
                Assert.True(File.Exists(Path.Combine(profile, run, file)), $"{run}/{file} is missing");
            }
        }
    }

    [Fact]
    public void Json_report_has_a_row_per_pipeline_and_pacing_with_the_documented_fields()
    {
        (int code, string stdout, string stderr) = SkinliveProcess.Run(
            ["pipeline", "--frames", "60", "--warmup", "10", "--size", "160x120", "--compare", "--json", "--model", InferenceFixtures.File("tiny.onnx")],
            timeoutSeconds: 300, program: SkinliveProcess.Bench);

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        using var report = System.Text.Json.JsonDocument.Parse(stdout);
        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(
            ["skinlive gpu 0", "skinlive cpu 0", "peer  0", "peer-no-present  0", "skinlive gpu 30", "skinlive cpu 30", "peer  30", "peer-no-present  30"],
            rows.Select(r => $"{r.GetProperty("pipeline").GetString()} {r.GetProperty("preprocess").GetString()} {r.GetProperty("camera_fps").GetDouble()}"));
        foreach (var row in rows)
        {
            bool ours = row.GetProperty("pipeline").GetString() == "skinlive";
            Assert.Equal(ours ? "sync" : null, row.GetProperty("overlay").GetString());
            Assert.True(row.GetProperty("new_frames_per_s") is { ValueKind: System.Text.Json.JsonValueKind.Number } v0 && v0.GetDouble() > 0, $"new_frames_per_s in {row}");
            Assert.True(row.GetProperty("latency_p95_ms") is { ValueKind: System.Text.Json.JsonValueKind.Number } v1 && v1.GetDouble() > 0, $"latency_p95_ms in {row}");
            Assert.True(row.GetProperty("cpu_ms_per_frame") is { ValueKind: System.Text.Json.JsonValueKind.Number } v2 && v2.GetDouble() > 0, $"cpu_ms_per_frame in {row}");
            Assert.True(row.GetProperty("staleness_p95_frames") is { ValueKind: System.Text.Json.JsonValueKind.Number } st && st.GetDouble() >= 0, $"staleness in {row}");
            // Null where the run was too short to pass the session's own allocation warm-up.
            System.Text.Json.JsonElement bytes = row.GetProperty("managed_bytes_per_frame");
            Assert.True(bytes.ValueKind == System.Text.Json.JsonValueKind.Null || bytes.GetDouble() >= 0, $"managed bytes {bytes}");
        }

        Assert.StartsWith("skinlive-bench pipeline ", report.RootElement.GetProperty("command").GetString());
    }

    [Theory]
    [InlineData("--format", "mjpeg")]
    [InlineData("--fps", "-5")]
    [InlineData("--size", "12x8")]
    [InlineData("--frames", "0")]
    [InlineData("--bogus", "1")]
    public void Bad_option_is_one_sentence_and_a_non_zero_exit(string option, string value)
    {
        (int code, string stdout, string stderr) = RunBench("pipeline", option, value);
        Assert.NotEqual(0, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains(option, stderr);
        Assert.DoesNotContain("   at ", stderr + stdout);
    }

    [Fact]
    public void Missing_model_is_one_sentence_and_exit_1()
    {
        (int code, _, string stderr) = RunBench("pipeline", "--model", "/nonexistent/model.onnx", "--frames", "10");
        Assert.Equal(1, code);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("/nonexistent/model.onnx", stderr);
    }

    private static (int Code, string Stdout, string Stderr) RunBench(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
