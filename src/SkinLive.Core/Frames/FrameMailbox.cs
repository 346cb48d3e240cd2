namespace SkinLive.Frames;

/// <summary>
/// Single-slot hand-off from a capture thread to the render thread.
/// Invariants: the slot holds at most one frame; <see cref="Post"/> replaces an unconsumed frame, which is
/// released to its pool and counted in <see cref="Dropped"/> (latest wins, nothing queues); <see cref="TryTake"/>
/// empties the slot and transfers ownership to the caller. Neither side ever blocks or allocates.
/// </summary>
public sealed class FrameMailbox : IDisposable
{
    private Frame? _slot;
    private long _posted;
    private long _dropped;

    public long Posted => Interlocked.Read(ref _posted);

    /// <summary>Frames replaced before the consumer took them.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// Set (when not null) after every post, so a consumer that blocks for its next frame can sleep instead of
    /// polling: the benchmark's synchronous peer. The live pipeline never waits on it.
    /// </summary>
    public ManualResetEventSlim? PostedSignal { get; set; }

    /// <summary>
    /// Set (when not null) after every take that returned a frame, so a producer that delivers on demand (the
    /// replay source) can post the next frame as soon as the slot is free, without polling.
    /// </summary>
    public ManualResetEventSlim? TakenSignal { get; set; }

    /// <summary>Takes ownership of <paramref name="frame"/>.</summary>
    public void Post(Frame frame)
    {
        Interlocked.Increment(ref _posted);
        Frame? replaced = Interlocked.Exchange(ref _slot, frame);
        if (replaced is not null)
        {
            Interlocked.Increment(ref _dropped);
            replaced.Release();
        }

        PostedSignal?.Set();
    }

    /// <summary>The newest frame, or null when none arrived since the last take. The caller releases it.</summary>
    public Frame? TryTake()
    {
        Frame? frame = Interlocked.Exchange(ref _slot, null);
        if (frame is not null)
        {
            TakenSignal?.Set();
        }

        return frame;
    }

    public void Dispose() => TryTake()?.Release();
}
