using System.Diagnostics;
using SkinLive.App.Live.Outputs;
using SkinLive.App.Overlay;
using SkinLive.Capture;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Gpu.Rendering;
using SkinLive.Localization;
using SkinLive.Preprocessing;
using SkinLive.Profiling;
using SkinLive.Tensors;

namespace SkinLive.App.Live;

/// <summary>One step of the session's frame: the host event it runs in, and its name.</summary>
public readonly record struct LiveStage(string Hook, string Name, Action Run);

/// <summary>
/// One live view: a render host, a frame source, the GPU frame loop, the classifier, the overlay and the outputs,
/// wired together on the render thread. The frame is an explicit list of stages per host event (<see cref="Stages"/>),
/// run in the order written here; the session subscribes to each host event once. Owns the overlay's GL objects and
/// the outputs; the caller owns the host and what the session started with (source, model).
/// </summary>
public sealed class LiveSession
{
    private static readonly TimeSpan SwitchNoticeFor = TimeSpan.FromSeconds(4);
    private readonly RenderHost _host;
    private readonly IFrameSource _startSource;
    private readonly LiveInference? _startInference;
    private readonly LiveOptions _options;
    private readonly FrameLoop _loop;
    private readonly TensorDoubleBuffer _tensors;
    private readonly OverlayPainter _painter = new();
    private readonly Stopwatch _clock = new();
    private readonly LiveLocalization _localization = new();
    private readonly StatusComposer _status = new();
    private readonly PresentGate _presentGate;
    private readonly RenderAllocationMeter _allocations = new();
    private readonly Supervisor _supervisor;
    private readonly LiveOutputs _outputs;
    private readonly HealthOutput? _health;
    private readonly RecordingOutput? _recording;
    private readonly SnapshotOutput? _snapshots;
    private readonly RenderFaultDrill? _drill;
    private readonly LiveStage[] _stages;
    private IFrameSource _source;
    private LiveInference? _inference;
    private OverlayRenderer? _overlay;
    private RenderWatchdog? _watchdog;
    private long _dropsOfEarlierSources;
    private string? _switchNotice;
    private long _switchNoticeUntil;
    private double _frameSeconds;
    private double _smoothedFrameSeconds;
    private long _renderedTimestamp;
    private long _presentedTimestamp;
    private long _displayed;
    private bool _lastFrame;


    public LiveSession(RenderHost host, IFrameSource source, PreprocessSpec spec, TensorDoubleBuffer tensors, LiveOptions options, LiveInference? inference = null)
    {
        _host = host;
        _source = _startSource = source;
        _options = options;
        _presentGate = new PresentGate(options.Overlay, options.OverlayDeadline);
        _inference = _startInference = inference;
        _tensors = tensors;
        _supervisor = new Supervisor(options.Kiosk);
        State.ModelName = inference?.Model.Name ?? "no model";
        State.SourceDescription = source.Description;
        // Only for someone at a keyboard: a headless run has none (and its recordings and benchmarks stay as they were).
        State.KeyHelp = host.Window is not null && !options.Kiosk ? KeyBindings.HelpLine() : null;
        Recorder = new FrameRecorder(new FrameRecorderOptions { ProfileFrames = options.ProfileFrames }, Meter);
        if (source is ThreadedFrameSource threaded)
        {
            threaded.Track = Recorder.RegisterTrack(TrackNames.Capture, 1 << 16);
        }

        if (inference is not null)
        {
            inference.Worker.Track = Recorder.RegisterTrack(TrackNames.Inference, 1 << 16);
            inference.Worker.Meter = Meter;
            inference.Worker.Results.PublishedSignal = host.Wake;
        }

        _loop = new FrameLoop(host, source, spec, tensors, backend: options.Preprocess)
        {
            Recorder = Recorder,
            PreprocessTrack = Recorder.RegisterTrack(TrackNames.Preprocess, 1 << 16),
        };
        _outputs = new LiveOutputs(CreateOutputs(options, Recorder, source, inference, _loop, out _health, out _recording, out _snapshots));
        _drill = RenderFaultDrill.AppliesTo(options.Faults) ? new RenderFaultDrill(options.Faults!, _recording) : null;
        _stages =
        [
            new("load", "create pipeline", _loop.Load),
            new("load", "create overlay", () => _overlay = new OverlayRenderer(_host.Context.Gl, new ShaderLibrary(_host.Context.Gl))),
            new("load", "hide cursor (kiosk)", HideCursorInKiosk),
            new("load", "start outputs", () => _outputs.Start(_host)),
            new("load", "start clock", _clock.Start),
            // The frame's stages all fall between BeginFrame and EndFrame.
            new("update", "begin frame", Recorder.BeginFrame),
            new("update", "upload", _loop.Update),
            new("update", "count allocations", () => _allocations.Observe(_loop.FramesUploaded, _host.FrameCount)),
            new("update", "take switches", TakeSwitchedSourceAndModel),
            new("update", "frame time", MeasureFrameTime),
            new("update", "supervise source", () => _supervisor.WatchSource(_source, _loop.FramesUploaded, _loop.Frozen)),
            new("update", "localize", Localize),
            new("update", "classify", Classify),
            new("update", "compose status", ComposeStatus),
            new("update", "skip an unchanged picture", SkipUnchangedPresent),
            new("render", "present video", _loop.Render),
            .. _drill is null ? Array.Empty<LiveStage>() : [new("render", "inject faults", () => _drill.OnFrame(_displayed))],
            new("render", "overlay", DrawOverlay),
            new("render", "outputs", DeliverToOutputs),
            new("render", "end of run", EndOfRun),
            new("render", "frame shown", () => FrameShown?.Invoke(_loop.Pipeline)),
            new("presented", "swap time", () => Recorder.AddStage(FrameStage.Swap, _renderedTimestamp, _presentedTimestamp)),
            .. _health is null ? Array.Empty<LiveStage>() : [new("presented", "drain GL errors", _health.DrainGlErrors)],
            new("presented", "end frame", EndFrame),
            // The last health sample sees the whole pipeline and every thread. The watchdog ends with the loop: finishing
            // the outputs (the encoder, the profile report) may take seconds, which is no stall.
            .. _health is null ? Array.Empty<LiveStage>() : [new("closing", "last health sample", () => _health.Stop(orderly: true))],
            new("closing", "stop watchdog", () => _watchdog?.Dispose()),
            new("closing", "stop outputs", () => _outputs.Stop(orderly: true)),
            new("closing", "delete pipeline", _loop.Unload),
            new("closing", "delete overlay", DeleteOverlay),
        ];

        Action load = RunnerOf("load"), update = RunnerOf("update"), render = RunnerOf("render"), presented = RunnerOf("presented"), closing = RunnerOf("closing");
        host.Load += load;
        host.Update += dt =>
        {
            _frameSeconds = dt;
            update();
        };
        host.Render += _ => render();
        host.Presented += timestamp =>
        {
            _presentedTimestamp = timestamp;
            presented();
        };
        host.Closing += closing;
        host.Key += OnKey;
    }

