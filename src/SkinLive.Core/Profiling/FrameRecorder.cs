using System.Diagnostics;

namespace SkinLive.Profiling;

/// <summary>How much a <see cref="FrameRecorder"/> keeps; everything is allocated once, at construction.</summary>
public sealed record FrameRecorderOptions
{
    /// <summary>Latest frames kept in a ring for the HUD graph.</summary>
    public int HistoryFrames { get; init; } = 512;

    /// <summary>Frames kept from the start for a profile report (0: no profile; later frames are counted, not kept).</summary>
    public int ProfileFrames { get; init; }

    /// <summary>Stage spans kept per profiled frame on the render track, for the trace.</summary>
    public int TraceEventsPerFrame { get; init; } = 12;
}

/// <summary>
/// Per-frame statistics of the render loop. The render thread calls <see cref="BeginFrame()"/>, times stages
/// with <c>using (recorder.Time(FrameStage.Upload)) { ... }</c>, and calls <see cref="EndFrame(in FrameOutcome)"/>
/// after the swap; it also reads <see cref="Recent"/> for the HUD. Other threads log spans on their own
/// <see cref="TraceTrack"/> from <see cref="RegisterTrack"/>. Recording allocates nothing.
/// </summary>
public sealed class FrameRecorder
{
    private readonly FrameRecord[] _history;
    private readonly FrameRecord[] _profile;
    private readonly List<TraceTrack> _tracks = [];
    private readonly Lock _tracksGate = new();
    private readonly SkinLiveMeter? _meter;
    private StageTimes _stages;
    private int _historyNext;
    private int _historyCount;
    private int _profileCount;
    private long _frames;
    private long _frameStart;
    private long _lastDisplay;
    private long _lastSourceFrameId = -1;
    private DropTotals _lastDrops;
    private bool _inFrame;

