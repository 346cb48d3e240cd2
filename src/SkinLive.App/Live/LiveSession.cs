using System.Diagnostics;
using SkinLive.App.Health;
using SkinLive.App.Overlay;
using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Gpu.Rendering;
using SkinLive.Platform;
using SkinLive.Preprocessing;
using SkinLive.Profiling;
using SkinLive.Tensors;

namespace SkinLive.App.Live;

/// <summary>When a run ends and what it leaves behind.</summary>
public sealed record LiveOptions
{
    /// <summary>Stop after this many displayed frames (0: no limit).</summary>
    public int Frames { get; init; }

    /// <summary>Stop after this many seconds (0: no limit).</summary>
    public double Seconds { get; init; }

    /// <summary>PNG of the last displayed frame, overlay included (null: none).</summary>
    public string? SnapshotPath { get; init; }

    /// <summary>Video file of the composited output (null: no recording).</summary>
    public string? RecordPath { get; init; }

    /// <summary>Frame rate written into the recording: one recorded frame per displayed frame.</summary>
    public double RecordFps { get; init; } = 30;

    /// <summary>Wait for the encoder rather than drop a frame (headless runs).</summary>
    public bool RecordLossless { get; init; }

    /// <summary>Where S saves a snapshot (PNG with overlay + JSON of what was shown); null: S does nothing.</summary>
    public string? SnapshotDirectory { get; init; }

    /// <summary>Unattended mode: cursor hidden, quit only by Ctrl+Alt+Q, a failed source is restarted.</summary>
    public bool Kiosk { get; init; }

    /// <summary>Frames kept for a profile report (0: only the recent history the HUD draws).</summary>
    public int ProfileFrames { get; init; }

    /// <summary>JSON-lines file with one line per displayed frame (null: none).</summary>
    public string? TracePath { get; init; }

    /// <summary>Class labels, in model output order, for the trace's probabilities.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>How often the health monitor samples memory, threads, descriptors and GL objects (zero: no monitor).</summary>
    public TimeSpan HealthInterval { get; init; }

    /// <summary>Longest warm-up left out of the health drift numbers (the warm-up is the first third of the run, at most this).</summary>
    public TimeSpan HealthMaxWarmUp { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Faults to inject (tests and drills); null in normal use.</summary>
    public Faults.FaultPlan? Faults { get; init; }

    /// <summary>Why there is no model although one was asked for (e.g. refused by its pinned sha256); shown as the status.</summary>
    public string? ModelProblem { get; init; }

    /// <summary>CSV file the health samples are appended to as they are taken (null: kept in memory only).</summary>
    public string? HealthCsvPath { get; init; }

    /// <summary>Which backend makes tensors and localization maps; <see cref="PreprocessBackend.Auto"/> picks by GL renderer.</summary>
    public PreprocessBackend Preprocess { get; init; } = PreprocessBackend.Auto;
}

/// <summary>
/// One live view: a render host, a frame source, the GPU frame loop and the overlay, wired together on the
/// render thread. Owns the overlay's GL objects (created in Load, deleted in Closing); the caller owns the host
/// and the source.
/// </summary>
public sealed class LiveSession
{
    private readonly RenderHost _host;
    private readonly IFrameSource _startSource;
    private IFrameSource _source;
    private readonly LiveOptions _options;
    private readonly FrameLoop _loop;
    private readonly OverlayPainter _painter = new();
    private readonly Stopwatch _clock = new();
    private OverlayRenderer? _overlay;
    private VideoRecorder? _recorder;
    private AsyncReadback? _recordReadback;
    private GlSync? _recordSync;
    private long _displayed;
    private bool _snapshotRequested;
    private string? _faultReason;
    private string? _faultMessage;
    private TraceWriter? _trace;
    private long _sourceRestartAt;
    private Thread? _watchdog;
    private volatile bool _running;
    private long _allocatedAtWarmUp = -1;
    private long _framesAtWarmUp;
    private long _framesSinceFirstUpload;
    private const int WarmUpFrames = 60;
    private double _smoothedFrameSeconds;
    private byte[]? _snapshot;
    private GlObjectCounts? _glHealth;
    private long _modelRestartAt;
    private long _uploadsSeen;
    private long _lastUploadAt;
    private string? _recordingMessage;
    private bool _closed;

    private readonly LiveInference? _startInference;
    private LiveInference? _inference;
    private long _dropsOfEarlierSources;
    private string? _switchNotice;
    private long _switchNoticeUntil;
    private readonly TensorDoubleBuffer _tensors;
    private long _renderedTimestamp;
    private readonly LiveLocalization _localization = new();