    public OverlayState State { get; } = new();

    /// <summary>Per-frame stage times: the HUD graph, and the profile report when one was asked for.</summary>
    public FrameRecorder Recorder { get; }

    /// <summary>The fleet counters (System.Diagnostics.Metrics meter "SkinLive").</summary>
    public SkinLiveMeter Meter { get; } = new();

    public FrameLoop Loop => _loop;

    /// <summary>Every stage of the frame, per host event, in the order they run.</summary>
    public IReadOnlyList<LiveStage> Stages => _stages;

    /// <summary>Render thread, last in each frame's Render: the frame is composed and the outputs have it.</summary>
    public event Action<GpuFramePipeline>? FrameShown;

    /// <summary>What the C key cycles through (null: C does nothing); the session disposes it. Set before <see cref="Run"/>.</summary>
    public SourceCycle? Cameras { get; set; }

    /// <summary>What the M key cycles through (null: M does nothing); the session disposes it. Set before <see cref="Run"/>.</summary>
    public ModelCycle? Models { get; set; }

    /// <summary>The source shown now: the one the session started with, or one C switched to.</summary>
    public IFrameSource CurrentSource => _source;

    /// <summary>The model shown now: the one the session started with, or one M switched to.</summary>
    public LiveInference? CurrentModel => _inference;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Managed bytes the render thread allocated per frame after warm-up (NaN if the run was shorter).</summary>
    public double AllocatedBytesPerFrame => _allocations.BytesPerFrame;

    /// <summary>What each output wrote, lost and why it failed, in order (snapshot, recording, trace, profile…); valid after <see cref="Run"/>.</summary>
    public IReadOnlyList<OutputReport> Reports => _outputs.Reports;

    /// <summary>Runs until the user quits or a limit in the options is reached, then tears everything down.</summary>
    public void Run()
    {
        _source.Start();
        _inference?.Start();
        _watchdog = new RenderWatchdog(() => _host.Iterations);
        try
        {
            _host.Run();
        }
        finally
        {
            _watchdog.Dispose();
            _supervisor.Dispose();
            Cameras?.Dispose();
            Models?.Dispose();
            _source.Stop();
            _loop.StopWorker();
            _inference?.Worker.Stop();
            // Stopped already when the loop reached Closing; if it died before, outputs finish with what they were handed.
            _outputs.Stop(orderly: false);

            // The caller owns what the session started with; the session owns what C and M switched to.
            if (_source != _startSource)
            {
                _source.Dispose();
            }

            if (_inference != _startInference)
            {
                _inference?.Dispose();
            }
        }
    }

