using System.Diagnostics;
using SkinLive.App.Live;

namespace SkinLive.Tests.Live;

public sealed class PresentGateTests
{
    private static readonly long Ms = Stopwatch.Frequency / 1000;

    // Frame 5 just taken, the newest result is frame 4's, the model runs, on a software rasterizer.
    private static readonly PresentInputs NewFrame = new()
    {
        Now = 1_000 * Ms,
        FramesUploaded = 5,
        HasFrame = true,
        FrameOnScreen = 5,
        ResultFrame = 4,
        ModelRunning = true,
        SkipsUnchanged = true,
        SourceRunning = true,
    };

    [Fact]
    public void Sync_holds_a_new_frame_until_its_own_result_arrives_within_the_deadline()
    {
        var gate = new PresentGate(OverlayTiming.Sync, TimeSpan.FromMilliseconds(16));
        Assert.Equal(PresentDecision.HoldForResult, gate.Decide(NewFrame));
        Assert.Equal(PresentDecision.HoldForResult, gate.Decide(NewFrame with { Now = NewFrame.Now + (10 * Ms) }));
        Assert.Equal(PresentDecision.Present, gate.Decide(NewFrame with { Now = NewFrame.Now + (12 * Ms), ResultFrame = 5 }));
        Assert.Equal(0, gate.LateResults);
    }

    [Fact]
    public void Sync_shows_a_frame_whose_result_misses_the_deadline_and_counts_it_late_once()
    {
        var gate = new PresentGate(OverlayTiming.Sync, TimeSpan.FromMilliseconds(16));
        Assert.Equal(PresentDecision.HoldForResult, gate.Decide(NewFrame));
        Assert.Equal(PresentDecision.Present, gate.Decide(NewFrame with { Now = NewFrame.Now + (17 * Ms) }));
        Assert.Equal(PresentDecision.Skip, gate.Decide(NewFrame with { Now = NewFrame.Now + (20 * Ms) }));
        Assert.Equal(1, gate.LateResults);
    }

    [Theory]
    [InlineData(OverlayTiming.Latest, true, false)]
    [InlineData(OverlayTiming.Sync, false, false)]
    [InlineData(OverlayTiming.Sync, true, true)]
    public void A_new_frame_is_shown_at_once_with_latest_without_a_running_model_or_while_frozen(OverlayTiming overlay, bool modelRunning, bool frozen)
    {
        var gate = new PresentGate(overlay, TimeSpan.FromMilliseconds(16));
        Assert.Equal(PresentDecision.Present, gate.Decide(NewFrame with { ModelRunning = modelRunning, Frozen = frozen }));
    }

    [Fact]
    public void An_unchanged_picture_is_skipped_on_a_software_rasterizer_and_anything_new_is_presented()
    {
        var gate = new PresentGate(OverlayTiming.Latest, TimeSpan.Zero);
        PresentInputs shown = NewFrame with { Status = "Hold steady" };
        Assert.Equal(PresentDecision.Present, gate.Decide(shown));
        Assert.Equal(PresentDecision.Skip, gate.Decide(shown));

        Assert.Equal(PresentDecision.Present, gate.Decide(shown with { FramesUploaded = 6 }));
        Assert.Equal(PresentDecision.Present, gate.Decide(shown with { FramesUploaded = 6, Status = "Move closer" }));
        gate.NoteResult();
        Assert.Equal(PresentDecision.Present, gate.Decide(shown with { FramesUploaded = 6, Status = "Move closer" }));
        gate.NoteInput();
        Assert.Equal(PresentDecision.Present, gate.Decide(shown with { FramesUploaded = 6, Status = "Move closer" }));
        Assert.Equal(PresentDecision.Skip, gate.Decide(shown with { FramesUploaded = 6, Status = "Move closer" }));
    }

    [Theory]
    [InlineData(false, true, false)]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    public void Nothing_is_skipped_on_a_gpu_when_the_source_stopped_or_when_the_run_ends(bool skipsUnchanged, bool sourceRunning, bool timeUp)
    {
        var gate = new PresentGate(OverlayTiming.Latest, TimeSpan.Zero);
        PresentInputs same = NewFrame with { SkipsUnchanged = skipsUnchanged, SourceRunning = sourceRunning, TimeUp = timeUp };
        Assert.Equal(PresentDecision.Present, gate.Decide(same));
        Assert.Equal(PresentDecision.Present, gate.Decide(same));
    }
}
