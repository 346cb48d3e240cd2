using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Gpu.Platform;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.Gpu.Pipeline;

/// <summary>
/// Drives a <see cref="GpuFramePipeline"/> from a render host's loop: each <see cref="Update"/> takes the newest frame
/// (if one arrived), uploads it, releases it, and publishes finished readbacks; each <see cref="Render"/> draws the
/// newest frame. With the <c>gpu</c> backend the frame comes from the source's mailbox and shaders make its tensor and
/// localization map; with <c>cpu</c> (what <see cref="PreprocessBackendRule"/> picks on a software rasterizer, where
/// every shader pass is CPU time on this thread) a <see cref="CpuPreprocessWorker"/> has made both on its own thread
/// before the frame gets here, and this loop only uploads and presents. Nothing here waits on the source, the GPU, the
/// worker or the consumer. It subscribes to nothing: its owner calls <see cref="Load"/>, <see cref="Update"/>,
/// <see cref="Render"/> and <see cref="Unload"/> where they belong in its own frame, on the render thread.
/// </summary>
public sealed class FrameLoop
{
    private readonly RenderHost _host;
    private readonly PreprocessSpec _spec;
    private readonly TensorDoubleBuffer _tensors;
    private readonly int _readbackRing;
    private readonly PreprocessBackend _requestedBackend;
    private GpuFramePipeline? _pipeline;
    private CpuPreprocessWorker? _cpu;
    private LocalizationMap? _cpuMap;
    private IFrameSource _source;
    private RectangleF _roi = RectangleF.Unit;
    private bool _frozen;
    private long _frameNumber;
    private long _cpuFramesBefore;

    public FrameLoop(RenderHost host, IFrameSource source, PreprocessSpec spec, TensorDoubleBuffer tensors, int readbackRing = 3, PreprocessBackend backend = PreprocessBackend.Gpu)
    {
        _host = host;
        _source = source;
        _requestedBackend = backend;
        _spec = spec;
        _tensors = tensors;
        _readbackRing = readbackRing;
    }

    /// <summary>Per-stage times of each frame go here when set.</summary>
    public Profiling.FrameRecorder? Recorder { get; set; }

    /// <summary>Where frames come from; the render thread may swap it between frames (the C key).</summary>
    public IFrameSource Source
    {
        get => _source;
        set
        {
            if (SkipsUnchangedPresents && _cpu is null)
            {
                _source.Mailbox.PostedSignal = null;
                value.Mailbox.PostedSignal = _host.Wake;
            }

            _source = value;
            _cpu?.Source = value;
        }
    }

    /// <summary>While frozen the last frame stays on screen and no new tensors are made; the source keeps running.</summary>
    public bool Frozen
    {
        get => _frozen;
        set
        {
            _frozen = value;
            _cpu?.Frozen = value;
        }
    }

    /// <summary>Where in the frame (normalized) the next tensor is taken; set by the localizer or the user.</summary>
    public RectangleF Roi
    {
        get => _roi;
        set
        {
            _roi = value;
            _cpu?.Roi = value;
        }
    }

    /// <summary>
    /// The frame taken last has not been presented yet (it waits for its own result): <see cref="Update"/> takes no
    /// newer one meanwhile, so no frame is replaced unseen (the source's mailbox keeps the newest).
    /// </summary>
    public bool HoldsFrame { get; set; }

    /// <summary>The backend that makes tensors and maps, resolved at <see cref="Load"/> (<see cref="PreprocessBackend.Auto"/> before).</summary>
    public PreprocessBackend Backend { get; private set; } = PreprocessBackend.Auto;

    /// <summary>Why the CPU backend stopped (the loop then went on with the GPU backend), or null.</summary>
    public string? BackendFailure { get; private set; }

    /// <summary>Spans of the CPU backend's thread, when set before <see cref="Load"/>.</summary>
    public Profiling.TraceTrack? PreprocessTrack { get; init; }

    /// <summary>
    /// The GL renderer is a software rasterizer (resolved at <see cref="Load"/>): a turn with nothing new to show should
    /// skip its present (<see cref="RenderHost.SkipPresent"/>), and new camera frames wake the host's idle wait.
    /// </summary>
    public bool SkipsUnchangedPresents { get; private set; }

    /// <summary>The newest localization map, from whichever backend makes it.</summary>
    public LocalizationMap Map => _cpuMap ?? Pipeline.Map;

    /// <summary>Camera frames replaced in the CPU backend's hand-off before this loop took them.</summary>
    public long FramesReplacedInHandOff => _cpu?.FramesReplaced ?? 0;

    public TensorDoubleBuffer Tensors => _tensors;

    public bool HasPipeline => _pipeline is not null;

    public GpuFramePipeline Pipeline => _pipeline ?? throw new InvalidOperationException("The loop has not loaded yet.");

    /// <summary>Camera frames uploaded so far.</summary>
    public long FramesUploaded { get; private set; }

    /// <summary>Loop iterations that found no new camera frame and redrew the previous one.</summary>
    public long RepeatedFrames { get; private set; }

    /// <summary>Tensors read back so far.</summary>
    public long ReadbacksCompleted { get; private set; }

    /// <summary>Readbacks skipped because every buffer was in flight.</summary>
    public long ReadbacksSkipped { get; private set; }