    /// <summary>Health first (its last sample sees the whole pipeline), then what the run reports, in the order it reports.</summary>
    private static List<ILiveOutput> CreateOutputs(LiveOptions options, FrameRecorder recorder, IFrameSource source, LiveInference? inference, FrameLoop loop, out HealthOutput? health, out RecordingOutput? recording, out SnapshotOutput? snapshots)
    {
        var outputs = new List<ILiveOutput>();
        health = options.HealthInterval > TimeSpan.Zero ? new HealthOutput(options.HealthInterval, options.HealthMaxWarmUp, options.HealthCsvPath) : null;
        recording = options.RecordPath is { } record ? new RecordingOutput(record, options.RecordFps, options.RecordLossless) : null;
        snapshots = options.SnapshotDirectory is { } directory ? new SnapshotOutput(directory) : null;
        outputs.AddRange(health is null ? [] : [health]);
        outputs.AddRange(options.SnapshotPath is { } snapshot ? [new LastFrameOutput(snapshot)] : []);
        outputs.AddRange(recording is null ? [] : [recording]);
        outputs.AddRange(options.TracePath is { } trace ? [new TraceOutput(trace, options.Labels)] : []);
        outputs.AddRange(options.ProfilePath is { } profile ? [new ProfileOutput(profile, recorder, health, inference?.Model.Name, source.Description, () => loop.Backend)] : []);
        outputs.AddRange(snapshots is null ? [] : [snapshots]);
        return outputs;
    }

    /// <summary>Runs the stages of one host event, in order.</summary>
    private Action RunnerOf(string hook)
    {
        Action[] stages = [.. _stages.Where(s => s.Hook == hook).Select(s => s.Run)];
        return () =>
        {
            foreach (Action stage in stages)
            {
                stage();
            }
        };
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
            State.SourceDescription = Cameras.OpenedDescription;
            _localization.Reset();
            _inference?.ResetVerdict();
            State.Label = null;
            Cameras.Retire(old, dispose: old != _startSource);
        }

        NoticeSwitchFailure(error);
        if (Models?.TryTakeLoaded(out error) is { } model)
        {
            LiveInference? old = _inference;
            _inference = model;
            model.Worker.Results.PublishedSignal = _host.Wake;
            State.ModelName = model.Model.Name;
            State.Label = null;
            State.Probabilities = null;
            State.TopCount = 0;
            if (old is not null && old != _startInference)
            {
                Models.Retire(old);
            }
        }

