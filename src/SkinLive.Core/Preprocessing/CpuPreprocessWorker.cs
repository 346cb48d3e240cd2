using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Profiling;
using SkinLive.Tensors;

namespace SkinLive.Preprocessing;

/// <summary>
/// The CPU preprocessing backend's own thread ("preprocess"), for machines whose GL is a software rasterizer: it
/// takes the newest camera frame from the source's mailbox, writes its tensor (<see cref="SimdPreprocessor"/>, the
/// current <see cref="Roi"/>) into the model's <see cref="TensorDoubleBuffer"/> and its localization map
/// (<see cref="LocalizationMapBuilder"/>) into <see cref="Maps"/>, then posts the frame to <see cref="Output"/>, from
/// which the render thread only uploads and presents it.
/// Hand-off invariants: every frame is owned by exactly one side (source mailbox → this thread → <see cref="Output"/>
/// → render thread, which releases it); a tensor and a map carry the frame's id and capture time and are published
/// only when the render thread takes their frame (<see cref="TakeProcessed"/>), so no result or box can belong to a
/// frame that is not yet on screen; latest wins at the source, and this thread takes a new frame only once the render
/// thread has taken the last one, so it never processes a frame nobody will show. Nothing here makes the render
/// thread wait: publishing is a lock-free swap.
/// </summary>
public sealed class CpuPreprocessWorker : IDisposable
{
    private readonly SimdPreprocessor _preprocessor;
    private readonly LocalizationMapBuilder _mapBuilder;
    private readonly TensorDoubleBuffer _tensors;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Lock _roiLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private volatile IFrameSource _source;
    private volatile bool _frozen;
    private volatile bool _localizationEnabled = true;
    private RectangleF _roi = RectangleF.Unit;
    private long _framesProcessed;
    private Exception? _failure;

    // The frame in Output and its unpublished tensor and map: written by this thread before the post, read by the
    // render thread after its take; _awaitingTake orders the two.
    private volatile bool _awaitingTake;
    private TensorStamp _pendingStamp;
    private bool _pendingMap;

    // RGBA8 copies of the camera frames for the present: one waiting in Output, one being uploaded, one being made.
    private const int RgbaFrames = 3;
    private readonly bool _rgbaForPresent;
    private FramePool? _rgbaPool;
    private (int Width, int Height) _rgbaSize;

    /// <param name="framePosted">Set whenever a preprocessed frame is ready for the render thread (its idle wake-up), when not null.</param>
    /// <param name="rgbaForPresent">
    /// Hand the render thread the frame converted to RGBA8 (<see cref="RgbaConverter"/>), so a software rasterizer
    /// draws it with a plain texture fetch instead of converting every shown pixel in a shader.
    /// </param>
    public CpuPreprocessWorker(IFrameSource source, PreprocessSpec spec, TensorDoubleBuffer tensors, int mapWidth, int mapHeight, ManualResetEventSlim? framePosted = null, bool rgbaForPresent = false)
    {
        _rgbaForPresent = rgbaForPresent;
        if (tensors.ElementCount != spec.ElementCount)
        {
            throw new ArgumentException($"The tensor buffer holds {tensors.ElementCount} floats; the model needs {spec.ElementCount}.", nameof(tensors));
        }

        _preprocessor = new SimdPreprocessor(spec);
        _mapBuilder = new LocalizationMapBuilder(mapWidth, mapHeight);
        _tensors = tensors;
        Maps = new TensorDoubleBuffer(_mapBuilder.ElementCount);
        Output = new FrameMailbox { PostedSignal = framePosted };
        _source = source;
        source.Mailbox.PostedSignal = _wake;
        _thread = new Thread(Run) { Name = "preprocess", IsBackground = true };
    }

    /// <summary>The preprocessed frame waiting for the render thread; it takes it with <see cref="TakeProcessed"/>.</summary>
    private FrameMailbox Output { get; }

    /// <summary>
    /// Render thread: the next preprocessed frame (the caller uploads, presents and releases it), or null. Publishes
    /// its tensor and map as it hands it over, then lets this worker take the next camera frame.
    /// </summary>
    public Frame? TakeProcessed()
    {
        Frame? frame = Output.TryTake();
        if (frame is null)
        {
            return null;
        }

        PublishPending(publish: true);
        _wake.Set();
        return frame;
    }

    /// <summary>Camera frames replaced in the hand-off (none while the render thread keeps taking them).</summary>
    public long FramesReplaced => Output.Dropped;

    /// <summary>The newest localization maps (<see cref="LocalizationMapBuilder.Channels"/> interleaved channels per cell).</summary>
    public TensorDoubleBuffer Maps { get; }

    /// <summary>Spans of this thread's work per frame, when set before <see cref="Start"/>.</summary>
    public TraceTrack? Track { get; init; }

    /// <summary>Frames whose tensor was published.</summary>
    public long FramesProcessed => Interlocked.Read(ref _framesProcessed);

