using System.Diagnostics;
using SkinLive.Profiling;
using SkinLive.Tensors;

namespace SkinLive.Inference.Runtime;

public enum WorkerState
{
    /// <summary>Started, no result yet.</summary>
    Starting,
    Running,
    /// <summary>The model failed at run time; <see cref="InferenceWorker.Error"/> says why. Video goes on; no new results.</summary>
    Faulted,
    Stopped,
}

/// <summary>A fault to inject into one inference run (tests and drills: <c>--inject-fault model-throw@N</c>).</summary>
public enum ModelFault
{
    None,
    /// <summary>The run throws, as a broken model or runtime would.</summary>
    Throw,
    /// <summary>The input tensor is all NaN, so the real output check sees a NaN result.</summary>
    NanInput,
}

/// <summary>
/// Runs the classifier on its own thread on the newest tensor of a <see cref="TensorDoubleBuffer"/> and
/// publishes results through a <see cref="ResultSlot"/>. Tensors that arrive while a run is in progress replace
/// each other (the buffer counts them as dropped), so only the newest is classified. The classifier must have
/// been loaded over the buffer's own arrays (<see cref="TensorDoubleBuffer.Buffers"/>): nothing is copied.
/// Steady state allocates nothing. Owns neither the classifier nor the buffer.
/// </summary>
public sealed class InferenceWorker : IDisposable
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);
    private static readonly double s_ticksToMs = 1000.0 / Stopwatch.Frequency;
    private readonly OnnxClassifier _classifier;
    private readonly TensorDoubleBuffer _tensors;
    private CancellationTokenSource _stop = new();
    private Thread _thread;
    private volatile WorkerState _state = WorkerState.Starting;
    private volatile string? _error;
    private long _runs;
    private long _invalid;
    private long _allocatedBytes;

    public InferenceWorker(OnnxClassifier classifier, TensorDoubleBuffer tensors, int topK = 3)
    {
        if (classifier.InputBufferCount != tensors.Buffers.Count || tensors.ElementCount != classifier.Model.Preprocess.ElementCount)
        {
            throw new ArgumentException("The classifier must be loaded over this tensor buffer's arrays.", nameof(classifier));
        }

        _classifier = classifier;
        _tensors = tensors;
        Results = new ResultSlot(classifier.Model.ClassCount, topK);
        _thread = NewThread();
    }

    public ResultSlot Results { get; }

    public WorkerState State => _state;

    /// <summary>Why the worker faulted, one sentence; null otherwise.</summary>
    public string? Error => _error;

    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Runs whose output had NaN or infinite values (published as invalid results).</summary>
    public long InvalidResults => Interlocked.Read(ref _invalid);

    /// <summary>Managed bytes the worker thread has allocated since its first result (0 in the steady state).</summary>
    public long AllocatedBytesSinceFirstResult => Interlocked.Read(ref _allocatedBytes);

    /// <summary>Where each run is logged for profiles (set before <see cref="Start"/>; written only by the worker thread).</summary>
    public TraceTrack? Track { get; set; }

    /// <summary>Receives each run's time for the fleet metrics (set before <see cref="Start"/>).</summary>
    public SkinLiveMeter? Meter { get; set; }

    /// <summary>Asked before each run with the number of runs completed before it (0 first); null in normal use.</summary>
    public Func<long, ModelFault>? InjectFault { get; set; }

    /// <summary>Starts the thread; after <see cref="Stop"/> (or a fault) starts afresh on a new thread with the error cleared.</summary>
    public void Start()
    {
        if (_thread.IsAlive)
        {
            return;
        }

        if (_thread.ThreadState != System.Threading.ThreadState.Unstarted)
        {
            _stop.Dispose();
            _stop = new CancellationTokenSource();
            _thread = NewThread();
        }

        _error = null;
        _state = WorkerState.Starting;
        _thread.Start();
    }

    /// <summary>Stops after the run in progress (if any) and joins the thread.</summary>
    public void Stop()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
        }

        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        if (_state != WorkerState.Faulted)
        {
            _state = WorkerState.Stopped;
        }
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    /// <summary>
    /// What the worker thread does per tensor: waits up to <paramref name="timeout"/> for the newest tensor,
    /// classifies it and publishes the result. Returns false when no tensor came or the model failed (then
    /// <see cref="State"/> is <see cref="WorkerState.Faulted"/>). Public for benchmarks and tests that drive the
    /// worker synchronously; never call it while <see cref="Start"/>ed.
    /// </summary>
    public bool TryProcessNext(TimeSpan timeout, CancellationToken cancel)
    {
        if (_state == WorkerState.Faulted || !_tensors.TryBeginRead(timeout, cancel, out int index, out TensorStamp stamp))
        {
            return false;
        }

        bool valid;
        long elapsed;
        try
        {
            ModelFault fault = InjectFault?.Invoke(Runs) ?? ModelFault.None;
            if (fault == ModelFault.Throw)
            {
                throw new InvalidOperationException($"injected fault at run {Runs}");
            }

            if (fault == ModelFault.NanInput)
            {
                _tensors.Buffers[index].AsSpan().Fill(float.NaN);
            }

            long start = Stopwatch.GetTimestamp();
            valid = _classifier.Run(index);
            long end = Stopwatch.GetTimestamp();
            elapsed = end - start;
            Track?.Add("inference", start, end, stamp.FrameId);
            Meter?.RecordInference(start, end);
        }
        catch (Exception ex)
        {
            _error = $"Model {_classifier.Model.Name} failed at run time: {ex.Message.Split('\n', 2)[0].Trim()}";
            _state = WorkerState.Faulted;
            return false;
        }
        finally
        {
            _tensors.EndRead();
        }

        long run = Interlocked.Increment(ref _runs);
        if (!valid)
        {
            Interlocked.Increment(ref _invalid);
        }

        Results.WriteTarget.Fill(run, stamp, _classifier.Output, _classifier.Model.OutputIsLogits, valid, elapsed * s_ticksToMs);
        Results.Publish();
        _state = WorkerState.Running;
        return true;
    }

    private Thread NewThread() => new(Loop) { IsBackground = true, Name = "SkinLive inference" };

    private void Loop()
    {
        CancellationToken cancel = _stop.Token;
        long baseline = -1;
        while (!cancel.IsCancellationRequested && _state != WorkerState.Faulted)
        {
            if (!TryProcessNext(s_poll, cancel))
            {
                continue;
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread();
            if (baseline < 0)
            {
                baseline = allocated;
            }

            Interlocked.Exchange(ref _allocatedBytes, allocated - baseline);
        }
    }
}