    public LiveSession(RenderHost host, IFrameSource source, PreprocessSpec spec, TensorDoubleBuffer tensors, LiveOptions options, LiveInference? inference = null)
    {
        _host = host;
        _source = _startSource = source;
        _options = options;
        _inference = _startInference = inference;
        _tensors = tensors;
        State.ModelName = inference?.Model.Name ?? "no model";
        Recorder = new FrameRecorder(new FrameRecorderOptions { ProfileFrames = options.ProfileFrames }, Meter);
        if (source is ThreadedFrameSource threaded)
        {
            threaded.Track = Recorder.RegisterTrack(TrackNames.Capture, 1 << 16);
        }

        if (inference is not null)
        {
            inference.Worker.Track = Recorder.RegisterTrack(TrackNames.Inference, 1 << 16);
            inference.Worker.Meter = Meter;
        }

        // Subscribed before the frame loop's handlers, so the frame's stages all fall inside it.
        host.Update += _ => Recorder.BeginFrame();
        host.Presented += OnPresented;
        // Before the frame loop's own Closing handler: the last health sample sees the pipeline still whole.
        host.Closing += () => Health?.StopWithLastSample();
        _loop = new FrameLoop(host, source, spec, tensors, backend: options.Preprocess)
        {
            Recorder = Recorder,
            PreprocessTrack = Recorder.RegisterTrack(TrackNames.Preprocess, 1 << 16),
        };
        State.SourceDescription = source.Description;
        host.Load += OnLoad;
        host.Update += OnUpdate;
        host.Key += OnKey;
        host.Closing += OnClosing;
        _loop.Rendered += OnRendered;
    }

    public OverlayState State { get; } = new();

    /// <summary>Per-frame stage times: the HUD graph, and the profile report when one was asked for.</summary>
    public FrameRecorder Recorder { get; }

    /// <summary>The fleet counters (System.Diagnostics.Metrics meter "SkinLive").</summary>
    public SkinLiveMeter Meter { get; } = new();

    public FrameLoop Loop => _loop;

    /// <summary>What the C key cycles through (null: C does nothing). Set before <see cref="Run"/>.</summary>
    public SourceCycle? Cameras { get; set; }

    /// <summary>What the M key cycles through (null: M does nothing). Set before <see cref="Run"/>.</summary>
    public ModelCycle? Models { get; set; }

    /// <summary>The source shown now: the one the session started with, or one C switched to.</summary>
    public IFrameSource CurrentSource => _source;

    /// <summary>The model shown now: the one the session started with, or one M switched to.</summary>
    public LiveInference? CurrentModel => _inference;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Frames written to the recording, frames it lost, and why it stopped (null when it did not).</summary>
    public (long Written, long Dropped, string? Failure) Recording { get; private set; }

    /// <summary>Managed bytes the render thread allocated per frame after warm-up (NaN if the run was shorter).</summary>
    public double AllocatedBytesPerFrame { get; private set; } = double.NaN;

    /// <summary>The health monitor of this run (null when <see cref="LiveOptions.HealthInterval"/> is zero); stopped when Run returns.</summary>
    public HealthMonitor? Health { get; private set; }

    /// <summary>Bytes of trace lost because the disk fell behind, and why the trace stopped (null when it did not).</summary>
    public (long DroppedBytes, string? Failure) Trace { get; private set; }

    /// <summary>Runs until the user quits or a limit in the options is reached; writes the snapshot if one was asked for.</summary>
    public void Run()
    {
        if (_options.TracePath is { } tracePath)
        {
            _trace = new TraceWriter(tracePath, _options.Labels);
        }

        if (_options.HealthInterval > TimeSpan.Zero)
        {
            _glHealth = GlObjectCounts.Of(_host.Context.Gl);
            Health = new HealthMonitor(_options.HealthInterval, _options.HealthMaxWarmUp, _glHealth, () => _host.FrameCount, _options.HealthCsvPath);
            Health.Start();
        }

        _source.Start();
        _inference?.Start();
        _running = true;
        _watchdog = new Thread(WatchRenderLoop) { IsBackground = true, Name = "watchdog" };
        _watchdog.Start();
        try
        {
            _host.Run();
        }
        finally
        {
            _running = false;
            _watchdog.Join();
            _source.Stop();
            _inference?.Worker.Stop();
            Health?.StopWithLastSample();

            // The caller owns what the session started with; the session owns what C and M switched to.
            if (_source != _startSource)
            {
                _source.Dispose();
            }

            if (_inference != _startInference)
            {
                _inference?.Dispose();
            }

            if (!_closed && _recorder is not null)
            {
                // The render loop died before Closing: finish the file with what reached the encoder.
                _recorder.Dispose();
                Recording = (_recorder.Written, _recorder.Dropped, _recorder.Failure);
            }

            if (_trace is not null)
            {
                _trace.Dispose();
                Trace = (_trace.DroppedBytes, _trace.Failure);
            }
        }

        if (_options.SnapshotPath is { } path && _snapshot is not null)
        {
            PngWriter.Save(path, _snapshot, _host.FramebufferWidth, _host.FramebufferHeight);
        }
    }

