using SkinLive.Frames;

namespace SkinLive.Capture;

/// <summary>
/// The thread, status and stop handling every source shares. A subclass implements <see cref="Run"/>: it loops
/// until <paramref name="stop"/> is cancelled, fills frames from <see cref="Pool"/> and hands them to
/// <see cref="Publish"/>. Blocking waits in Run must observe the token so Stop wakes the thread at once.
/// </summary>
public abstract class ThreadedFrameSource : IFrameSource
{
    private readonly object _lifecycle = new();
    private Thread? _thread;
    private CancellationTokenSource? _stop;
    private volatile SourceStatus _status = SourceStatus.Idle;
    private volatile string? _statusMessage;
    private long _captured;
    private long _skipped;
    private long _nextId;
    private bool _disposed;

    protected ThreadedFrameSource(FramePool pool)
    {
        Pool = pool;
    }

    public abstract string Description { get; }

    public FrameMailbox Mailbox { get; } = new();

    public SourceStatus Status => _status;

    public string? StatusMessage => _statusMessage;

    public long FramesCaptured => Interlocked.Read(ref _captured);

    public long FramesSkipped => Interlocked.Read(ref _skipped);

    public virtual double NominalFps => 0;

    protected FramePool Pool { get; }

    /// <summary>Where published frames are logged for profiles (set before Start; written only by the capture thread).</summary>
    public Profiling.TraceTrack? Track { get; set; }

    public void Start()
    {
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_thread is not null)
            {
                return;
            }

            _stop = new CancellationTokenSource();
            CancellationToken token = _stop.Token;
            SetStatus(SourceStatus.Running, null);
            _thread = new Thread(() => RunGuarded(token)) { IsBackground = true, Name = $"capture: {Description}" };
            _thread.Start();
        }
    }

    public void Stop()
    {
        lock (_lifecycle)
        {
            if (_thread is null)
            {
                return;
            }

            _stop!.Cancel();
            OnStopRequested();
            _thread.Join();
            _thread = null;
            _stop.Dispose();
            _stop = null;
            if (_status is SourceStatus.Running or SourceStatus.Disconnected)
            {
                SetStatus(SourceStatus.Stopped, null);
            }
        }
    }

    public void Dispose()
    {
        Stop();
        lock (_lifecycle)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Mailbox.Dispose();
            DisposeResources();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The capture loop; runs on the source's thread until <paramref name="stop"/> is cancelled or the source ends.</summary>
    protected abstract void Run(CancellationToken stop);

    /// <summary>Called on the stopping thread after cancellation, to wake a thread blocked outside managed waits (e.g. poll).</summary>
    protected virtual void OnStopRequested()
    {
    }

    /// <summary>Releases what the source owns beyond its thread (devices, child processes).</summary>
    protected virtual void DisposeResources()
    {
    }

    protected void SetStatus(SourceStatus status, string? message)
    {
        _statusMessage = message;
        _status = status;
    }

    /// <summary>A pooled frame laid out as asked, or null (counted as skipped) when the consumer holds them all.</summary>
    protected Frame? RentFrame(PixelFormat format, int width, int height, ColorSpec color)
    {
        Frame? frame = Pool.TryRent(format, width, height, color);
        if (frame is null)
        {
            CountSkipped();
        }

        return frame;
    }

    /// <summary>Stamps and posts a filled frame. Pass the capture time taken at dequeue (defaults to now).</summary>
    protected void Publish(Frame frame, long captureTimestamp = 0)
    {
        frame.Id = _nextId++;
        frame.CaptureTimestamp = captureTimestamp != 0 ? captureTimestamp : Frame.Now();
        Track?.Add("capture", frame.CaptureTimestamp, Frame.Now(), frame.Id);
        Mailbox.Post(frame);
        Interlocked.Increment(ref _captured);
    }

    protected void CountSkipped() => Interlocked.Increment(ref _skipped);

    private void RunGuarded(CancellationToken stop)
    {
        try
        {
            Run(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // A source must never take the app down: the failure becomes a visible status.
            SetStatus(SourceStatus.Faulted, ex.Message);
        }
    }
}
