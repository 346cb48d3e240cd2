using System.Globalization;
using SkinLive.App.Live;
using SkinLive.App.Profiling;
using SkinLive.Bench.Peers;
using SkinLive.Capture;
using SkinLive.Capture.Synthetic;
using SkinLive.Frames;
using SkinLive.Gpu.Platform;
using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Preprocessing;
using SkinLive.Profiling;
using SkinLive.Tensors;

namespace SkinLive.Bench.Commands;

/// <summary>
/// <c>skinlive-bench pipeline</c>: the whole live pipeline, headless, on frames rendered once into a replay
/// (source → upload → preprocess → readback → inference → localization → overlay → present, nothing encoded),
/// uncapped and camera-paced, with the metrics a profile reports. <c>--compare</c> runs the synchronous
/// OpenCvSharp + InferenceSession peer on the same frames in the same process.
/// </summary>
public static class BenchPipelineCommand
{
    public const string Usage = """
          pipeline [--frames N] [--warmup N] [--size 1280x720] [--format yuyv|uyvy|nv12|i420|rgb24|rgba|bgra] [--fps 0,30]
              [--model PATH] [--threads N] [--preprocess gpu,cpu] [--overlay sync|latest] [--compare] [--profile DIR] [--json]
              the live pipeline end to end on replayed synthetic frames (fps 0 = uncapped); --compare adds the OpenCvSharp
              peer (presenting each frame as SkinLive does, and as first measured, drawing nothing); --json for scripts
        """;

    /// <summary>Distinct frames rendered into the replay (cycled when more are played): about 2 s of camera motion.</summary>
    private const int ReplayLength = 64;

    /// <summary>The render loop's rate when the camera is paced: a common display's refresh, as a headless run uses by default.</summary>
    private const double DisplayHz = 60;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var a = new ArgReader(args);
        int frames = a.Int("--frames", 600, 10, 1_000_000);
        int warmup = a.Int("--warmup", 60, 0, 100_000);
        (int width, int height) = a.Size("--size", (1280, 720));
        string formatText = a.Option("--format", "yuyv");
        if (!PixelFormats.TryParse(formatText, out PixelFormat format))
        {
            throw new UsageException($"--format must be one of yuyv, uyvy, nv12, i420, rgb24, rgba, bgra, not '{formatText}'.");
        }

        if (width is < 16 or > 8192 || height is < 16 or > 8192)
        {
            throw new UsageException($"--size must be 16 to 8192 pixels per side, not {width}x{height}.");
        }

        if (format is PixelFormat.Nv12 or PixelFormat.I420 && (width % 2 != 0 || height % 2 != 0))
        {
            throw new UsageException($"--size must be even in both sides for {format}, not {width}x{height}.");
        }

        double[] rates = Rates(a.Option("--fps", "0,30"));
        string? modelOption = a.Option("--model");
        int threads = a.Int("--threads", ClassifierOptions.DefaultThreads, 1, 64);
        bool compare = a.Flag("--compare");
        string? profile = a.Option("--profile");
        bool json = a.Flag("--json");
        PreprocessBackend[] backends = Backends(a.Option("--preprocess", "gpu,cpu"));
        OverlayTiming overlay = RunCommand.ParseOverlay(a.Option("--overlay", "sync"));
        a.EnsureConsumed();

        string modelPath = modelOption ?? ModelOption.DefaultPath;
        ModelDescription model;
        try
        {
            if (!File.Exists(modelPath))
            {
                throw new ModelLoadException($"There is no model at {modelPath}; pass --model PATH to an ONNX classifier.");
            }

            model = OnnxClassifier.Inspect(modelPath);
        }
        catch (ModelLoadException ex)
        {
            stderr.WriteLine($"skinlive-bench pipeline: {ex.Message}");
            return 1;
        }

        if (compare)
        {
            // Fails here, in one sentence naming the missing package, rather than after the first SkinLive run.
            _ = OpenCvRuntime.EnsureLoadable();
        }

