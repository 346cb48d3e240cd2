namespace SkinLive.Profiling;

/// <summary>
/// One displayed frame as the render thread saw it. Timestamps are <see cref="System.Diagnostics.Stopwatch"/>
/// ticks (the clock frames are stamped with at capture); ids are source frame ids, -1 where there is none.
/// </summary>
public readonly struct FrameRecord
{
    /// <summary>0-based count of frames ended by the recorder.</summary>
    public long FrameIndex { get; init; }

    /// <summary>When the frame began (<see cref="FrameRecorder.BeginFrame()"/>).</summary>
    public long StartTimestamp { get; init; }

    /// <summary>When the frame was handed to the display (<see cref="FrameRecorder.EndFrame(in FrameOutcome)"/>, after swap).</summary>
    public long DisplayTimestamp { get; init; }

    /// <summary>
    /// Display-to-display interval (PresentMon's MsBetweenPresents); for the first frame of a recording, its own
    /// start-to-display time. Frame rate and frame-time metrics are computed from this.
    /// </summary>
    public double FrameMilliseconds { get; init; }

    public StageTimes Stages { get; init; }

    /// <summary>GPU time of the frame's passes from timer queries; NaN where the context has none.</summary>
    public double GpuMilliseconds { get; init; }

    /// <summary>Id of the source frame on screen.</summary>
    public long SourceFrameId { get; init; }

    /// <summary>Capture timestamp of the source frame on screen (0: none).</summary>
    public long CaptureTimestamp { get; init; }

    /// <summary>True when this frame is the first to show <see cref="SourceFrameId"/> (false: a repeat, no new frame arrived).</summary>
    public bool NewSourceFrame { get; init; }

    /// <summary>Source frame id of the classification result on screen (-1: none yet).</summary>
    public long ResultFrameId { get; init; }

    /// <summary>Capture timestamp of the frame the result on screen was computed from (0: none).</summary>
    public long ResultCaptureTimestamp { get; init; }

    /// <summary>Frames dropped since the previous record: replaced in the capture mailbox or lost by the source.</summary>
    public int CaptureDrops { get; init; }

    /// <summary>Readbacks skipped since the previous record.</summary>
    public int ReadbackDrops { get; init; }

    /// <summary>Tensors replaced before inference took them, since the previous record.</summary>
    public int InferenceDrops { get; init; }

    /// <summary>CPU time from the start of the frame to its display.</summary>
    public double BusyMilliseconds => FrameStages.TicksToMilliseconds(DisplayTimestamp - StartTimestamp);

    public bool HasSourceFrame => SourceFrameId >= 0 && CaptureTimestamp != 0;

    public bool HasResult => HasSourceFrame && ResultFrameId >= 0 && ResultCaptureTimestamp != 0;

    /// <summary>Capture → display latency of the source frame on screen; NaN without one.</summary>
    public double CaptureToDisplayMilliseconds => HasSourceFrame ? FrameStages.TicksToMilliseconds(DisplayTimestamp - CaptureTimestamp) : double.NaN;

    /// <summary>Source frames between the result's frame and the frame on screen; -1 without a result.</summary>
    public long StalenessFrames => HasResult ? SourceFrameId - ResultFrameId : -1;

    /// <summary>Capture time between the result's frame and the frame on screen; NaN without a result.</summary>
    public double StalenessMilliseconds => HasResult ? FrameStages.TicksToMilliseconds(CaptureTimestamp - ResultCaptureTimestamp) : double.NaN;
}

/// <summary>Running totals of frames dropped at each hand-off, as the counters report them (the recorder keeps deltas).</summary>
public readonly record struct DropTotals(long Capture, long Readback, long Inference);

/// <summary>What a frame put on screen: the source frame, the result drawn over it, GPU time and drop totals.</summary>
public readonly record struct FrameOutcome(
    long SourceFrameId,
    long CaptureTimestamp,
    long ResultFrameId,
    long ResultCaptureTimestamp,
    double GpuMilliseconds,
    DropTotals Drops)
{
    /// <summary>A frame that showed nothing from a source (no frame has arrived yet).</summary>
    public static FrameOutcome Empty => new(-1, 0, -1, 0, double.NaN, default);
}