        NoticeSwitchFailure(error);
    }

    private void NoticeSwitchFailure(string? error)
    {
        if (error is not null)
        {
            _switchNotice = error;
            _switchNoticeUntil = Stopwatch.GetTimestamp() + (long)(SwitchNoticeFor.TotalSeconds * Stopwatch.Frequency);
        }
    }

    private void MeasureFrameTime()
    {
        _smoothedFrameSeconds = _smoothedFrameSeconds == 0 ? _frameSeconds : (0.95 * _smoothedFrameSeconds) + (0.05 * _frameSeconds);
        State.FrameMilliseconds = _smoothedFrameSeconds * 1000;
        State.FramesPerSecond = _smoothedFrameSeconds > 0 ? 1 / _smoothedFrameSeconds : 0;
    }

    private void Localize()
    {
        long start = Stopwatch.GetTimestamp();
        if (!_loop.Frozen && _localization.Update(_loop.Pipeline, _loop, State))
        {
            _inference?.ResetVerdict();
        }

        Recorder.AddStage(FrameStage.Localize, start, Stopwatch.GetTimestamp());
    }

    private void Classify()
    {
        if (!_loop.Pipeline.HasFrame || _inference is null)
        {
            return;
        }

        _supervisor.WatchModel(_inference.Worker);
        if (_inference.Update(State, _loop.Pipeline.FrameId))
        {
            _presentGate.NoteResult();
        }
        if (_localization.Quality != QualityFlags.None && !_loop.Frozen)
        {
            // The picture is not fit to judge: withhold the verdict (the status line says what to do).
            State.Label = null;
        }
    }

    /// <summary>Whether this turn presents (<see cref="PresentGate"/>): a held or unchanged picture is not presented.</summary>
    private void SkipUnchangedPresent()
    {
        PresentDecision decision = _presentGate.Decide(new PresentInputs
        {
            Now = Stopwatch.GetTimestamp(),
            FramesUploaded = _loop.FramesUploaded,
            HasFrame = _loop.Pipeline.HasFrame,
            FrameOnScreen = _loop.Pipeline.FrameId,
            ResultFrame = State.ResultFrame,
            ModelRunning = _inference?.Status == ModelStatus.Running,
            Frozen = _loop.Frozen,
            SkipsUnchanged = _loop.SkipsUnchangedPresents,
            SourceRunning = _source.Status == SourceStatus.Running,
            TimeUp = _options.Seconds > 0 && _clock.Elapsed.TotalSeconds >= _options.Seconds,
            Status = State.Status,
            FullScreen = State.FullScreenMessage,
        });
        _loop.HoldsFrame = decision == PresentDecision.HoldForResult;
        if (decision != PresentDecision.Present)
        {
            _host.SkipPresent();
        }
    }

    /// <summary>Camera frames shown with an older result because theirs missed the <c>--overlay sync</c> deadline.</summary>
    public long LateResults => _presentGate.LateResults;

    private void ComposeStatus()
    {
        State.Preprocess = _loop.Backend == PreprocessBackend.Cpu ? "cpu" : "gpu";
        StatusLine line = _status.Compose(new StatusInputs
        {
            Source = _source.Status,
            SourceFailure = _source.StatusMessage,
            Stalled = _supervisor.Stalled,
            Kiosk = _options.Kiosk,
            HasFrame = _loop.Pipeline.HasFrame,
            Model = _inference?.Status ?? ModelStatus.None,
            ModelError = _inference?.Worker.Error,
            ModelProblem = _options.ModelProblem,
            Switching = Cameras?.Switching == true ? SwitchInProgress.Camera : Models?.Switching == true ? SwitchInProgress.Model : SwitchInProgress.None,
            SwitchFailure = Stopwatch.GetTimestamp() < _switchNoticeUntil ? _switchNotice : null,
            RecordingFailure = _recording?.Failure,
            PreprocessFailure = _loop.BackendFailure,
            Quality = _loop.Frozen ? QualityFlags.None : _localization.Quality,
        });
        State.Status = line.Status;
        State.FullScreenMessage = line.FullScreen;
    }

    private void DrawOverlay()
    {
        GpuFramePipeline pipeline = _loop.Pipeline;
        OverlayRenderer overlay = _overlay!;
        int width = _host.FramebufferWidth, height = _host.FramebufferHeight;
        (float X, float Y, float Width, float Height) video = (0, 0, width, height);
        if (pipeline.HasFrame)
        {
            (int x, int y, int w, int h) = FramePresenter.Letterbox(pipeline.FrameWidth, pipeline.FrameHeight, width, height);
            video = (x, height - (y + h), w, h);
        }

        long start = Stopwatch.GetTimestamp();
        State.FrameTimeCount = Math.Min(Recorder.RecentCount, State.FrameTimes.Length);
        for (int i = 0; i < State.FrameTimeCount; i++)
        {
            State.FrameTimes[i] = (float)Recorder.Recent(i).FrameMilliseconds;
        }

        _painter.Paint(overlay, State, video, width, height);
        overlay.Flush(_host.Framebuffer, width, height);
        _renderedTimestamp = Stopwatch.GetTimestamp();
        Recorder.AddStage(FrameStage.Overlay, start, _renderedTimestamp);
    }

    private void DeliverToOutputs()
    {
        _lastFrame = (_options.Frames > 0 && _host.FrameCount + 1 >= _options.Frames)
            || (_options.Seconds > 0 && _clock.Elapsed.TotalSeconds >= _options.Seconds);
        _outputs.OnFrame(new ComposedFrame(_host, _loop.Pipeline, State, _displayed, _lastFrame));
    }

    private void EndOfRun()
    {
        _displayed++;
        if (_lastFrame)
        {
            _host.Close();
        }
    }

    private void EndFrame()
    {
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
            _presentedTimestamp);
    }

    private void HideCursorInKiosk()
    {
        if (_options.Kiosk)
        {
            _host.Window?.SetCursorVisible(false);
        }
    }

    private void DeleteOverlay()
    {
        _overlay?.Dispose();
        _overlay = null;
    }

    private void OnKey(KeyInput key)
    {
        _presentGate.NoteInput();
        switch (KeyBindings.CommandFor(key, _options.Kiosk))
        {
            case LiveCommand.Quit:
                _host.Close();
                break;
            case LiveCommand.Freeze:
                _loop.Frozen = !_loop.Frozen;
                break;
            case LiveCommand.Snapshot:
                _snapshots?.Request();
                break;
            case LiveCommand.ToggleHud:
                State.ShowHud = !State.ShowHud;
                break;
            case LiveCommand.ToggleFullscreen:
                _host.Window?.ToggleFullscreen();
                break;
            case LiveCommand.ToggleVSync when _host.Window is { } window:
                window.SetVSync(!window.VSync);
                break;
            case LiveCommand.NextCamera:
                Cameras?.RequestNext();
                break;
            case LiveCommand.NextModel:
                Models?.RequestNext(_inference);
                break;
        }
    }
}