    public FrameRecorder(FrameRecorderOptions options, SkinLiveMeter? meter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HistoryFrames, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.ProfileFrames);
        _history = new FrameRecord[options.HistoryFrames];
        _profile = new FrameRecord[options.ProfileFrames];
        // Resident from the start, so memory does not creep up as the profile fills (see TraceTrack).
        Array.Clear(_profile);
        _meter = meter;
        RenderTrack = RegisterTrack(TrackNames.Render, options.ProfileFrames * options.TraceEventsPerFrame);
    }

    /// <summary>Stage spans of the render thread (kept only while profiling).</summary>
    public TraceTrack RenderTrack { get; }

    /// <summary>Frames ended so far.</summary>
    public long FrameCount => _frames;

    /// <summary>Frames in <see cref="Recent"/> (up to the history capacity).</summary>
    public int RecentCount => _historyCount;

    /// <summary>Frames kept for the profile, oldest first.</summary>
    public ReadOnlySpan<FrameRecord> ProfileFrames => _profile.AsSpan(0, _profileCount);

    /// <summary>Frames ended after the profile was full (not in <see cref="ProfileFrames"/>).</summary>
    public long FramesNotProfiled => _profile.Length == 0 ? 0 : _frames - _profileCount;

    /// <summary>All tracks, the render track first. Safe to call while other threads record.</summary>
    public IReadOnlyList<TraceTrack> Tracks
    {
        get
        {
            lock (_tracksGate)
            {
                return [.. _tracks];
            }
        }
    }

    /// <summary>A new track for one thread's spans (capture, inference); call once per thread, before it runs.</summary>
    public TraceTrack RegisterTrack(string threadName, int capacity)
    {
        lock (_tracksGate)
        {
            var track = new TraceTrack(threadName, _tracks.Count + 1, capacity);
            _tracks.Add(track);
            return track;
        }
    }

    /// <summary>A recent frame: age 0 is the latest ended frame. Render thread only.</summary>
    public ref readonly FrameRecord Recent(int age)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(age);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(age, _historyCount);
        int index = _historyNext - 1 - age;
        return ref _history[index < 0 ? index + _history.Length : index];
    }

    public void BeginFrame() => BeginFrame(Stopwatch.GetTimestamp());

    /// <summary>Starts a frame at a timestamp taken by the caller (e.g. the host's frame start).</summary>
    public void BeginFrame(long timestamp)
    {
        _frameStart = timestamp;
        _inFrame = true;
    }

    /// <summary>Times a stage until the scope is disposed. Time recorded between frames counts toward the next one.</summary>
    public StageTimer Time(FrameStage stage) => new(this, stage, Stopwatch.GetTimestamp());

    /// <summary>Adds a stage span measured by the caller.</summary>
    public void AddStage(FrameStage stage, long startTimestamp, long endTimestamp)
    {
        _stages[stage] += FrameStages.TicksToMilliseconds(endTimestamp - startTimestamp);
        if (_profileCount < _profile.Length)
        {
            RenderTrack.Add(FrameStages.Name(stage), startTimestamp, endTimestamp, _frames);
        }
    }

    public void EndFrame(in FrameOutcome outcome) => EndFrame(outcome, Stopwatch.GetTimestamp());

    /// <summary>Ends the frame begun by <see cref="BeginFrame()"/>; <paramref name="displayTimestamp"/> is when it was presented.</summary>
    public void EndFrame(in FrameOutcome outcome, long displayTimestamp)
    {
        if (!_inFrame)
        {
            throw new InvalidOperationException("EndFrame was called without BeginFrame.");
        }

        long previous = _frames == 0 ? _frameStart : _lastDisplay;
        var record = new FrameRecord
        {
            FrameIndex = _frames,
            StartTimestamp = _frameStart,
            DisplayTimestamp = displayTimestamp,
            FrameMilliseconds = FrameStages.TicksToMilliseconds(displayTimestamp - previous),
            Stages = _stages,
            GpuMilliseconds = outcome.GpuMilliseconds,
            SourceFrameId = outcome.SourceFrameId,
            CaptureTimestamp = outcome.CaptureTimestamp,
            NewSourceFrame = outcome.SourceFrameId >= 0 && outcome.SourceFrameId != _lastSourceFrameId,
            ResultFrameId = outcome.ResultFrameId,
            ResultCaptureTimestamp = outcome.ResultCaptureTimestamp,
            CaptureDrops = Delta(outcome.Drops.Capture, _lastDrops.Capture),
            ReadbackDrops = Delta(outcome.Drops.Readback, _lastDrops.Readback),
            InferenceDrops = Delta(outcome.Drops.Inference, _lastDrops.Inference),
        };

        _history[_historyNext] = record;
        _historyNext = (_historyNext + 1) % _history.Length;
        _historyCount = Math.Min(_historyCount + 1, _history.Length);
        if (_profileCount < _profile.Length)
        {
            _profile[_profileCount++] = record;
        }

        _meter?.RecordFrame(record);
        _frames++;
        _lastDisplay = displayTimestamp;
        if (outcome.SourceFrameId >= 0)
        {
            _lastSourceFrameId = outcome.SourceFrameId;
        }

        _lastDrops = outcome.Drops;
        _stages = default;
        _inFrame = false;
    }

    // Counters that restart (a reopened source) would give a negative delta; that frame counts none.
    private static int Delta(long total, long previous) => (int)Math.Clamp(total - previous, 0, int.MaxValue);
}

/// <summary>An open stage measurement; disposing it adds the elapsed time to the current frame's stage.</summary>
public readonly ref struct StageTimer
{
    private readonly FrameRecorder _recorder;
    private readonly FrameStage _stage;
    private readonly long _start;

    internal StageTimer(FrameRecorder recorder, FrameStage stage, long start)
    {
        _recorder = recorder;
        _stage = stage;
        _start = start;
    }

    public void Dispose() => _recorder.AddStage(_stage, _start, Stopwatch.GetTimestamp());
}