    private void OnLoad()
    {
        _overlay = new OverlayRenderer(_host.Context.Gl, new ShaderLibrary(_host.Context.Gl));
        if (_options.Kiosk && _host is GlfwWindowHost window)
        {
            window.SetCursorVisible(false);
        }

        if (_options.RecordPath is { } path)
        {
            _recorder = new VideoRecorder(path, _host.FramebufferWidth, _host.FramebufferHeight, _options.RecordFps, _options.RecordLossless);
            _recordSync = new GlSync(_host.Context.Gl);
            _recordReadback = new AsyncReadback(_host.Context.Gl, _recordSync, _recorder, _recorder.Width, _recorder.Height, ringSize: 4, ReadbackFormat.Rgba8);
        }

        _clock.Start();
    }

    private void OnUpdate(double dt)
    {
        // Warm-up ends 60 frames after the first camera frame (per-stream buffers are sized on it).
        if (_allocatedAtWarmUp < 0 && _loop.FramesUploaded > 0 && ++_framesSinceFirstUpload == WarmUpFrames)
        {
            _allocatedAtWarmUp = GC.GetAllocatedBytesForCurrentThread();
            _framesAtWarmUp = _host.FrameCount;
        }
        else if (_allocatedAtWarmUp >= 0 && _host.FrameCount > _framesAtWarmUp)
        {
            AllocatedBytesPerFrame = (double)(GC.GetAllocatedBytesForCurrentThread() - _allocatedAtWarmUp) / (_host.FrameCount - _framesAtWarmUp);
        }

        TakeSwitchedSourceAndModel();
        _smoothedFrameSeconds = _smoothedFrameSeconds == 0 ? dt : (0.95 * _smoothedFrameSeconds) + (0.05 * dt);
        State.FrameMilliseconds = _smoothedFrameSeconds * 1000;
        State.FramesPerSecond = _smoothedFrameSeconds > 0 ? 1 / _smoothedFrameSeconds : 0;
        State.Status = _source.Status switch
        {
            SourceStatus.Disconnected => "Camera disconnected, reconnecting…",
            SourceStatus.Faulted => FaultMessage(),
            SourceStatus.Ended => "End of recording",
            _ => null,
        };
        State.FullScreenMessage = _options.Kiosk && _source.Status is SourceStatus.Disconnected or SourceStatus.Faulted ? "Reconnecting camera…" : null;
        if (_options.Kiosk && _source.Status == SourceStatus.Faulted)
        {
            RestartSourceEvery(TimeSpan.FromSeconds(2));
        }
        else if (Stalled(out TimeSpan stalledFor))
        {
            State.Status = "No new picture from the camera: it has stalled";
            if (_options.Kiosk && stalledFor > TimeSpan.FromSeconds(5))
            {
                // A camera that stays silent is reopened, as a failed one is.
                RestartSourceEvery(TimeSpan.FromSeconds(5));
            }
        }

        if (Cameras?.Switching == true || Models?.Switching == true)
        {
            State.Status ??= Cameras?.Switching == true ? "Switching camera…" : "Loading the next model…";
        }
        else if (_switchNotice is not null && Stopwatch.GetTimestamp() < _switchNoticeUntil)
        {
            State.Status ??= _switchNotice;
        }

        if (_recorder?.Failure is { } recordingFailure)
        {
            _recordingMessage ??= $"Recording stopped: {recordingFailure}";
            State.Status ??= _recordingMessage;
        }

        State.Status ??= _loop.BackendFailure;
        GpuFramePipeline pipeline = _loop.Pipeline;
        long localizeStart = Stopwatch.GetTimestamp();
        if (!_loop.Frozen && _localization.Update(pipeline, _loop, State))
        {
            _inference?.ResetVerdict();
        }

        Recorder.AddStage(FrameStage.Localize, localizeStart, Stopwatch.GetTimestamp());

        if (!pipeline.HasFrame)
        {
            State.Status ??= "Waiting for the camera…";
        }
        else if (_inference is null)
        {
            State.Status ??= _options.ModelProblem ?? "No model loaded: video only";
        }
        else
        {
            if (_options.Kiosk && _inference.Worker.State == Inference.Runtime.WorkerState.Faulted)
            {
                RestartModelEvery(TimeSpan.FromSeconds(2));
            }

            _inference.Update(State, pipeline.FrameId);
            if (_localization.Quality != Localization.QualityFlags.None && !_loop.Frozen)
            {
                // The picture is not fit to judge: withhold the verdict and say what to do.
                State.Label = null;
                State.Status ??= LiveLocalization.Prompt(_localization.Quality);
            }
        }
    }

