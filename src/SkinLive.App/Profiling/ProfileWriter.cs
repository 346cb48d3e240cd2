using System.Globalization;
using System.Text;
using System.Text.Json;
using SkinLive.Profiling;
using SkinLive.Storage;

namespace SkinLive.App.Profiling;

/// <summary>
/// Writes a profile directory from a <see cref="FrameRecorder"/> created with <c>ProfileFrames &gt; 0</c>:
/// <c>summary.json</c> (metrics, definitions, machine, GL renderer, model, command, CSV column meanings),
/// <c>frames.csv</c> (one row per frame, PresentMon column names where one exists), <c>trace.json</c>
/// (Chrome trace events: opens in Perfetto and chrome://tracing, one track per thread) and
/// <c>frametime.png</c> (frame time over time and its histogram).
/// </summary>
public static class ProfileWriter
{
    public const string SummaryFile = "summary.json";
    public const string FramesFile = "frames.csv";
    public const string TraceFile = "trace.json";
    public const string PlotFile = "frametime.png";

    private static readonly Column[] Columns = BuildColumns();

    /// <summary>Writes the four files into <paramref name="directory"/> (created if missing) and returns the metrics.</summary>
    public static FrameSummary Write(string directory, FrameRecorder recorder, ProfileMetadata metadata)
    {
        OwnerOnlyDirectory.Create(directory);
        ReadOnlySpan<FrameRecord> frames = recorder.ProfileFrames;
        IReadOnlyList<TraceTrack> tracks = recorder.Tracks;
        ReadOnlySpan<TraceEvent> inference = tracks.FirstOrDefault(t => t.Name == TrackNames.Inference) is { } track ? track.Events : [];
        FrameSummary summary = FrameMetrics.Summarize(frames, inference);
        long origin = Origin(frames, tracks);

        WriteSummary(Path.Combine(directory, SummaryFile), summary, recorder, tracks, metadata);
        WriteFrames(Path.Combine(directory, FramesFile), frames, origin, metadata);
        WriteTrace(Path.Combine(directory, TraceFile), frames, tracks, origin);
        FrameTimePlot.Save(Path.Combine(directory, PlotFile), frames, summary, origin);
        return summary;
    }

    /// <summary>Time zero of the CSV and the trace: the earliest frame start or span start.</summary>
    private static long Origin(ReadOnlySpan<FrameRecord> frames, IReadOnlyList<TraceTrack> tracks)
    {
        long origin = frames.IsEmpty ? long.MaxValue : frames[0].StartTimestamp;
        foreach (TraceTrack track in tracks)
        {
            if (!track.Events.IsEmpty)
            {
                origin = Math.Min(origin, track.Events[0].StartTimestamp);
            }
        }

        return origin == long.MaxValue ? 0 : origin;
    }

    private static double Seconds(long timestamp, long origin) => FrameStages.TicksToMilliseconds(timestamp - origin) / 1000.0;

    private static double Microseconds(long timestamp, long origin) => FrameStages.TicksToMilliseconds(timestamp - origin) * 1000.0;