        string loadAtStart = MachineInfo.LoadAverage();
        stderr.WriteLine($"skinlive-bench pipeline: rendering {Math.Min(ReplayLength, frames + warmup)} {width}x{height} {format} frames into the replay…");
        FrameReplay replay = FrameReplay.Synthetic(new SyntheticOptions { Width = width, Height = height }, format, Math.Min(ReplayLength, frames + warmup));
        var rows = new List<BenchRow>();
        string? renderer = null;
        try
        {
            foreach (double fps in rates)
            {
                foreach (PreprocessBackend backend in backends)
                {
                    BenchRow skinLive = RunSkinLive(replay, frames, warmup, fps, modelPath, threads, profile, backend, overlay);
                    renderer ??= skinLive.Renderer;
                    rows.Add(skinLive);
                }

                if (compare)
                {
                    rows.Add(RunPeer(replay, frames, warmup, fps, model, threads, profile, present: true));
                    rows.Add(RunPeer(replay, frames, warmup, fps, model, threads, profile, present: false));
                }
            }
        }
        catch (GpuUnavailableException ex)
        {
            stderr.WriteLine($"skinlive-bench pipeline: {ex.Message}");
            return 1;
        }
        catch (ModelLoadException ex)
        {
            stderr.WriteLine($"skinlive-bench pipeline: {ex.Message}");
            return 1;
        }

        if (json)
        {
            WriteJson(stdout, rows, renderer, loadAtStart, model.Name, $"{width}x{height} {format}");
            return 0;
        }

        MachineInfo.WriteHeader(stdout, "pipeline benchmark (headless, end to end, overlay on, nothing encoded)", renderer);
        stdout.WriteLine($"load average (1, 5, 15 min): {loadAtStart} at start, {MachineInfo.LoadAverage()} at end");
        stdout.WriteLine($"model: {model.Name} ({modelPath}), {threads} inference thread(s)");
        stdout.WriteLine($"frames: {replay.Count} distinct {width}x{height} {format} synthetic frames replayed; {frames} measured after {warmup} warm-up frames per run; paced runs display at {DisplayHz:0} Hz");
        stdout.WriteLine();
        stdout.WriteLine("| pipeline | preprocess | camera | frames | fps avg | frame ms p50 | p95 | p99 | max | 1% low fps | stutters | repeated | camera frames dropped | CPU ms per camera frame | managed B/frame | inference Hz | tensors dropped | staleness p95 frames | staleness p95 ms | latency ms p50 | p95 | p99 |");
        stdout.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (BenchRow row in rows)
        {
            FrameSummary s = row.Summary;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Pipeline} | {row.Preprocess ?? "OpenCV"} | {Pacing(row.Fps)} | {s.Frames} | {s.AverageFps:0.0} | {s.FrameTimeMs.P50:0.00} | {s.FrameTimeMs.P95:0.00} | {s.FrameTimeMs.P99:0.00} | {s.FrameTimeMs.Max:0.00} | {s.OnePercentLowFps:0.0} | {s.Stutters} | {s.RepeatedFrames} | {s.CaptureDrops} | {row.CpuMillisecondsPerFrame:0.00} | {Bytes(row.BytesPerFrame)} | {s.InferenceHz:0.0} | {s.InferenceDrops} | {s.StalenessFrames.P95:0.#} | {s.StalenessMs.P95:0.0} | {s.CaptureToDisplayMs.P50:0.0} | {s.CaptureToDisplayMs.P95:0.0} | {s.CaptureToDisplayMs.P99:0.0} |"));
        }

