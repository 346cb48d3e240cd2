using System.Text.Json;
using SkiaSharp;
using SkinLive.App.Profiling;
using SkinLive.Profiling;

namespace SkinLive.Tests.Profiling;

public sealed class ProfileWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"skinlive-profile-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static long Ticks(double ms) => FrameStages.MillisecondsToTicks(ms);

    /// <summary>200 frames of 16 ms (frame 100 takes 48 ms) with render stages, capture and inference spans.</summary>
    private static FrameRecorder SyntheticRecording()
    {
        var recorder = new FrameRecorder(new FrameRecorderOptions { HistoryFrames = 32, ProfileFrames = 200 });
        TraceTrack capture = recorder.RegisterTrack(TrackNames.Capture, 400);
        TraceTrack inference = recorder.RegisterTrack(TrackNames.Inference, 400);
        long t = 10_000_000_000;
        long lastResultId = -1, lastResultCapture = 0;
        for (int i = 0; i < 200; i++)
        {
            long start = t;
            long capturedAt = start - Ticks(12);
            capture.Add("decode", capturedAt - Ticks(3), capturedAt, i);
            recorder.AddStage(FrameStage.Upload, start, start + Ticks(2));
            recorder.AddStage(FrameStage.ConvertPreprocess, start + Ticks(2), start + Ticks(5));
            recorder.AddStage(FrameStage.Overlay, start + Ticks(5), start + Ticks(6));
            recorder.AddStage(FrameStage.Swap, start + Ticks(6), start + Ticks(7));
            if (i % 2 == 0)
            {
                inference.Add("run", start + Ticks(1), start + Ticks(4), i);
                lastResultId = i;
                lastResultCapture = capturedAt;
            }

            recorder.BeginFrame(start);
            double frameMs = i == 100 ? 48 : 16;
            t += Ticks(frameMs);
            recorder.EndFrame(new FrameOutcome(i, capturedAt, lastResultId, lastResultCapture, 1.25, new DropTotals(i / 10, 0, i / 2)), t);
        }

        return recorder;
    }

    [Fact]
    public void Writes_all_four_files_whose_frame_counts_agree_and_whose_trace_has_three_threads()
    {
        FrameSummary returned = ProfileWriter.Write(_directory, SyntheticRecording(), new ProfileMetadata { Command = "skinlive run --frames 200", GlRenderer = "test renderer" });

        string[] csv = File.ReadAllLines(Path.Combine(_directory, ProfileWriter.FramesFile));
        Assert.Equal(201, csv.Length);
        string[] header = csv[0].Split(',');
        Assert.Equal("Application", header[0]);
        int between = Array.IndexOf(header, "MsBetweenPresents");
        int swap = Array.IndexOf(header, "MsSwap");
        Assert.True(between > 0 && swap > 0);
        Assert.Equal("48.0000", csv[101].Split(',')[between]);
        Assert.Equal("1.0000", csv[1].Split(',')[swap]);
        Assert.All(csv.Skip(1), row => Assert.Equal(header.Length, row.Split(',').Length));

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_directory, ProfileWriter.SummaryFile)));
        JsonElement root = summary.RootElement;
        Assert.Equal(200, root.GetProperty("frames").GetInt32());
        Assert.Equal(csv.Length - 1, root.GetProperty("frames").GetInt32());
        Assert.Equal("test renderer", root.GetProperty("gl_renderer").GetString());
        JsonElement metrics = root.GetProperty("metrics");
        Assert.Equal(1, metrics.GetProperty("stutters").GetInt32());
        Assert.Equal(Math.Round(200 * 1000.0 / ((199 * 16) + 48), 4), metrics.GetProperty("average_fps").GetDouble(), 6);
        Assert.Equal(100, metrics.GetProperty("inference_runs").GetInt32());
        Assert.Equal(19, metrics.GetProperty("dropped").GetProperty("capture").GetInt32());
        Assert.Equal(returned.AverageFps, metrics.GetProperty("average_fps").GetDouble(), 3);
        Assert.True(root.GetProperty("frames_csv_columns").TryGetProperty("MsBetweenPresents", out _));

        using JsonDocument trace = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_directory, ProfileWriter.TraceFile)));
        JsonElement[] events = [.. trace.RootElement.GetProperty("traceEvents").EnumerateArray()];
        int[] spanThreads = [.. events.Where(e => e.GetProperty("ph").GetString() == "X").Select(e => e.GetProperty("tid").GetInt32()).Distinct()];
        Assert.True(spanThreads.Length >= 3, $"spans on {spanThreads.Length} threads");
        string[] threadNames = [.. events.Where(e => e.GetProperty("name").GetString() == "thread_name").Select(e => e.GetProperty("args").GetProperty("name").GetString() ?? string.Empty)];
        Assert.Equal<string>([TrackNames.Render, TrackNames.Capture, TrackNames.Inference], threadNames);
        Assert.Equal(200, events.Count(e => e.GetProperty("name").GetString() == "frame"));
        Assert.Equal(800, events.Count(e => e.TryGetProperty("cat", out JsonElement cat) && cat.GetString() == TrackNames.Render && e.GetProperty("name").GetString() != "frame"));

        using SKBitmap plot = SKBitmap.Decode(Path.Combine(_directory, ProfileWriter.PlotFile));
        Assert.Equal(1400, plot.Width);
        Assert.Equal(900, plot.Height);
        int seriesPixels = 0;
        for (int y = 0; y < plot.Height; y += 2)
        {
            for (int x = 0; x < plot.Width; x += 2)
            {
                SKColor c = plot.GetPixel(x, y);
                if (c.Blue > 150 && c.Red < 100)
                {
                    seriesPixels++;
                }
            }
        }

        Assert.True(seriesPixels > 100, $"{seriesPixels} plotted pixels");
    }

    [Fact]
    public void Missing_values_are_null_in_the_summary_and_NA_in_the_csv()
    {
        var recorder = new FrameRecorder(new FrameRecorderOptions { ProfileFrames = 3 });
        for (int i = 0; i < 3; i++)
        {
            recorder.BeginFrame(Ticks(10 * i));
            recorder.EndFrame(FrameOutcome.Empty, Ticks((10 * i) + 5));
        }

        ProfileWriter.Write(_directory, recorder, new ProfileMetadata());

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_directory, ProfileWriter.SummaryFile)));
        JsonElement metrics = summary.RootElement.GetProperty("metrics");
        Assert.Equal(JsonValueKind.Null, metrics.GetProperty("gpu_ms").GetProperty("mean").ValueKind);
        Assert.Equal(JsonValueKind.Null, metrics.GetProperty("inference_hz").ValueKind);
        Assert.StartsWith("unavailable", summary.RootElement.GetProperty("gpu_timing").GetString(), StringComparison.Ordinal);
        string[] csv = File.ReadAllLines(Path.Combine(_directory, ProfileWriter.FramesFile));
        int gpu = Array.IndexOf(csv[0].Split(','), "MsGPUTime");
        Assert.Equal("NA", csv[2].Split(',')[gpu]);
    }
}