    /// <summary>
    /// Swaps in the source or model a C or M key press opened on a worker, once it is ready; the one it replaces is
    /// stopped off the render thread. A switch that found nothing to switch to says why for a few seconds.
    /// </summary>
    private void TakeSwitchedSourceAndModel()
    {
        string? error = null;
        if (Cameras?.TryTakeOpened(out error) is { } source)
        {
            IFrameSource old = _source;
            _dropsOfEarlierSources += old.Mailbox.Dropped + old.FramesSkipped;
            _source = source;
            _loop.Source = source;
            State.SourceDescription = source.Description;
            _localization.Reset();
            _inference?.ResetVerdict();
            State.Label = null;
            if (old != _startSource)
            {
                SourceCycle.Retire(old);
            }
            else
            {
                Task.Run(old.Stop);
            }
        }

        NoticeSwitchFailure(error);
        if (Models?.TryTakeLoaded(out error) is { } model)
        {
            // The worker before it was stopped on the loading thread, so the inference track has one writer again.
            LiveInference? old = _inference;
            model.Worker.Track = old?.Worker.Track;
            model.Worker.Meter = Meter;
            model.Start();
            _inference = model;
            State.ModelName = model.Model.Name;
            State.Label = null;
            State.Probabilities = null;
            State.TopCount = 0;
            if (old is not null && old != _startInference)
            {
                ModelCycle.Retire(old);
            }
        }

        NoticeSwitchFailure(error);
    }

    private void NoticeSwitchFailure(string? error)
    {
        if (error is not null)
        {
            _switchNotice = error;
            _switchNoticeUntil = Stopwatch.GetTimestamp() + (4 * Stopwatch.Frequency);
        }
    }

    /// <summary>The status line for a failed source, built once per distinct failure (not every frame).</summary>
    private string FaultMessage()
    {
        string? reason = _source.StatusMessage;
        if (_faultMessage is null || !ReferenceEquals(reason, _faultReason))
        {
            _faultReason = reason;
            _faultMessage = $"Camera failed: {reason}";
        }

        return _faultMessage!;
    }

    private void RestartSourceEvery(TimeSpan interval)
    {
        long now = Stopwatch.GetTimestamp();
        if (_sourceRestartAt == 0)
        {
            _sourceRestartAt = now + (long)(interval.TotalSeconds * Stopwatch.Frequency);
        }
        else if (now >= _sourceRestartAt)
        {
            _sourceRestartAt = 0;
            _source.Stop();
            _source.Start();
        }
    }

    /// <summary>
    /// Whether a running source has delivered nothing new for longer than three of its frame intervals (at least a
    /// second), after having delivered before; says for how long.
    /// </summary>
    private bool Stalled(out TimeSpan stalledFor)
    {
        long now = Stopwatch.GetTimestamp();
        if (_loop.FramesUploaded != _uploadsSeen || _loop.Frozen || _source.Status != SourceStatus.Running)
        {
            _uploadsSeen = _loop.FramesUploaded;
            _lastUploadAt = now;
            stalledFor = TimeSpan.Zero;
            return false;
        }

        stalledFor = Stopwatch.GetElapsedTime(_lastUploadAt, now);
        double limit = Math.Max(1, _source.NominalFps > 0 ? 3 / _source.NominalFps : 1);
        return _uploadsSeen > 0 && stalledFor.TotalSeconds > limit;
    }

