using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Profiling;

namespace SkinLive.Bench.Peers;

/// <summary>
/// One turn of the synchronous peer's loop, profiled as SkinLive's render loop is: wait for the camera's next
/// frame (as a blocking read would), preprocess, classify, draw the verdict on the frame, and (with a
/// <see cref="PeerWindow"/>) draw it into the window; <see cref="EndFrame"/> then records the frame at the moment
/// it was presented, so latency runs to the same point as SkinLive's. Single-threaded, like the loop it measures.
/// </summary>
public sealed class PeerLoop(ReplayFrameSource source, ManualResetEventSlim posted, SyncOpenCvPipeline peer, FrameRecorder recorder, TraceTrack inference, long lastFrameId)
{
    private long _id = -1;
    private long _captured;
    private bool _pending;

    /// <summary>The source frame the last turn showed (-1 before the first).</summary>
    public long ShownFrameId { get; private set; } = -1;

    /// <summary>The last frame of the run has been shown.</summary>
    public bool Done => ShownFrameId >= lastFrameId;

    /// <summary>Called with the source frame id as a turn takes it (before preprocessing): where warm-up ends.</summary>
    public Action<long>? FrameTaken { get; init; }

    /// <summary>Runs one turn up to the present; false once the source has ended or failed.</summary>
    public bool Step(PeerWindow? window)
    {
        recorder.BeginFrame();
        Frame? frame;
        using (recorder.Time(FrameStage.CaptureWait))
        {
            frame = WaitForFrame();
        }

        if (frame is null)
        {
            return false;
        }

        (_id, _captured) = (frame.Id, frame.CaptureTimestamp);
        FrameTaken?.Invoke(_id);
        using (recorder.Time(FrameStage.ConvertPreprocess))
        {
            peer.Preprocess(frame);
        }

        frame.Release();
        using (inference.Time("run", _id))
        {
            peer.Classify();
        }

        using (recorder.Time(FrameStage.Overlay))
        {
            peer.Draw();
        }

        if (window is not null)
        {
            using (recorder.Time(FrameStage.Upload))
            {
                window.Show(peer.Picture);
            }
        }

        _pending = true;
        return true;
    }

    /// <summary>Records the turn's frame as presented at <paramref name="presentedTimestamp"/>; nothing when the turn showed no new frame.</summary>
    public void EndFrame(long presentedTimestamp)
    {
        if (!_pending)
        {
            return;
        }

        _pending = false;
        recorder.EndFrame(new FrameOutcome(_id, _captured, _id, _captured, double.NaN, new DropTotals(source.Mailbox.Dropped + source.FramesSkipped, 0, 0)), presentedTimestamp);
        ShownFrameId = _id;
    }

    /// <summary>The next frame, sleeping until the source posts one (as a blocking camera read would); null once it has ended or failed.</summary>
    private Frame? WaitForFrame()
    {
        while (true)
        {
            posted.Reset();
            if (source.Mailbox.TryTake() is { } frame)
            {
                return frame;
            }

            if (source.Status != SourceStatus.Running)
            {
                return null;
            }

            posted.Wait(TimeSpan.FromMilliseconds(100));
        }
    }
}
