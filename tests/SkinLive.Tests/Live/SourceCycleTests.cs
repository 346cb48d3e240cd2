using SkinLive.App.Live;
using SkinLive.Capture;
using SkinLive.Platform;
using SkinLive.Tests.Capture;

namespace SkinLive.Tests.Live;

public sealed class SourceCycleTests
{
    private const string Pattern = "testpattern:size=160x120";
    private const string Synthetic = "synthetic:size=160x120,fps=0";

    [Fact]
    public void Next_opens_the_following_candidate_skipping_one_that_fails_and_wraps_around()
    {
        using var cycle = new SourceCycle(Pattern, () => [Pattern, "v4l2:/nonexistent/video9", Synthetic], uri => SourceOptions.Open(uri));

        using (IFrameSource synthetic = Switch(cycle, out string? error))
        {
            Assert.Null(error);
            Assert.Equal(Synthetic, cycle.Current);
            Assert.Equal(SourceStatus.Running, synthetic.Status);
            Assert.Contains("synthetic", synthetic.Description, StringComparison.OrdinalIgnoreCase);
        }

        using IFrameSource pattern = Switch(cycle, out _);
        Assert.Equal(Pattern, cycle.Current);
        Assert.False(cycle.Switching);
    }

    [Fact]
    public void With_no_other_source_the_switch_reports_one_sentence_and_keeps_the_current()
    {
        using var cycle = new SourceCycle(Pattern, () => [Pattern, "v4l2:/nonexistent/video9"], uri => SourceOptions.Open(uri));
        cycle.RequestNext();
        string? error = null;
        Assert.True(SpinWait.SpinUntil(() => cycle.TryTakeOpened(out error) is not null || error is not null, TimeSpan.FromSeconds(30)));
        Assert.NotNull(error);
        Assert.Contains("video9", error);
        Assert.Equal(Pattern, cycle.Current);
    }

    [Fact]
    public void Candidates_are_the_start_source_each_capture_device_and_the_synthetic_feed_once()
    {
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_YUYV, 640, 480, 1280);
        Assert.Equal(["file:clip.mp4", "v4l2:/dev/video0", "synthetic"], SourceCycle.Candidates("file:clip.mp4", system));
        Assert.Equal(["synthetic", "v4l2:/dev/video0"], SourceCycle.Candidates("synthetic", system));
        system.Present = false;
        Assert.Equal(["v4l2:/dev/video0", "synthetic"], SourceCycle.Candidates("v4l2:/dev/video0", system));
    }

    private static IFrameSource Switch(SourceCycle cycle, out string? error)
    {
        cycle.RequestNext();
        Assert.True(cycle.Switching);
        IFrameSource? opened = null;
        string? failure = null;
        Assert.True(SpinWait.SpinUntil(() => (opened = cycle.TryTakeOpened(out failure)) is not null || failure is not null, TimeSpan.FromSeconds(30)));
        error = failure;
        return opened ?? throw new InvalidOperationException(failure);
    }
}