    private void RestartModelEvery(TimeSpan interval)
    {
        long now = Stopwatch.GetTimestamp();
        if (_modelRestartAt == 0)
        {
            _modelRestartAt = now + (long)(interval.TotalSeconds * Stopwatch.Frequency);
        }
        else if (now >= _modelRestartAt)
        {
            _modelRestartAt = 0;
            Console.Error.WriteLine($"skinlive: restarting the model after: {_inference!.Worker.Error}");
            _inference.Worker.Stop();
            _inference.Worker.Start();
        }
    }

    /// <summary>Logs render-loop stalls over a second (a hung driver or a blocking call that slipped in).</summary>
    private void WatchRenderLoop()
    {
        long lastFrame = -1;
        long lastProgress = Stopwatch.GetTimestamp();
        bool reported = false;
        while (_running)
        {
            Thread.Sleep(250);
            long frame = _host.FrameCount;
            long now = Stopwatch.GetTimestamp();
            if (frame != lastFrame)
            {
                lastFrame = frame;
                lastProgress = now;
                reported = false;
            }
            else if (!reported && Stopwatch.GetElapsedTime(lastProgress, now) > TimeSpan.FromSeconds(1))
            {
                Console.Error.WriteLine($"skinlive: watchdog: the render loop has not finished a frame for {Stopwatch.GetElapsedTime(lastProgress, now).TotalSeconds:0.0} s (frame {frame}).");
                reported = true;
            }
        }
    }

    private void OnRendered(GpuFramePipeline pipeline)
    {
        if (_options.Faults?.ActiveAt(_displayed, Faults.FaultKind.RenderThrow, Faults.FaultKind.RecorderExit) is { } fault)
        {
            if (fault.Kind == Faults.FaultKind.RenderThrow)
            {
                throw new InvalidOperationException($"injected fault at displayed frame {_displayed}");
            }

            if (_recorder is not null)
            {
                using var encoder = Process.GetProcessById(_recorder.EncoderProcessId);
                encoder.Kill();
            }
        }

        OverlayRenderer overlay = _overlay!;
        int width = _host.FramebufferWidth, height = _host.FramebufferHeight;
        (float X, float Y, float Width, float Height) video = (0, 0, width, height);
        if (pipeline.HasFrame)
        {
            (int x, int y, int w, int h) = FramePresenter.Letterbox(pipeline.FrameWidth, pipeline.FrameHeight, width, height);
            video = (x, height - (y + h), w, h);
        }

        long overlayStart = Stopwatch.GetTimestamp();
        State.FrameTimeCount = Math.Min(Recorder.RecentCount, State.FrameTimes.Length);
        for (int i = 0; i < State.FrameTimeCount; i++)
        {
            State.FrameTimes[i] = (float)Recorder.Recent(i).FrameMilliseconds;
        }

        _painter.Paint(overlay, State, video, width, height);
        overlay.Flush(_host.Framebuffer, width, height);
        _renderedTimestamp = Stopwatch.GetTimestamp();
        Recorder.AddStage(FrameStage.Overlay, overlayStart, _renderedTimestamp);
        _trace?.Write(TraceOf(pipeline));
        _displayed++;
        if (_recordReadback is not null && _recorder is not null)
        {
            if (width == _recorder.Width && height == _recorder.Height)
            {
                _recordReadback.TryIssue(_host.Framebuffer, default, _displayed);
            }

            _recordReadback.Poll(_displayed);
        }

        if (_snapshotRequested && _options.SnapshotDirectory is { } directory)
        {
            _snapshotRequested = false;
            SaveSnapshot(directory, pipeline);
        }

        bool last = (_options.Frames > 0 && _host.FrameCount + 1 >= _options.Frames)
            || (_options.Seconds > 0 && _clock.Elapsed.TotalSeconds >= _options.Seconds);
        if (last)
        {
            if (_options.SnapshotPath is not null)
            {
                _snapshot = _host.ReadPixels();
            }

            _host.Close();
        }
    }