    /// <summary>Mean frames between issuing a readback and its tensor reaching the consumer.</summary>
    public double MeanReadbackLatencyFrames { get; private set; }

    /// <summary>Creates the pipeline and, for the CPU backend, starts its worker (the host's Load).</summary>
    public void Load()
    {
        _pipeline = new GpuFramePipeline(_host.Context, _spec, _tensors, _readbackRing);
        Backend = PreprocessBackendRule.Resolve(_requestedBackend, _host.Context.Capabilities.Renderer);
        SkipsUnchangedPresents = PreprocessBackendRule.IsSoftwareRenderer(_host.Context.Capabilities.Renderer);
        if (Backend == PreprocessBackend.Cpu)
        {
            _cpuMap = new LocalizationMap(Localization.LesionLocalizer.DefaultMapWidth, Localization.LesionLocalizer.DefaultMapHeight);
            _cpu = new CpuPreprocessWorker(
                _source, _spec, _tensors, _cpuMap.Width, _cpuMap.Height, SkipsUnchangedPresents ? _host.Wake : null, rgbaForPresent: SkipsUnchangedPresents && RgbaConverter.IsAccelerated)
            {
                Track = PreprocessTrack,
                Roi = _roi,
                Frozen = _frozen,
            };
            _cpu.Start();
        }
        else if (SkipsUnchangedPresents)
        {
            _source.Mailbox.PostedSignal = _host.Wake;
        }
    }

    /// <summary>Takes, uploads and preprocesses the newest frame, and publishes finished readbacks (the host's Update).</summary>
    public void Update()
    {
        GpuFramePipeline pipeline = Pipeline;
        _frameNumber++;
        if (_cpu?.Failure is { } failure)
        {
            FallBackToGpu(failure);
        }

        Frame? frame = Frozen || HoldsFrame ? null : _cpu is { } cpu ? cpu.TakeProcessed() : Source.Mailbox.TryTake();
        if (frame is not null)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                pipeline.LocalizationEnabled = _cpu is null;
                pipeline.Submit(frame, Roi, _frameNumber, preprocess: _cpu is null);
            }
            finally
            {
                frame.Release();
            }

            if (Recorder is { } recorder)
            {
                long uploaded = start + (long)(pipeline.LastUploadMilliseconds * System.Diagnostics.Stopwatch.Frequency / 1000);
                recorder.AddStage(Profiling.FrameStage.Upload, start, uploaded);
                recorder.AddStage(Profiling.FrameStage.ConvertPreprocess, uploaded, System.Diagnostics.Stopwatch.GetTimestamp());
            }

            FramesUploaded++;
        }
        else
        {
            RepeatedFrames++;
        }

        long pollStart = System.Diagnostics.Stopwatch.GetTimestamp();
        pipeline.Poll(_frameNumber);
        if (_cpu is not null && _cpu.Maps.TryBeginRead(out int map, out TensorStamp stamp))
        {
            _cpuMap!.Receive(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_cpu.Maps.Read(map)), stamp);
            _cpu.Maps.EndRead();
        }

        Recorder?.AddStage(Profiling.FrameStage.ReadbackPoll, pollStart, System.Diagnostics.Stopwatch.GetTimestamp());
        AsyncReadback readback = pipeline.Readback;
        // The CPU backend's tensors are published as their frame is taken: "read back" with no latency.
        ReadbacksCompleted = readback.Completed + _cpuFramesBefore + (_cpu?.FramesProcessed ?? 0);
        ReadbacksSkipped = readback.Skipped;
        MeanReadbackLatencyFrames = readback.Completed == 0 ? 0 : (double)readback.TotalLatencyFrames / readback.Completed;
    }

    /// <summary>Draws the newest frame, letterboxed, into the host's framebuffer (the host's Render).</summary>
    public void Render() => Pipeline.Present(_host.Framebuffer, _host.FramebufferWidth, _host.FramebufferHeight);

    /// <summary>Stops the CPU backend's worker and deletes the pipeline's GL objects (the host's Closing; teardown).</summary>
    public void Unload()
    {
        StopWorker();
        if (SkipsUnchangedPresents && ReferenceEquals(_source.Mailbox.PostedSignal, _host.Wake))
        {
            _source.Mailbox.PostedSignal = null;
        }

        _pipeline?.Dispose();
        _pipeline = null;
    }

    /// <summary>The worker failed: say why once and make tensors and maps with shaders from now on, so the video and the verdict go on.</summary>
    private void FallBackToGpu(Exception failure)
    {
        BackendFailure = $"CPU preprocessing stopped ({failure.GetType().Name}: {failure.Message.Split('\n', 2)[0]}); the GPU took over";
        StopWorker();
        Backend = PreprocessBackend.Gpu;
        if (SkipsUnchangedPresents)
        {
            _source.Mailbox.PostedSignal = _host.Wake;
        }
    }

    /// <summary>
    /// Joins the CPU backend's worker: it has ended (failed) or ends at once (teardown), so this never waits for a
    /// frame's work. Also for a loop that died before its Closing (a render-thread crash): the GL objects go with
    /// the context, but the worker must not outlive the session and hold the model's tensor buffer.
    /// </summary>
    public void StopWorker()
    {
        if (_cpu is null)
        {
            return;
        }

        _cpuFramesBefore += _cpu.FramesProcessed;
        _cpu.Dispose();
        _cpu = null;
        _cpuMap = null;
    }
}