        if (compare)
        {
            stdout.WriteLine();
            stdout.WriteLine("| camera | preprocess | throughput SkinLive / peer (new frames per second) | latency p95 SkinLive / peer | CPU ms per camera frame SkinLive / peer |");
            stdout.WriteLine("|---|---|---|---|---|");
            foreach (BenchRow ours in rows.Where(r => r.Pipeline == SkinLiveName))
            {
                BenchRow peerRow = rows.First(r => r.Fps == ours.Fps && r.Pipeline == PeerName);
                FrameSummary o = ours.Summary, peer = peerRow.Summary;
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Pacing(ours.Fps)} | {ours.Preprocess} | {NewFramesPerSecond(o):0.0} / {NewFramesPerSecond(peer):0.0} = **{NewFramesPerSecond(o) / NewFramesPerSecond(peer):0.00}×** | {o.CaptureToDisplayMs.P95:0.0} / {peer.CaptureToDisplayMs.P95:0.0} ms = **{o.CaptureToDisplayMs.P95 / peer.CaptureToDisplayMs.P95:0.00}×** | {ours.CpuMillisecondsPerFrame:0.00} / {peerRow.CpuMillisecondsPerFrame:0.00} = **{ours.CpuMillisecondsPerFrame / peerRow.CpuMillisecondsPerFrame:0.00}×** |"));
            }
        }

        if (profile is not null)
        {
            stdout.WriteLine();
            stdout.WriteLine($"profiles (summary.json, frames.csv, trace.json, frametime.png; warm-up included): {string.Join(", ", rows.Select(r => Path.Combine(profile, r.ProfileName)))}");
        }

        return 0;
    }

    /// <summary>The rows for scripts: the field names are a contract (README, `bench pipeline --json`); more may be added.</summary>
    private static void WriteJson(TextWriter stdout, IReadOnlyList<BenchRow> rows, string? renderer, string loadAtStart, string model, string frames)
    {
        using var buffer = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("machine", $"{MachineInfo.CpuModel()}, {Environment.ProcessorCount} logical cores");
            w.WriteString("gpu", renderer);
            w.WriteString("command", MachineInfo.CommandLine());
            w.WriteString("load_average_start", loadAtStart);
            w.WriteString("load_average_end", MachineInfo.LoadAverage());
            w.WriteString("model", model);
            w.WriteString("frames", frames);
            w.WriteStartArray("rows");
            foreach (BenchRow row in rows)
            {
                FrameSummary s = row.Summary;
                w.WriteStartObject();
                w.WriteString("pipeline", row.Key);
                if (row.Pipeline == SkinLiveName)
                {
                    w.WriteString("preprocess", row.Preprocess);
                    w.WriteString("overlay", row.Overlay);
                }
                else
                {
                    w.WriteNull("preprocess");
                    w.WriteNull("overlay");
                }

                w.WriteNumber("camera_fps", row.Fps);
                Number(w, "new_frames_per_s", NewFramesPerSecond(s));
                Number(w, "fps_avg", s.AverageFps);
                Number(w, "latency_p50_ms", s.CaptureToDisplayMs.P50);
                Number(w, "latency_p95_ms", s.CaptureToDisplayMs.P95);
                Number(w, "staleness_p95_frames", s.StalenessFrames.P95);
                Number(w, "cpu_ms_per_frame", row.CpuMillisecondsPerFrame);
                Number(w, "managed_bytes_per_frame", row.BytesPerFrame);
                w.WriteNumber("frames", s.Frames);
                w.WriteNumber("repeated_frames", s.RepeatedFrames);
                w.WriteNumber("camera_frames_dropped", s.CaptureDrops);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>A number, or null where it was not measured (NaN).</summary>
    private static void Number(System.Text.Json.Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, Math.Round(value, 3));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private const string SkinLiveName = "SkinLive";
    private const string PeerName = "OpenCvSharp peer";

    /// <summary>The peer as it was first measured: it shows nothing, so it does less per frame than any live view.</summary>
    private const string PeerNoPresentName = "OpenCvSharp peer, no present";

    /// <summary>One measured run; CPU time is the whole process's (every thread, the rasterizer's included) per camera frame shown after warm-up.</summary>
    private sealed record BenchRow(string Pipeline, double Fps, FrameSummary Summary, double BytesPerFrame, double CpuMillisecondsPerFrame, string? Renderer, string? Preprocess = null, string? Overlay = null)
    {
        public string Key => Pipeline switch { SkinLiveName => "skinlive", PeerName => "peer", _ => "peer-no-present" };

        public string ProfileName => $"{Key}{(Preprocess is null ? "" : $"-{Preprocess}")}-{(Fps > 0 ? $"{Fps:0.##}fps" : "uncapped")}";
    }

    private static PreprocessBackend[] Backends(string text)
    {
        var backends = new List<PreprocessBackend>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            PreprocessBackend backend = RunCommand.ParseBackend(part);
            if (!backends.Contains(backend))
            {
                backends.Add(backend);
            }
        }

        return backends.Count > 0 ? [.. backends] : throw new UsageException($"--preprocess must name at least one backend, not '{text}'.");
    }

    private static BenchRow RunSkinLive(FrameReplay replay, int frames, int warmup, double fps, string modelPath, int threads, string? profile, PreprocessBackend backend, OverlayTiming overlay)
    {
        int total = frames + warmup;
        using var source = new ReplayFrameSource(replay, total, fps);
        using LiveInference inference = LiveInference.Load(modelPath, new ClassifierOptions { IntraOpThreads = threads }, out TensorDoubleBuffer tensors);
        using TensorDoubleBuffer ownedTensors = tensors;
        using var host = new HeadlessHost(replay.Width, replay.Height) { FramesPerSecondCap = fps > 0 ? DisplayHz : 0 };
        // Uncapped, the loop may show a frame more than once while the next is on its way (the CPU backend's hand-off),
        // so the profile keeps room for several presents per camera frame.
        int displayed = fps > 0 ? (int)Math.Ceiling(total * Math.Max(DisplayHz / fps, 1)) : total * 8;
        var session = new LiveSession(host, source, inference.Model.Preprocess, tensors, new LiveOptions
        {
            ProfileFrames = displayed + (displayed / 4) + 64,
            Labels = [.. inference.Model.Labels.Select(l => l.Code)],
            Preprocess = backend,
            Overlay = overlay,
        }, inference);

        // After the session's own handler has ended the frame: note the CPU time when warm-up ends, and stop once
        // the last replayed frame is on screen.
        var cpu = new CpuClock(warmup);
        host.Presented += _ =>
        {
            long shown = session.Loop.HasPipeline && session.Loop.Pipeline.HasFrame ? session.Loop.Pipeline.FrameId : -1;
            cpu.Observe(shown);
            if (shown >= total - 1 || source.Status == SourceStatus.Faulted)
            {
                host.Close();
            }
        };
        session.Run();
        if (source.Status == SourceStatus.Faulted)
        {
            throw new InvalidOperationException($"The replay source failed: {source.StatusMessage}");
        }

        string renderer = host.Context.Capabilities.ToString();
        BenchRow row = new(SkinLiveName, fps, Measure(session.Recorder, warmup), session.AllocatedBytesPerFrame, cpu.MillisecondsPerFrame, renderer, session.Loop.Backend.ToString().ToLowerInvariant(), overlay == OverlayTiming.Sync ? "sync" : "latest");
        if (profile is not null)
        {
            ProfileWriter.Write(Path.Combine(profile, row.ProfileName), session.Recorder, new ProfileMetadata
            {
                GlRenderer = host.Context.Capabilities.Renderer,
                GlVersion = host.Context.Capabilities.Version,
                Model = inference.Model.Name,
                Source = source.Description,
                Preprocess = session.Loop.Backend,
            });
        }

        return row;
    }

    private static BenchRow RunPeer(FrameReplay replay, int frames, int warmup, double fps, ModelDescription model, int threads, string? profile, bool present)
    {
        int total = frames + warmup;
        using var source = new ReplayFrameSource(replay, total, fps);
        using var posted = new ManualResetEventSlim(false);
        source.Mailbox.PostedSignal = posted;
        using var peer = new SyncOpenCvPipeline(model.Path, model.Preprocess, [.. model.Labels.Select(l => l.Name)], threads);
        var recorder = new FrameRecorder(new FrameRecorderOptions { ProfileFrames = total + 16 });
        TraceTrack inferenceTrack = recorder.RegisterTrack(TrackNames.Inference, total + 16);
        source.Track = recorder.RegisterTrack(TrackNames.Capture, total + 16);
        long allocatedAtWarmUp = 0;
        long framesAtWarmUp = 0;
        var loop = new PeerLoop(source, posted, peer, recorder, inferenceTrack, total - 1)
        {
            FrameTaken = id =>
            {
                if (id == warmup)
                {
                    allocatedAtWarmUp = GC.GetAllocatedBytesForCurrentThread();
                    framesAtWarmUp = recorder.FrameCount;
                }
            },
        };
        var cpu = new CpuClock(warmup);
        source.Start();
        try
        {
            if (present)
            {
                // The same headless window SkinLive presents through, swapped once per camera frame as a loop that
                // blocks on the camera does.
                using var host = new HeadlessHost(replay.Width, replay.Height) { FramesPerSecondCap = 0 };
                using var window = new PeerWindow(host);
                host.Render += _ =>
                {
                    if (!loop.Step(window))
                    {
                        host.Close();
                    }
                };
                host.Presented += presented =>
                {
                    loop.EndFrame(presented);
                    cpu.Observe(loop.ShownFrameId);
                    if (loop.Done)
                    {
                        host.Close();
                    }
                };
                host.Run();
            }
            else
            {
                while (!loop.Done && loop.Step(window: null))
                {
                    loop.EndFrame(System.Diagnostics.Stopwatch.GetTimestamp());
                    cpu.Observe(loop.ShownFrameId);
                }
            }
        }
        finally
        {
            source.Stop();
        }

        if (!loop.Done)
        {
            throw new InvalidOperationException($"The replay source stopped early: {source.StatusMessage}");
        }

        double bytesPerFrame = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedAtWarmUp) / Math.Max(recorder.FrameCount - framesAtWarmUp, 1);
        BenchRow row = new(present ? PeerName : PeerNoPresentName, fps, Measure(recorder, warmup), bytesPerFrame, cpu.MillisecondsPerFrame, null);
        if (profile is not null)
        {
            ProfileWriter.Write(Path.Combine(profile, row.ProfileName), recorder, new ProfileMetadata
            {
                Model = model.Name,
                Source = source.Description,
                Runtime = present ? "CPU (OpenCvSharp), presented" : "CPU (OpenCvSharp), draws nothing",
            });
        }

        return row;
    }

    /// <summary>
    /// Process CPU time (all threads) per source frame shown, from the first frame shown at or after the warm-up to
    /// the last frame observed. Reading the clock allocates nothing, so it does not disturb the allocation count.
    /// </summary>
    private sealed class CpuClock(int warmup)
    {
        private TimeSpan _start;
        private long _firstFrame = -1;
        private TimeSpan _end;
        private long _lastFrame = -1;

        public double MillisecondsPerFrame => _lastFrame > _firstFrame ? (_end - _start).TotalMilliseconds / (_lastFrame - _firstFrame) : double.NaN;

        /// <summary>Called after each displayed frame with the source frame on screen (-1: none).</summary>
        public void Observe(long frameId)
        {
            if (frameId < warmup)
            {
                return;
            }

            TimeSpan now = Environment.CpuUsage.TotalTime;
            if (_firstFrame < 0)
            {
                (_start, _firstFrame) = (now, frameId);
            }
            else if (frameId > _lastFrame)
            {
                (_end, _lastFrame) = (now, frameId);
            }
        }
    }

    /// <summary>
    /// The metrics of the frames after warm-up: from the first frame that showed source frame
    /// <paramref name="warmup"/> on, and the inference runs that started from then on.
    /// </summary>
    private static FrameSummary Measure(FrameRecorder recorder, int warmup)
    {
        ReadOnlySpan<FrameRecord> all = recorder.ProfileFrames;
        int first = 0;
        while (first < all.Length && all[first].SourceFrameId < warmup)
        {
            first++;
        }

        ReadOnlySpan<FrameRecord> measured = all[first..];
        ReadOnlySpan<TraceEvent> inference = recorder.Tracks.FirstOrDefault(t => t.Name == TrackNames.Inference) is { } track ? track.Events : [];
        long from = measured.IsEmpty ? long.MaxValue : measured[0].StartTimestamp;
        int firstRun = 0;
        while (firstRun < inference.Length && inference[firstRun].StartTimestamp < from)
        {
            firstRun++;
        }

        return FrameMetrics.Summarize(measured, inference[firstRun..]);
    }

    private static double NewFramesPerSecond(FrameSummary s) => (s.Frames - s.RepeatedFrames) / s.DurationSeconds;

    private static string Pacing(double fps) => fps > 0 ? $"{fps:0.##} fps" : "uncapped";

    private static string Bytes(double bytes) => double.IsFinite(bytes) ? bytes.ToString("0.#", CultureInfo.InvariantCulture) : "n/a";

    private static double[] Rates(string text)
    {
        var rates = new List<double>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double fps) || fps is < 0 or > 240 || !double.IsFinite(fps))
            {
                throw new UsageException($"--fps must be a comma-separated list of camera rates from 0 (uncapped) to 240, not '{text}'.");
            }

            if (!rates.Contains(fps))
            {
                rates.Add(fps);
            }
        }

        return rates.Count > 0 ? [.. rates] : throw new UsageException($"--fps must name at least one camera rate (0 = uncapped), not '{text}'.");
    }
}