    private void OnKey(KeyInput key)
    {
        if (key.Action != InputAction.Press)
        {
            return;
        }

        const int kioskChord = NativeGlfw.GLFW_MOD_CONTROL | NativeGlfw.GLFW_MOD_ALT;
        switch (key.Key)
        {
            case NativeGlfw.GLFW_KEY_Q when _options.Kiosk && (key.Modifiers & kioskChord) == kioskChord:
                _host.Close();
                break;
            case NativeGlfw.GLFW_KEY_ESCAPE or NativeGlfw.GLFW_KEY_Q when !_options.Kiosk:
                _host.Close();
                break;
            case NativeGlfw.GLFW_KEY_SPACE:
                _loop.Frozen = !_loop.Frozen;
                break;
            case NativeGlfw.GLFW_KEY_S:
                _snapshotRequested = _options.SnapshotDirectory is not null;
                break;
            case NativeGlfw.GLFW_KEY_H:
                State.ShowHud = !State.ShowHud;
                break;
            case NativeGlfw.GLFW_KEY_F or NativeGlfw.GLFW_KEY_F11 when _host is GlfwWindowHost window:
                window.ToggleFullscreen();
                break;
            case NativeGlfw.GLFW_KEY_V when _host is GlfwWindowHost window:
                window.SetVSync(!window.VSync);
                break;
            case NativeGlfw.GLFW_KEY_C when !_options.Kiosk:
                Cameras?.RequestNext();
                break;
            case NativeGlfw.GLFW_KEY_M when !_options.Kiosk:
                Models?.RequestNext(_inference);
                break;
        }
    }

    private void OnPresented(long timestamp)
    {
        Recorder.AddStage(FrameStage.Swap, _renderedTimestamp, timestamp);
        _glHealth?.DrainErrors(_host.Context.Gl);
        GpuFramePipeline? pipeline = _loop.HasPipeline ? _loop.Pipeline : null;
        var drops = new DropTotals(_dropsOfEarlierSources + _source.Mailbox.Dropped + _source.FramesSkipped + _loop.FramesReplacedInHandOff, _loop.ReadbacksSkipped, _tensors.Dropped);
        Recorder.EndFrame(
            new FrameOutcome(
                pipeline is { HasFrame: true } ? pipeline.FrameId : -1,
                pipeline?.FrameCaptureTimestamp ?? 0,
                State.ResultFrame,
                State.ResultCaptureTimestamp,
                pipeline?.Timer.LastMilliseconds ?? double.NaN,
                drops),
            timestamp);
    }

    private TraceEntry TraceOf(GpuFramePipeline pipeline)
    {
        RectangleF? box = null;
        if (State.Box is { } b && pipeline.HasFrame)
        {
            box = new RectangleF(b.X * pipeline.FrameWidth, b.Y * pipeline.FrameHeight, b.Width * pipeline.FrameWidth, b.Height * pipeline.FrameHeight);
        }

        return new TraceEntry
        {
            Displayed = _displayed,
            Frame = pipeline.HasFrame ? pipeline.FrameId : -1,
            CaptureTimestamp = pipeline.FrameCaptureTimestamp,
            DisplayTimestamp = Stopwatch.GetTimestamp(),
            Box = box,
            BoxFrame = State.BoxFrame,
            ResultFrame = State.ResultFrame,
            ResultCaptureTimestamp = State.ResultCaptureTimestamp,
            Probabilities = State.Probabilities,
            Verdict = State.Label,
            Stable = State.Stable,
            Quality = State.Quality,
            Status = State.Status,
            FullScreenMessage = State.FullScreenMessage,
        };
    }

    private void SaveSnapshot(string directory, GpuFramePipeline pipeline)
    {
        byte[] pixels = _host.ReadPixels();
        string stem = Path.Combine(directory, $"skinlive-{DateTime.Now:yyyyMMdd-HHmmss-fff}");
        PngWriter.Save(stem + ".png", pixels, _host.FramebufferWidth, _host.FramebufferHeight);
        var shown = new
        {
            frame_size = new[] { pipeline.FrameWidth, pipeline.FrameHeight },
            box = State.Box is { } b ? new[] { b.X, b.Y, b.Width, b.Height } : null,
            label = State.Label,
            confidence = State.Label is null ? (float?)null : State.Confidence,
            risk = State.Label is null ? null : State.Risk.ToString().ToLowerInvariant(),
            stable = State.Stable,
            status = State.Status,
            model = State.ModelName,
            disclaimer = OverlayState.Disclaimer,
        };
        File.WriteAllText(stem + ".json", System.Text.Json.JsonSerializer.Serialize(shown, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private void OnClosing()
    {
        _closed = true;
        if (_recordReadback is not null && _recorder is not null && _recordSync is not null)
        {
            // Shutdown may wait: the last frames in flight belong in the file.
            _recordSync.Finish();
            _recordReadback.Poll(_displayed);
            _recordReadback.Dispose();
            _recorder.Dispose();
            Recording = (_recorder.Written, _recorder.Dropped + _recordReadback.Skipped, _recorder.Failure);
        }

        _overlay?.Dispose();
        _overlay = null;
    }
}
