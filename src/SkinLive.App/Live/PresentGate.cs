using System.Diagnostics;

namespace SkinLive.App.Live;

/// <summary>What one turn of the loop knows when it decides whether to present.</summary>
public readonly record struct PresentInputs
{
    /// <summary>Stopwatch ticks now.</summary>
    public long Now { get; init; }

    /// <summary>Camera frames taken so far (a new one since the last present is a new picture).</summary>
    public long FramesUploaded { get; init; }

    public bool HasFrame { get; init; }

    /// <summary>Source id of the frame the turn would show.</summary>
    public long FrameOnScreen { get; init; }

    /// <summary>Source id of the newest result taken (-1: none).</summary>
    public long ResultFrame { get; init; }

    public bool ModelRunning { get; init; }

    public bool Frozen { get; init; }

    /// <summary>The renderer is a software rasterizer: an unchanged picture is not worth presenting.</summary>
    public bool SkipsUnchanged { get; init; }

    public bool SourceRunning { get; init; }

    /// <summary>The run's time is up (<c>--seconds</c>): the turn that ends it must present.</summary>
    public bool TimeUp { get; init; }

    public string? Status { get; init; }

    public string? FullScreen { get; init; }
}

public enum PresentDecision
{
    Present,

    /// <summary>Nothing changed since the last present: show nothing, idle until woken.</summary>
    Skip,

    /// <summary>A new frame waits for its own result (<c>--overlay sync</c>): show nothing and take no newer frame.</summary>
    HoldForResult,
}

/// <summary>
/// Decides, once per turn, whether the loop presents. <c>--overlay sync</c>: a new camera frame is held until its own
/// result has arrived (its tensor went to the model as the frame was taken), for at most the deadline, then shown with
/// the newest result and counted late; only while a model runs. On a software rasterizer a turn with no new frame,
/// result, status or key since the last present is skipped; a source that is not running and a run whose time is up
/// keep presenting, so the end of a run is always reached. Render thread only; allocates nothing.
/// </summary>
public sealed class PresentGate(OverlayTiming overlay, TimeSpan deadline)
{
    private long _shownUploads = -1;
    private string? _shownStatus;
    private string? _shownFullScreen;
    private bool _inputSincePresent = true;
    private bool _resultSincePresent;
    private long _uploadsSeen = -1;
    private long _newFrameAt;

    /// <summary>Camera frames shown with an older result because theirs missed the deadline.</summary>
    public long LateResults { get; private set; }

    /// <summary>A key or another input changed what the screen should show.</summary>
    public void NoteInput() => _inputSincePresent = true;

    /// <summary>A new result was taken into the overlay.</summary>
    public void NoteResult() => _resultSincePresent = true;

    public PresentDecision Decide(in PresentInputs i)
    {
        if (i.FramesUploaded != _uploadsSeen)
        {
            (_uploadsSeen, _newFrameAt) = (i.FramesUploaded, i.Now);
        }

        bool newFrame = i.FramesUploaded != _shownUploads;
        if (overlay == OverlayTiming.Sync && i.ModelRunning && !i.Frozen && i.HasFrame && newFrame && i.ResultFrame < i.FrameOnScreen)
        {
            if (Stopwatch.GetElapsedTime(_newFrameAt, i.Now) < deadline)
            {
                return PresentDecision.HoldForResult;
            }

            LateResults++;
        }

        bool unchanged = i.SkipsUnchanged && !newFrame && !_inputSincePresent && !_resultSincePresent && i.SourceRunning && !i.TimeUp
            && ReferenceEquals(i.Status, _shownStatus) && ReferenceEquals(i.FullScreen, _shownFullScreen);
        if (unchanged)
        {
            return PresentDecision.Skip;
        }

        (_shownUploads, _shownStatus, _shownFullScreen) = (i.FramesUploaded, i.Status, i.FullScreen);
        (_inputSincePresent, _resultSincePresent) = (false, false);
        return PresentDecision.Present;
    }
}
