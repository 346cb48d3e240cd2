using System.Runtime.InteropServices;
using SkinLive.App.Health;
using SkinLive.App.Live;
using SkinLive.App.Live.Outputs;
using SkinLive.App.Profiling;
using SkinLive.Capture;
using SkinLive.Faults;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Preprocessing;
using SkinLive.Profiling;
using SkinLive.Tensors;

namespace SkinLive.App.Commands;

/// <summary><c>skinlive run</c>: the live view. Windowed when a display exists, headless otherwise.</summary>
public static class RunCommand
{
    public const string Usage = """
          run [--source URI] [--pace realtime|none] [--model FILE.onnx] [--threads N] [--headless] [--window 1280x720] [--fullscreen] [--vsync on|off] [--max-fps N]
              [--frames N] [--seconds S | --duration 30s|30m|2h] [--health-interval S] [--snapshot FILE.png] [--record FILE.mp4] [--snapshot-dir DIR]
              [--trace FILE.jsonl] [--profile DIR] [--otlp URL] [--output DIR] [--kiosk] [--config FILE.json]
              [--model-sha256 HEX] [--inject-fault KIND@N[-M|+Ss][,...]] [--preprocess auto|gpu|cpu]
              [--overlay sync|latest] [--overlay-deadline MS]
              live view; keys: Esc/Q quit (kiosk: Ctrl+Alt+Q), Space freeze, S snapshot (with --snapshot-dir),
              F or F11 fullscreen, V vsync, H HUD, C next camera, M next model in the model's folder (not in kiosk mode)
        """;

    /// <summary>--preprocess (also the config key "preprocess"): auto picks cpu on a software rasterizer (PreprocessBackendRule).</summary>
    internal static PreprocessBackend ParseBackend(string text) => text switch
    {
        "auto" => PreprocessBackend.Auto,
        "gpu" => PreprocessBackend.Gpu,
        "cpu" => PreprocessBackend.Cpu,
        _ => throw new UsageException($"--preprocess must be auto, gpu or cpu, not '{text}'."),
    };

    /// <summary>--overlay (also the config key "overlay").</summary>
    internal static OverlayTiming ParseOverlay(string text) => text switch
    {
        "sync" => OverlayTiming.Sync,
        "latest" => OverlayTiming.Latest,
        _ => throw new UsageException($"--overlay must be sync or latest, not '{text}'."),
    };