    private static void WriteSummary(string path, FrameSummary s, FrameRecorder recorder, IReadOnlyList<TraceTrack> tracks, ProfileMetadata metadata)
    {
        using FileStream file = File.Create(path);
        using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("command", metadata.Command);
        json.WriteString("date_utc", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        json.WriteStartObject("machine");
        json.WriteString("cpu", MachineInfo.CpuModel());
        json.WriteNumber("logical_cores", Environment.ProcessorCount);
        json.WriteString("os", Environment.OSVersion.ToString());
        json.WriteString("dotnet", Environment.Version.ToString());
        json.WriteEndObject();
        json.WriteString("gl_renderer", metadata.GlRenderer);
        json.WriteString("preprocess", metadata.Preprocess?.ToString().ToLowerInvariant());
        json.WriteString("gl_version", metadata.GlVersion);
        json.WriteString("model", metadata.Model);
        json.WriteString("source", metadata.Source);
        json.WriteString("gpu_timing", s.GpuMs.Count > 0 ? "GL timer queries (EXT_disjoint_timer_query)" : "unavailable: no GPU timer results (the context lacks EXT_disjoint_timer_query or none completed)");
        json.WriteNumber("frames", s.Frames);
        json.WriteNumber("frames_not_profiled", recorder.FramesNotProfiled);

        json.WriteStartObject("metrics");
        Number(json, "duration_s", s.DurationSeconds);
        Number(json, "average_fps", s.AverageFps);
        WriteDistribution(json, "frame_time_ms", s.FrameTimeMs);
        Number(json, "one_percent_low_fps", s.OnePercentLowFps);
        Number(json, "point_one_percent_low_fps", s.PointOnePercentLowFps);
        json.WriteNumber("stutters", s.Stutters);
        json.WriteNumber("repeated_frames", s.RepeatedFrames);
        json.WriteStartObject("dropped");
        json.WriteNumber("capture", s.CaptureDrops);
        json.WriteNumber("readback", s.ReadbackDrops);
        json.WriteNumber("inference", s.InferenceDrops);
        json.WriteEndObject();
        json.WriteNumber("inference_runs", s.InferenceRuns);
        Number(json, "inference_hz", s.InferenceHz);
        WriteDistribution(json, "inference_ms", s.InferenceMs);
        Number(json, "result_update_hz", s.ResultUpdateHz);
        WriteDistribution(json, "staleness_frames", s.StalenessFrames);
        WriteDistribution(json, "staleness_ms", s.StalenessMs);
        WriteDistribution(json, "capture_to_display_ms", s.CaptureToDisplayMs);
        WriteDistribution(json, "gpu_ms", s.GpuMs);
        json.WriteStartObject("stage_cpu_ms");
        for (int i = 0; i < FrameStages.Count; i++)
        {
            WriteDistribution(json, FrameStages.Name((FrameStage)i), s.StageMs[i]);
        }

        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("threads");
        foreach (TraceTrack track in tracks)
        {
            json.WriteStartObject();
            json.WriteString("name", track.Name);
            json.WriteNumber("tid", track.Id);
            json.WriteNumber("events", track.Count);
            json.WriteNumber("events_in_trace", track.Events.Length);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartObject("definitions");
        json.WriteString("frame_time", "display-to-display interval (PresentMon MsBetweenPresents); the first frame counts from its own start");
        json.WriteString("average_fps", "1000 / mean frame time");
        json.WriteString("percentiles", "Hyndman-Fan type 8 (as CapFrameX, via MathNet Quantile): h = (n + 1/3) q + 1/3 on ascending values, linear between neighbours, clamped to min/max");
        json.WriteString("low_fps", "CapFrameX integral definition: frame times longest first, summed until the sum reaches 1% (0.1%) of total time; 1000 / the frame time where it does");
        json.WriteString("stutters", "frames longer than 2.5 x the mean frame time");
        json.WriteString("staleness", "source frames and capture milliseconds between the frame the displayed result came from and the displayed frame");
        json.WriteString("capture_to_display", "display timestamp minus capture timestamp, over frames that first showed a source frame");
        json.WriteString("inference_hz", "(runs - 1) / time between the first and last run's end");
        json.WriteString("result_update_hz", "changes of the result on screen per second of frame time");
        json.WriteEndObject();

        json.WriteStartObject("frames_csv_columns");
        json.WriteString("Application", "process name (PresentMon)");
        json.WriteString("ProcessID", "process id (PresentMon)");
        json.WriteString("Runtime", "graphics API (PresentMon)");
        foreach (Column column in Columns)
        {
            json.WriteString(column.Name, column.Description);
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteDistribution(Utf8JsonWriter json, string name, Distribution d)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", d.Count);
        Number(json, "mean", d.Mean);
        Number(json, "p50", d.P50);
        Number(json, "p95", d.P95);
        Number(json, "p99", d.P99);
        Number(json, "max", d.Max);
        json.WriteEndObject();
    }

    // JSON has no NaN: a metric without data is null.
    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, 4));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteFrames(string path, ReadOnlySpan<FrameRecord> frames, long origin, ProfileMetadata metadata)
    {
        using var csv = new StreamWriter(path, false, new UTF8Encoding(false));
        csv.Write("Application,ProcessID,Runtime");
        foreach (Column column in Columns)
        {
            csv.Write(',');
            csv.Write(column.Name);
        }

        csv.WriteLine();
        string prefix = string.Create(CultureInfo.InvariantCulture, $"skinlive,{Environment.ProcessId},{metadata.Runtime}");
        foreach (FrameRecord frame in frames)
        {
            csv.Write(prefix);
            foreach (Column column in Columns)
            {
                csv.Write(',');
                double value = column.Value(frame, origin);
                csv.Write(double.IsFinite(value) ? value.ToString(column.Format, CultureInfo.InvariantCulture) : "NA");
            }

            csv.WriteLine();
        }
    }

    private static void WriteTrace(string path, ReadOnlySpan<FrameRecord> frames, IReadOnlyList<TraceTrack> tracks, long origin)
    {
        int pid = Environment.ProcessId;
        using FileStream file = File.Create(path);
        using var json = new Utf8JsonWriter(file);
        json.WriteStartObject();
        json.WriteString("displayTimeUnit", "ms");
        json.WriteStartArray("traceEvents");

        json.WriteStartObject();
        json.WriteString("name", "process_name");
        json.WriteString("ph", "M");
        json.WriteNumber("pid", pid);
        json.WriteStartObject("args");
        json.WriteString("name", "skinlive");
        json.WriteEndObject();
        json.WriteEndObject();

        foreach (TraceTrack track in tracks)
        {
            BeginMetadata(json, pid, track.Id, "thread_name");
            json.WriteString("name", track.Name);
            EndMetadata(json);
            BeginMetadata(json, pid, track.Id, "thread_sort_index");
            json.WriteNumber("sort_index", track.Id);
            EndMetadata(json);
        }

        int renderTid = tracks.First(t => t.Name == TrackNames.Render).Id;
        foreach (FrameRecord frame in frames)
        {
            json.WriteStartObject();
            json.WriteString("name", "frame");
            json.WriteString("cat", TrackNames.Render);
            json.WriteString("ph", "X");
            json.WriteNumber("ts", Math.Round(Microseconds(frame.StartTimestamp, origin), 3));
            json.WriteNumber("dur", Math.Round(Microseconds(frame.DisplayTimestamp, frame.StartTimestamp), 3));
            json.WriteNumber("pid", pid);
            json.WriteNumber("tid", renderTid);
            json.WriteStartObject("args");
            json.WriteNumber("frame", frame.FrameIndex);
            json.WriteNumber("source_frame", frame.SourceFrameId);
            json.WriteNumber("result_frame", frame.ResultFrameId);
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject();
            json.WriteString("name", "frame time ms");
            json.WriteString("ph", "C");
            json.WriteNumber("ts", Math.Round(Microseconds(frame.DisplayTimestamp, origin), 3));
            json.WriteNumber("pid", pid);
            json.WriteStartObject("args");
            json.WriteNumber("ms", Math.Round(frame.FrameMilliseconds, 4));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        foreach (TraceTrack track in tracks)
        {
            foreach (TraceEvent span in track.Events)
            {
                json.WriteStartObject();
                json.WriteString("name", span.Name);
                json.WriteString("cat", track.Name);
                json.WriteString("ph", "X");
                json.WriteNumber("ts", Math.Round(Microseconds(span.StartTimestamp, origin), 3));
                json.WriteNumber("dur", Math.Round(Microseconds(span.EndTimestamp, span.StartTimestamp), 3));
                json.WriteNumber("pid", pid);
                json.WriteNumber("tid", track.Id);
                if (span.FrameId >= 0)
                {
                    json.WriteStartObject("args");
                    json.WriteNumber("frame", span.FrameId);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void BeginMetadata(Utf8JsonWriter json, int pid, int tid, string name)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "M");
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
    }

    private static void EndMetadata(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private sealed record Column(string Name, string Description, string Format, Func<FrameRecord, long, double> Value);

    private static Column[] BuildColumns()
    {
        var columns = new List<Column>
        {
            new("TimeInSeconds", "display time since the start of the profile (PresentMon)", "F6", (f, origin) => Seconds(f.DisplayTimestamp, origin)),
            new("MsBetweenPresents", "display-to-display frame time (PresentMon)", "F4", (f, _) => f.FrameMilliseconds),
            new("MsInPresentAPI", "time in the swap call, = MsSwap (PresentMon)", "F4", (f, _) => f.Stages[FrameStage.Swap]),
            new("MsCPUBusy", "CPU time from frame start to display (PresentMon 2)", "F4", (f, _) => f.BusyMilliseconds),
            new("MsGPUTime", "GPU time of the frame's passes from timer queries, NA without them (PresentMon 2 name; SkinLive's closest to MsUntilRenderComplete)", "F4", (f, _) => f.GpuMilliseconds),
            new("FrameIndex", "frame number in this recording", "F0", (f, _) => f.FrameIndex),
            new("SourceFrameId", "id of the camera frame on screen, -1 none", "F0", (f, _) => f.SourceFrameId),
            new("NewSourceFrame", "1 when this frame first showed its camera frame, 0 for a repeat", "F0", (f, _) => f.NewSourceFrame ? 1 : 0),
            new("MsCaptureToDisplay", "capture to display of the camera frame on screen", "F4", (f, _) => f.CaptureToDisplayMilliseconds),
            new("ResultFrameId", "camera frame id the result on screen came from, -1 none", "F0", (f, _) => f.ResultFrameId),
            new("StalenessFrames", "camera frames between the result's frame and the frame on screen, NA without a result", "F0", (f, _) => f.HasResult ? f.StalenessFrames : double.NaN),
            new("MsStaleness", "capture time between the result's frame and the frame on screen", "F4", (f, _) => f.StalenessMilliseconds),
            new("CaptureDrops", "frames dropped at capture since the previous row", "F0", (f, _) => f.CaptureDrops),
            new("ReadbackDrops", "readbacks skipped since the previous row", "F0", (f, _) => f.ReadbackDrops),
            new("InferenceDrops", "tensors replaced before inference took them since the previous row", "F0", (f, _) => f.InferenceDrops),
        };
        foreach (FrameStage stage in Enum.GetValues<FrameStage>())
        {
            columns.Add(new Column($"Ms{FrameStages.Name(stage)}", $"CPU time of the {FrameStages.Name(stage)} stage on the render thread", "F4", (f, _) => f.Stages[stage]));
        }

        return [.. columns];
    }
}
