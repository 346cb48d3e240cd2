namespace SkinLive.Inference.Runtime;

/// <summary>
/// Latest-wins hand-off of results from one writer to one reader without allocation (triple buffering):
/// the writer fills its private instance and swaps it into the shared slot; the reader swaps the slot's
/// instance for the one it held. Each instance is touched by one thread at a time, so a result never changes
/// while the reader holds it. An unread result that is replaced is counted in <see cref="Overwritten"/>.
/// </summary>
public sealed class ResultSlot
{
    private readonly Lock _gate = new();
    private ClassificationResult _writer;
    private ClassificationResult _shared;
    private ClassificationResult _reader;
    private bool _fresh;
    private long _overwritten;

    public ResultSlot(int classCount, int topK)
    {
        _writer = new ClassificationResult(classCount, topK);
        _shared = new ClassificationResult(classCount, topK);
        _reader = new ClassificationResult(classCount, topK);
    }

    public long Overwritten
    {
        get
        {
            lock (_gate)
            {
                return _overwritten;
            }
        }
    }

    /// <summary>Set (when not null) after every publish, so a reader that idles can wake for the result (the render loop).</summary>
    public ManualResetEventSlim? PublishedSignal { get; set; }

    /// <summary>Writer: the instance to fill before <see cref="Publish"/>.</summary>
    internal ClassificationResult WriteTarget => _writer;

    /// <summary>Writer: makes the filled <see cref="WriteTarget"/> the newest result.</summary>
    internal void Publish()
    {
        lock (_gate)
        {
            (_writer, _shared) = (_shared, _writer);
            if (_fresh)
            {
                _overwritten++;
            }

            _fresh = true;
        }

        PublishedSignal?.Set();
    }

    /// <summary>
    /// Reader: the newest result if one was published since the last call, else null. The returned instance
    /// stays unchanged until this reader calls again; <see cref="Latest"/> keeps pointing at it.
    /// </summary>
    public ClassificationResult? TryAcquire()
    {
        lock (_gate)
        {
            if (!_fresh)
            {
                return null;
            }

            (_reader, _shared) = (_shared, _reader);
            _fresh = false;
            return _reader;
        }
    }

    /// <summary>Reader: the last acquired result (Sequence 0 when nothing was ever acquired).</summary>
    public ClassificationResult Latest
    {
        get
        {
            lock (_gate)
            {
                return _reader;
            }
        }
    }
}
