using SkinLive.Faults;

namespace SkinLive.Tests.Faults;

public sealed class FaultPlanTests
{
    [Fact]
    public void Parses_single_items_ranges_and_timed_windows()
    {
        FaultPlan plan = FaultPlan.Parse("source-throw@5, garbage@10-20,disconnect@30+1.5s");
        Assert.Equal(3, plan.Faults.Count);
        Assert.Equal((FaultKind.SourceThrow, 5L, 5L), (plan.Faults[0].Kind, plan.Faults[0].From, plan.Faults[0].To));
        Assert.Equal((FaultKind.Garbage, 10L, 20L), (plan.Faults[1].Kind, plan.Faults[1].From, plan.Faults[1].To));
        Assert.Equal(TimeSpan.FromSeconds(1.5), plan.Faults[2].Duration);
        Assert.Equal("source-throw@5, garbage@10-20, disconnect@30+1.5s", string.Join(", ", plan.Faults));
    }

    [Fact]
    public void A_range_is_active_inside_only_and_a_one_item_throw_fires_once()
    {
        FaultPlan plan = FaultPlan.Parse("garbage@10-12,model-throw@3");
        Assert.Null(plan.ActiveAt(9, FaultKind.Garbage));
        Assert.NotNull(plan.ActiveAt(10, FaultKind.Garbage));
        Assert.NotNull(plan.ActiveAt(12, FaultKind.Garbage));
        Assert.Null(plan.ActiveAt(13, FaultKind.Garbage));
        Assert.NotNull(plan.ActiveAt(3, FaultKind.ModelThrow));
        Assert.Null(plan.ActiveAt(3, FaultKind.ModelThrow));
        Assert.Null(plan.ActiveAt(3, FaultKind.Garbage));
    }

    [Fact]
    public void A_timed_window_starts_at_its_item_and_ends_after_its_time()
    {
        FaultPlan plan = FaultPlan.Parse("stall@4+0.2s");
        Assert.Null(plan.ActiveAt(3, FaultKind.Stall));
        Assert.NotNull(plan.ActiveAt(4, FaultKind.Stall));
        Assert.NotNull(plan.ActiveAt(500, FaultKind.Stall));
        Thread.Sleep(300);
        Assert.Null(plan.ActiveAt(501, FaultKind.Stall));
    }

    [Theory]
    [InlineData("melt@3", "is not a fault")]
    [InlineData("stall", "is not KIND@N")]
    [InlineData("stall@9-3", "is not KIND@N")]
    [InlineData("stall@3+xs", "is not KIND@N")]
    [InlineData(",", "at least one")]
    public void Rejects_what_it_cannot_read_with_one_sentence(string text, string says)
    {
        var error = Assert.Throws<FormatException>(() => FaultPlan.Parse(text));
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }
}
