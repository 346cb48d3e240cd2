using System.Diagnostics;

namespace SkinLive.Profiling;

/// <summary>A timed span on one thread: name (a string the caller keeps, e.g. a literal), start and end ticks, frame id.</summary>
public readonly record struct TraceEvent(string Name, long StartTimestamp, long EndTimestamp, long FrameId)
{
    public double Milliseconds => FrameStages.TicksToMilliseconds(EndTimestamp - StartTimestamp);
}

/// <summary>Names of the tracks the pipeline registers; the report looks up inference by name.</summary>
public static class TrackNames
{
    public const string Render = "render";
    public const string Capture = "capture";
    public const string Inference = "inference";
    public const string Preprocess = "preprocess";
}

/// <summary>
/// The event log of one thread: a preallocated array of spans filled from the start until full (later spans are
/// counted, not stored). One thread writes; any thread may read concurrently, because an event is written before
/// the count that publishes it. Adding never allocates.
/// </summary>
public sealed class TraceTrack
{
    private readonly TraceEvent[] _events;
    private long _count;
    private double _lastMilliseconds = double.NaN;
    private long _lastEndTimestamp;

    internal TraceTrack(string name, int id, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Name = name;
        Id = id;
        _events = new TraceEvent[capacity];
        // Fault every page in now: a long run's resident memory must not creep up as the track fills (a soak
        // reads that creep as a leak).
        Array.Clear(_events);
    }

    /// <summary>Thread name in the trace (one track per thread).</summary>
    public string Name { get; }

    /// <summary>1-based id, used as the trace's tid.</summary>
    public int Id { get; }

    public int Capacity => _events.Length;

    /// <summary>Spans added, including those past <see cref="Capacity"/>.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Duration of the latest span (NaN before the first), for a live display.</summary>
    public double LastMilliseconds => Volatile.Read(ref _lastMilliseconds);

    /// <summary>End of the latest span (0 before the first).</summary>
    public long LastEndTimestamp => Volatile.Read(ref _lastEndTimestamp);

    /// <summary>The stored spans, oldest first.</summary>
    public ReadOnlySpan<TraceEvent> Events => _events.AsSpan(0, (int)Math.Min(Count, _events.Length));

    public void Add(string name, long startTimestamp, long endTimestamp, long frameId = -1)
    {
        long index = _count;
        if (index < _events.Length)
        {
            _events[index] = new TraceEvent(name, startTimestamp, endTimestamp, frameId);
        }

        Volatile.Write(ref _lastMilliseconds, FrameStages.TicksToMilliseconds(endTimestamp - startTimestamp));
        Volatile.Write(ref _lastEndTimestamp, endTimestamp);
        Volatile.Write(ref _count, index + 1);
    }

    /// <summary>Times a span until the returned scope is disposed: <c>using (track.Time("run", id)) { ... }</c>.</summary>
    public TraceSpan Time(string name, long frameId = -1) => new(this, name, frameId, Stopwatch.GetTimestamp());
}

/// <summary>An open span on a <see cref="TraceTrack"/>; disposing it records the span.</summary>
public readonly ref struct TraceSpan
{
    private readonly TraceTrack _track;
    private readonly string _name;
    private readonly long _frameId;
    private readonly long _start;

    internal TraceSpan(TraceTrack track, string name, long frameId, long start)
    {
        _track = track;
        _name = name;
        _frameId = frameId;
        _start = start;
    }

    /// <summary>Records the span; a default span (no track) records nothing.</summary>
    public void Dispose() => _track?.Add(_name, _start, Stopwatch.GetTimestamp(), _frameId);
}
