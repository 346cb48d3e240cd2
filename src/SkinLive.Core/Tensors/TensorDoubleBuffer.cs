namespace SkinLive.Tensors;

/// <summary>Where a tensor came from: the frame it was computed from and that frame's capture time.</summary>
public readonly record struct TensorStamp(long FrameId, long CaptureTimestamp, RectangleStamp Roi);

/// <summary>The normalized crop (x, y, w, h in 0..1 of the source frame) a tensor was computed from.</summary>
public readonly record struct RectangleStamp(float X, float Y, float Width, float Height);

/// <summary>
/// Hand-off of model input tensors from the render thread (writer) to the inference thread (reader).
/// Invariants, all kept by one compare-and-swap on a packed state word:
///  - two pinned float buffers; at any time at most one is being written, at most one is being read, and
///    never the same one, so a tensor is never torn;
///  - a finished write becomes the single "ready" tensor; a newer one replaces an unread one (counted in
///    <see cref="Dropped"/>), so the reader always gets the newest complete tensor;
///  - the writer never waits: if the reader holds buffer A, the writer reuses B even if B was ready but unread.
/// Only one writer thread and one reader thread may use an instance.
/// </summary>
public sealed class TensorDoubleBuffer : IDisposable
{
    // State word: bits 0-1 ready index + 1, bits 2-3 reading index + 1, bits 4-5 writing index + 1 (0 = none).
    private const int None = -1;
    private readonly float[][] _buffers;
    private readonly TensorStamp[] _stamps = new TensorStamp[2];
    private readonly ManualResetEventSlim _readySignal = new(false);
    private int _state;
    private long _published;
    private long _dropped;

    public TensorDoubleBuffer(int elementCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(elementCount, 1);
        ElementCount = elementCount;
        _buffers = [GC.AllocateArray<float>(elementCount, pinned: true), GC.AllocateArray<float>(elementCount, pinned: true)];
    }

    public int ElementCount { get; }

    public long Published => Interlocked.Read(ref _published);

    /// <summary>Tensors overwritten before the reader took them.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Both pinned buffers, so a consumer can wrap each once (e.g. in an ORT value) at start-up.</summary>
    public IReadOnlyList<float[]> Buffers => _buffers;

    /// <summary>Writer: a buffer to fill. Never blocks. Must be followed by <see cref="EndWrite"/>.</summary>
    public Span<float> BeginWrite() => _buffers[BeginWriteIndex()];

    /// <summary>Writer: index of the buffer to fill (same contract as <see cref="BeginWrite"/>).</summary>
    public int BeginWriteIndex()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            Unpack(state, out int ready, out int reading, out int writing);
            if (writing != None)
            {
                throw new InvalidOperationException("BeginWrite called twice without EndWrite.");
            }

            int target = reading != None ? 1 - reading : (ready != None ? 1 - ready : 0);
            int newReady = ready == target ? None : ready;
            if (Interlocked.CompareExchange(ref _state, Pack(newReady, reading, target), state) == state)
            {
                if (ready == target)
                {
                    Interlocked.Increment(ref _dropped);
                }

                return target;
            }
        }
    }

    /// <summary>Writer: publishes the buffer from <see cref="BeginWrite"/> as the newest tensor, or abandons it.</summary>
    public void EndWrite(in TensorStamp stamp, bool publish = true)
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            Unpack(state, out int ready, out int reading, out int writing);
            if (writing == None)
            {
                throw new InvalidOperationException("EndWrite called without BeginWrite.");
            }

            if (publish)
            {
                _stamps[writing] = stamp;
            }

            int newReady = publish ? writing : ready;
            if (Interlocked.CompareExchange(ref _state, Pack(newReady, reading, None), state) == state)
            {
                if (publish)
                {
                    if (ready != None)
                    {
                        Interlocked.Increment(ref _dropped);
                    }

                    Interlocked.Increment(ref _published);
                    _readySignal.Set();
                }

                return;
            }
        }
    }

    /// <summary>Reader: takes the newest complete tensor if there is one. Must be followed by <see cref="EndRead"/>.</summary>
    public bool TryBeginRead(out int index, out TensorStamp stamp)
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            Unpack(state, out int ready, out int reading, out int writing);
            if (reading != None)
            {
                throw new InvalidOperationException("TryBeginRead called twice without EndRead.");
            }

            if (ready == None)
            {
                index = None;
                stamp = default;
                return false;
            }

            if (Interlocked.CompareExchange(ref _state, Pack(None, ready, writing), state) == state)
            {
                index = ready;
                stamp = _stamps[ready];
                return true;
            }
        }
    }

    /// <summary>Reader: waits up to <paramref name="timeout"/> for a tensor, then behaves as <see cref="TryBeginRead"/>.</summary>
    public bool TryBeginRead(TimeSpan timeout, CancellationToken cancel, out int index, out TensorStamp stamp)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            if (TryBeginRead(out index, out stamp))
            {
                return true;
            }

            // A signal can be stale (set by a publish the reader already consumed), so re-check after each wake.
            _readySignal.Reset();
            if (TryBeginRead(out index, out stamp))
            {
                return true;
            }

            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0 || cancel.IsCancellationRequested)
            {
                return false;
            }

            try
            {
                _readySignal.Wait(TimeSpan.FromMilliseconds(remaining), cancel);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    public ReadOnlySpan<float> Read(int index) => _buffers[index];

    /// <summary>Reader: releases the buffer from <see cref="TryBeginRead(out int, out TensorStamp)"/>.</summary>
    public void EndRead()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            Unpack(state, out int ready, out int reading, out int writing);
            if (reading == None)
            {
                throw new InvalidOperationException("EndRead called without TryBeginRead.");
            }

            if (Interlocked.CompareExchange(ref _state, Pack(ready, None, writing), state) == state)
            {
                return;
            }
        }
    }

    public void Dispose() => _readySignal.Dispose();

    private static int Pack(int ready, int reading, int writing) => (ready + 1) | ((reading + 1) << 2) | ((writing + 1) << 4);

    private static void Unpack(int state, out int ready, out int reading, out int writing)
    {
        ready = (state & 3) - 1;
        reading = ((state >> 2) & 3) - 1;
        writing = ((state >> 4) & 3) - 1;
    }
}