    /// <summary>Why the thread stopped, if it failed (it then takes no more frames).</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Where frames come from; set by the render thread when the source changes.</summary>
    public IFrameSource Source
    {
        get => _source;
        set
        {
            IFrameSource old = _source;
            if (ReferenceEquals(old, value))
            {
                return;
            }

            old.Mailbox.PostedSignal = null;
            _source = value;
            value.Mailbox.PostedSignal = _wake;
            _wake.Set();
        }
    }

    /// <summary>While frozen no frame is taken (the last one stays on screen; the source keeps running).</summary>
    public bool Frozen
    {
        get => _frozen;
        set
        {
            _frozen = value;
            _wake.Set();
        }
    }

    public bool LocalizationEnabled
    {
        get => _localizationEnabled;
        set => _localizationEnabled = value;
    }

    /// <summary>Where in the frame (normalized) the next tensor is taken; set by the render thread.</summary>
    public RectangleF Roi
    {
        get
        {
            lock (_roiLock)
            {
                return _roi;
            }
        }

        set
        {
            // Held only to copy four floats, so the render thread never waits for more than that.
            lock (_roiLock)
            {
                _roi = value;
            }
        }
    }

    public void Start() => _thread.Start();

    /// <summary>Stops and joins the thread. Teardown only.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _wake.Set();
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _source.Mailbox.PostedSignal = null;
        if (Output.TryTake() is { } untaken)
        {
            // Nobody will show it: its tensor and map are abandoned, so the model's buffer is free for the next writer.
            PublishPending(publish: false);
            untaken.Release();
        }

        Output.Dispose();
        Maps.Dispose();
        _stop.Dispose();
        _wake.Dispose();
    }

    private void Run()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                _wake.Reset();
                if (!_frozen && !_awaitingTake && _source.Mailbox.TryTake() is { } frame)
                {
                    Process(frame);
                    continue;
                }

                // Woken by a new camera frame, the render thread taking the last one, a source change or Dispose;
                // the timeout only bounds how long a missed wake-up could cost.
                _wake.Wait(100);
            }
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _failure, ex);
        }
    }

    private void Process(Frame frame)
    {
        RectangleF roi = Roi;
        var stamp = new TensorStamp(frame.Id, frame.CaptureTimestamp, new RectangleStamp(roi.X, roi.Y, roi.Width, roi.Height));
        bool tensorBegun = false, mapBegun = false;
        try
        {
            using (Track is { } track ? track.Time("preprocess", frame.Id) : default)
            {
                Span<float> tensor = _tensors.BeginWrite();
                tensorBegun = true;
                _preprocessor.Process(frame, roi, tensor);
            }

            if (_localizationEnabled)
            {
                using (Track is { } track ? track.Time("map", frame.Id) : default)
                {
                    Span<float> map = Maps.BeginWrite();
                    mapBegun = true;
                    _mapBuilder.Build(frame, map);
                }
            }
        }
        catch
        {
            if (tensorBegun)
            {
                _tensors.EndWrite(stamp, publish: false);
            }

            if (mapBegun)
            {
                Maps.EndWrite(stamp, publish: false);
            }

            frame.Release();
            throw;
        }

        _pendingStamp = stamp;
        _pendingMap = mapBegun;
        _awaitingTake = true;
        Output.Post(_rgbaForPresent ? ToRgba(frame) : frame);
    }

    /// <summary>The frame as RGBA8 with its id, capture time and ground truth (the camera frame is released), or the frame itself when no copy is free.</summary>
    private Frame ToRgba(Frame frame)
    {
        if (frame.Format == PixelFormat.Rgba8)
        {
            return frame;
        }

        if (_rgbaPool is null || _rgbaSize != (frame.Width, frame.Height))
        {
            // Once per frame size (a camera switch), never per frame.
            _rgbaPool = new FramePool(RgbaFrames, PixelFormat.Rgba8, frame.Width, frame.Height);
            _rgbaSize = (frame.Width, frame.Height);
        }

        if (_rgbaPool.TryRent(PixelFormat.Rgba8, frame.Width, frame.Height, default) is not { } rgba)
        {
            return frame;
        }

        try
        {
            using (Track is { } track ? track.Time("rgba", frame.Id) : default)
            {
                RgbaConverter.ToRgba(frame, rgba);
            }
        }
        catch
        {
            rgba.Release();
            throw;
        }

        (rgba.Id, rgba.CaptureTimestamp, rgba.Truth) = (frame.Id, frame.CaptureTimestamp, frame.Truth);
        frame.Release();
        return rgba;
    }

    private void PublishPending(bool publish)
    {
        if (!_awaitingTake)
        {
            return;
        }

        _tensors.EndWrite(_pendingStamp, publish);
        if (_pendingMap)
        {
            Maps.EndWrite(_pendingStamp, publish);
        }

        if (publish)
        {
            Interlocked.Increment(ref _framesProcessed);
        }

        _awaitingTake = false;
    }
}