    /// <summary>"preprocessing on the CPU (SIMD, its own thread) (auto: llvmpipe (LLVM 15.0.6, 256 bits) is a software rasterizer)".</summary>
    internal static string DescribeBackend(PreprocessBackend requested, string renderer)
    {
        PreprocessBackend chosen = PreprocessBackendRule.Resolve(requested, renderer);
        string where = chosen == PreprocessBackend.Cpu ? "the CPU (SIMD, its own thread)" : "the GPU (shaders)";
        string why = requested != PreprocessBackend.Auto ? "as asked"
            : chosen == PreprocessBackend.Cpu ? $"auto: {renderer} is a software rasterizer" : $"auto: {renderer} is a GPU";
        return $"preprocessing on {where} ({why})";
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var a = new ArgReader(args);
        bool noDisplay = string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));
        bool headless = a.Flag("--headless") || noDisplay;
        string sourceUri = a.Option("--source", "synthetic");
        string? modelOption = a.Option("--model");
        string? pace = a.Option("--pace");
        if (pace is not (null or "none" or "realtime"))
        {
            throw new UsageException($"--pace must be realtime or none, not '{pace}'.");
        }

        int threads = a.Int("--threads", ClassifierOptions.DefaultThreads, 1, 64);
        (int ww, int wh) = a.Size("--window", (1280, 720));
        bool fullscreen = a.Flag("--fullscreen");
        string vsyncText = a.Option("--vsync", "on");
        if (vsyncText is not ("on" or "off"))
        {
            throw new UsageException($"--vsync must be on or off, not '{vsyncText}'.");
        }

        double maxFps = a.Double("--max-fps", headless ? 60 : 0, 0, 1000);
        int frames = a.Int("--frames", 0, 0);
        double? duration = Duration(a.Option("--duration"));
        if (duration is not null && args.Contains("--seconds"))
        {
            throw new UsageException("--duration and --seconds both set the run's length; give one.");
        }

        double seconds = duration ?? a.Double("--seconds", headless && frames == 0 ? 10 : 0, 0);
        double healthInterval = a.Double("--health-interval", 10, 0.05, 3600);
        string? snapshot = a.Option("--snapshot");
        string? record = a.Option("--record");
        string? snapshotDirectory = a.Option("--snapshot-dir");
        string? trace = a.Option("--trace");
        string? profile = a.Option("--profile");
        string? otlpText = a.Option("--otlp");
        Uri? otlp = null;
        if (otlpText is not null && !Uri.TryCreate(otlpText, UriKind.Absolute, out otlp))
        {
            throw new UsageException($"--otlp needs an http:// or https:// URL (e.g. http://localhost:4317), not '{otlpText}'.");
        }
        bool kiosk = a.Flag("--kiosk");
        fullscreen |= kiosk;
        string? output = a.Option("--output");
        string? pinnedSha256 = a.Option("--model-sha256")?.Trim().ToLowerInvariant();
        if (pinnedSha256 is not null && (pinnedSha256.Length != 64 || !pinnedSha256.All(Uri.IsHexDigit)))
        {
            throw new UsageException($"--model-sha256 must be 64 hex digits (sha256sum's output), not '{pinnedSha256}'.");
        }

        PreprocessBackend preprocessBackend = ParseBackend(a.Option("--preprocess", "auto"));
        OverlayTiming overlay = ParseOverlay(a.Option("--overlay", "sync"));
        double overlayDeadline = a.Double("--overlay-deadline", 1000 / 60.0, 0, 1000);
        string? faultText = a.Option("--inject-fault");
        FaultPlan? faults;
        try
        {
            faults = faultText is null ? null : FaultPlan.Parse(faultText);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }

        a.EnsureConsumed();

        if (headless && noDisplay && !args.Contains("--headless"))
        {
            stderr.WriteLine("skinlive run: no display found, running headless (use --seconds/--frames to set the length).");
        }

        // Headless, no one sees the picture: unless the run says what to keep, it keeps the recording and the
        // report (trace + profile) in one folder and says where. A windowed run writes nothing unasked.
        if (headless && (output is not null || (record is null && trace is null && profile is null)))
        {
            output ??= Path.Combine("skinlive-output", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
            record ??= Path.Combine(output, "recording.mp4");
            trace ??= Path.Combine(output, "trace.jsonl");
            profile ??= Path.Combine(output, "report");
            stderr.WriteLine($"skinlive run: headless; the recording and the report go to {Path.GetFullPath(output)}");
        }

        IFrameSource opened;
        try
        {
            opened = SourceOptions.Open(sourceUri, Realtime(pace));
            if (faults is not null && FaultInjectingSource.AppliesTo(faults))
            {
                opened = new FaultInjectingSource(opened, faults, SourceOptions.PoolSize);
                stderr.WriteLine($"skinlive run: injecting faults: {string.Join(", ", faults.Faults)}");
            }
        }
        catch (SourceException ex)
        {
            stderr.WriteLine($"skinlive run: {ex.Message}");
            return 1;
        }

        using IFrameSource source = opened;
        string modelPath = modelOption ?? ModelOption.DefaultPath;
        LiveInference? inference = null;
        PreprocessSpec spec = PreprocessSpec.ImageNet();
        TensorDoubleBuffer tensors;
        string? modelProblem = null;
        if (pinnedSha256 is not null && File.Exists(modelPath) && Sha256Of(modelPath) is var actual && actual != pinnedSha256)
        {
            string refused = $"the model {modelPath} has sha256 {actual}, not the pinned {pinnedSha256}";
            if (!kiosk)
            {
                stderr.WriteLine($"skinlive run: {refused}; refusing to use it.");
                return 1;
            }

            // A kiosk keeps showing video and says why it does not classify; the log says which file.
            stderr.WriteLine($"skinlive run: model refused: {refused}; running video only.");
            modelProblem = "Model refused: it does not match the pinned sha256";
            tensors = new TensorDoubleBuffer(spec.ElementCount);
        }
        else if (modelOption is null && !File.Exists(modelPath))
        {
            stderr.WriteLine($"skinlive run: no shipped model at {modelPath}; showing video without classification.");
            tensors = new TensorDoubleBuffer(spec.ElementCount);
        }
        else
        {
            try
            {
                inference = LiveInference.Load(modelPath, new ClassifierOptions { IntraOpThreads = threads }, out tensors);
                spec = inference.Model.Preprocess;
            }
            catch (ModelLoadException ex)
            {
                stderr.WriteLine($"skinlive run: {ex.Message}");
                return 1;
            }

            foreach (string assumed in inference.Model.AssumedDefaults)
            {
                stderr.WriteLine($"skinlive run: model manifest missing a value, assumed {assumed}");
            }

            if (faults is not null && faults.Has(FaultKind.ModelThrow, FaultKind.ModelNan))
            {
                inference.Worker.InjectFault = run => faults.ActiveAt(run, FaultKind.ModelThrow, FaultKind.ModelNan)?.Kind switch
                {
                    FaultKind.ModelThrow => ModelFault.Throw,
                    FaultKind.ModelNan => ModelFault.NanInput,
                    _ => ModelFault.None,
                };
            }
        }

        using var ownedTensors = tensors;
        using var ownedInference = inference;
        // Only performance and health counters leave the machine, and only when asked for.
        using IDisposable? exporter = otlp is null ? null : OtlpExport.Start(otlp, TimeSpan.FromSeconds(5));
        // SIGINT/SIGTERM end the run like a window close: on the render thread, after the current frame, so the
        // recording, trace and profile are finished and every child process is reaped.
        RenderHost? running = null;
        bool stopRequested = false;
        object stopGate = new();
        void RequestStop(PosixSignalContext context)
        {
            context.Cancel = true;
            lock (stopGate)
            {
                stopRequested = true;
                running?.Close();
            }
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);
        LiveSession session;
        RenderHost host;
        while (true)
        {
            try
            {
                host = headless ? new HeadlessHost(ww, wh) : new GlfwWindowHost("SkinLive — not a medical device", ww, wh, vsyncText == "on", fullscreen);
            }
            catch (GpuUnavailableException ex)
            {
                stderr.WriteLine($"skinlive run: {ex.Message}");
                return 1;
            }

            host.FramesPerSecondCap = maxFps;
            stderr.WriteLine($"skinlive run: {DescribeBackend(preprocessBackend, host.Context.Capabilities.Renderer)}");
            session = new LiveSession(host, source, spec, tensors, inference: inference, options: new LiveOptions
            {
                Frames = frames,
                Seconds = seconds,
                SnapshotPath = snapshot,
                RecordPath = record,
                RecordLossless = headless,
                SnapshotDirectory = snapshotDirectory,
                Kiosk = kiosk,
                TracePath = trace,
                ProfileFrames = profile is null ? 0 : ProfileCapacity(frames, seconds, maxFps),
                HealthInterval = profile is null ? TimeSpan.Zero : TimeSpan.FromSeconds(healthInterval),
                HealthCsvPath = profile is null ? null : Path.Combine(profile, "health.csv"),
                ProfilePath = profile,
                Labels = inference?.Model.Labels.Select(l => l.Code).ToArray() ?? [],
                RecordFps = maxFps > 0 ? maxFps : source.NominalFps > 0 ? source.NominalFps : 30,
                Faults = faults,
                ModelProblem = modelProblem,
                Preprocess = preprocessBackend,
                Overlay = overlay,
                OverlayDeadline = TimeSpan.FromMilliseconds(overlayDeadline),
            });
            session.Cameras = new SourceCycle(sourceUri, () => SourceCycle.Candidates(sourceUri, NativeV4L2System.Instance), uri => SourceOptions.Open(uri, Realtime(pace)));
            if (inference is not null)
            {
                session.Models = new ModelCycle(modelPath, new ClassifierOptions { IntraOpThreads = threads }, tensors, inference.Model);
            }

            lock (stopGate)
            {
                running = host;
                if (stopRequested)
                {
                    host.Close();
                }
            }

            try
            {
                session.Run();
                break;
            }
            catch (Exception ex)
            {
                // The render thread crashed (sources and the model fail into a status instead). Say what and where;
                // a kiosk rebuilds the pipeline on a fresh GL context, the CLI stops.
                lock (stopGate)
                {
                    running = null;
                }

                host.Dispose();
                string what = CrashLog.Describe(ex, Thread.CurrentThread.Name ?? "render");
                if (!kiosk || stopRequested)
                {
                    stderr.WriteLine($"skinlive run: stopped because the pipeline crashed {what}.");
                    return 1;
                }

                stderr.WriteLine($"skinlive run: the pipeline crashed {what}; restarting it.");
            }
        }

        using (host)
        {
            foreach (OutputReport report in session.Reports)
            {
                if (report.Summary is not null)
                {
                    stdout.WriteLine(report.Summary);
                }

                if (report.Failure is not null)
                {
                    stderr.WriteLine($"skinlive run: {report.Failure}");
                    return 1;
                }
            }

            PrintSummary(stdout, host, source, session.Loop, session.Elapsed);
            stdout.WriteLine($"overlay: {(overlay == OverlayTiming.Sync ? "sync" : "latest")}, {session.LateResults} frames shown with an older result; {host.SkippedPresents} unchanged pictures not presented");
            if (!double.IsNaN(session.AllocatedBytesPerFrame))
            {
                stdout.WriteLine($"render thread: {session.AllocatedBytesPerFrame:0.#} managed bytes allocated per frame after warm-up");
            }

            if (session.CurrentModel?.Worker is { Runs: > 1 } worker)
            {
                stdout.WriteLine($"inference thread: {(double)worker.AllocatedBytesSinceFirstResult / (worker.Runs - 1):0.#} managed bytes allocated per run after the first");
            }

            if (source.Status == SourceStatus.Faulted && !kiosk)
            {
                stderr.WriteLine($"skinlive run: the source failed: {source.StatusMessage}");
                return 1;
            }
        }

        return 0;
    }

    private static string Sha256Of(string path)
    {
        using FileStream file = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
    }

    /// <summary>A run length written as seconds with an optional unit: 90, 90s, 30m, 1.5h.</summary>
    public static double? Duration(string? text)
    {
        if (text is null)
        {
            return null;
        }

        string trimmed = text.Trim().ToLowerInvariant();
        double unit = trimmed.EndsWith('h') ? 3600 : trimmed.EndsWith('m') ? 60 : 1;
        string number = trimmed.TrimEnd('h', 'm', 's');
        if (!double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value)
            || !(value > 0) || double.IsInfinity(value) || number.Length + 1 < trimmed.Length)
        {
            throw new UsageException($"--duration must be a positive length like 90s, 30m or 2h, not '{text}'.");
        }

        return value * unit;
    }

    /// <summary>
    /// Frames the profile keeps: the whole run when its length is known (with a margin), else a million. Sized to the
    /// run because the profile's memory is made resident up front (a soak must not read the profile filling as a leak).
    /// </summary>
    private static int ProfileCapacity(int frames, double seconds, double maxFps)
    {
        const int Unbounded = 1_000_000;
        if (frames > 0)
        {
            return Math.Min(frames + 16, Unbounded);
        }

        return seconds > 0 && maxFps > 0 ? (int)Math.Min((seconds * maxFps * 1.1) + 600, Unbounded) : Unbounded;
    }

    private static bool? Realtime(string? pace) => pace switch { "none" => false, "realtime" => true, _ => null };

    private static void PrintSummary(TextWriter stdout, RenderHost host, IFrameSource source, FrameLoop loop, TimeSpan elapsed)
    {
        double s = Math.Max(elapsed.TotalSeconds, 1e-9);
        stdout.WriteLine($"source: {source.Description} ({source.Status})");
        stdout.WriteLine($"gl: {host.Context.Capabilities}");
        stdout.WriteLine($"frames rendered: {host.FrameCount} in {s:0.00} s ({host.FrameCount / s:0.0} fps)");
        stdout.WriteLine($"preprocess: {loop.Backend.ToString().ToLowerInvariant()}" + (loop.BackendFailure is { } failure ? $" ({failure})" : ""));
        stdout.WriteLine($"camera frames: {loop.FramesUploaded} uploaded, {source.Mailbox.Dropped + loop.FramesReplacedInHandOff} replaced in the mailbox, {source.FramesSkipped} skipped at the source");
        stdout.WriteLine($"tensors: {loop.ReadbacksCompleted} read back ({loop.MeanReadbackLatencyFrames:0.00} frames latency), {loop.ReadbacksSkipped} skipped (ring full), {loop.Tensors.Published} published, {loop.Tensors.Dropped} unread when replaced");
    }
}
