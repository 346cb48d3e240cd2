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
            ["SkinLive uncapped", "OpenCvSharp peer uncapped", "OpenCvSharp peer, no present uncapped", "SkinLive 30 fps", "OpenCvSharp peer 30 fps", "OpenCvSharp peer, no present 30 fps"],
            rows.Select(r => $"{r[0]} {r[1]}"));
        foreach (string[] row in rows)
        {
            Assert.Equal(21, row.Length);
            Assert.True(double.Parse(row[3], System.Globalization.CultureInfo.InvariantCulture) > 0, $"no frame rate in {string.Join(" | ", row)}");
            Assert.True(double.Parse(row[12], System.Globalization.CultureInfo.InvariantCulture) > 0, $"no CPU time in {string.Join(" | ", row)}");
        }

        // Uncapped, the replay delivers on demand: each peer shows each of the 60 measured frames exactly once, the
        // presenting one through a swap per frame.
        foreach (string[] peer in new[] { rows[1], rows[2] })
        {
            Assert.Equal("60", peer[2]);
            Assert.Equal("0", peer[10]);
            Assert.Equal("0", peer[11]);
        }
        Assert.True(int.Parse(rows[0][2], System.Globalization.CultureInfo.InvariantCulture) >= 60, $"SkinLive showed fewer than the 60 measured frames: {string.Join(" | ", rows[0])}");
        Assert.Contains("| uncapped | ", stdout[stdout.IndexOf("throughput SkinLive / peer", StringComparison.Ordinal)..]);
        Assert.Contains("| 30 fps | ", stdout[stdout.IndexOf("throughput SkinLive / peer", StringComparison.Ordinal)..]);

        foreach (string run in new[] { "skinlive-uncapped", "peer-uncapped", "peer-no-present-uncapped", "skinlive-30fps", "peer-30fps", "peer-no-present-30fps" })
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
            ["pipeline", "--frames", "30", "--warmup", "5", "--size", "160x120", "--compare", "--json", "--model", InferenceFixtures.File("tiny.onnx")],
            timeoutSeconds: 300, program: SkinliveProcess.Bench);

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        using var report = System.Text.Json.JsonDocument.Parse(stdout);
        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(
            ["skinlive 0", "peer 0", "peer-no-present 0", "skinlive 30", "peer 30", "peer-no-present 30"],
            rows.Select(r => $"{r.GetProperty("pipeline").GetString()} {r.GetProperty("camera_fps").GetDouble()}"));
        foreach (var row in rows)
        {
            bool ours = row.GetProperty("pipeline").GetString() == "skinlive";
            Assert.Equal(ours ? "gpu" : null, row.GetProperty("preprocess").GetString());
            Assert.Equal(ours ? "latest" : null, row.GetProperty("overlay").GetString());
            Assert.True(row.GetProperty("new_frames_per_s").GetDouble() > 0);
            Assert.True(row.GetProperty("latency_p95_ms").GetDouble() > 0);
            Assert.True(row.GetProperty("cpu_ms_per_frame").GetDouble() > 0);
            Assert.True(row.GetProperty("staleness_p95_frames").GetDouble() >= 0);
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
