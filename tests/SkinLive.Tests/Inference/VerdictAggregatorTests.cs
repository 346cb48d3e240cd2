using System.Diagnostics;
using SkinLive.Inference.Runtime;
using SkinLive.Tensors;

namespace SkinLive.Tests.Inference;

public class VerdictAggregatorTests
{
    private static readonly RectangleStamp s_roi = new(0.2f, 0.2f, 0.4f, 0.4f);
    private static readonly VerdictSettings s_settings = new() { TimeConstantSeconds = 0.5, HoldSeconds = 1.0, MinConfidence = 0.6f, MinRoiOverlap = 0.5f };

    private static long Ticks(double seconds) => (long)Math.Round(seconds * Stopwatch.Frequency);

    [Fact]
    public void Verdict_becomes_stable_once_the_top_class_held_long_enough()
    {
        var aggregator = new VerdictAggregator(3, s_settings);
        float[] p = [0.1f, 0.8f, 0.1f];
        Verdict v = default;
        for (int i = 0; i <= 9; i++)
        {
            v = aggregator.Update(p, Ticks(i * 0.1), s_roi);
            Assert.False(v.IsStable);
        }

        v = aggregator.Update(p, Ticks(1.0), s_roi);
        Assert.True(v.IsStable);
        Assert.Equal(1, v.TopClass);
        Assert.Equal(0.8f, v.Confidence, 1e-5f);
        Assert.Equal(1.0, v.HeldSeconds, 1e-6);
    }

    [Fact]
    public void Low_confidence_never_becomes_stable()
    {
        var aggregator = new VerdictAggregator(3, s_settings);
        Verdict v = default;
        for (int i = 0; i <= 30; i++)
        {
            v = aggregator.Update([0.3f, 0.5f, 0.2f], Ticks(i * 0.1), s_roi);
        }

        Assert.Equal(1, v.TopClass);
        Assert.Equal(3.0, v.HeldSeconds, 1e-6);
        Assert.False(v.IsStable);
    }

    [Fact]
    public void Average_moves_by_one_minus_exp_of_elapsed_over_tau()
    {
        var aggregator = new VerdictAggregator(2, s_settings);
        aggregator.Update([1f, 0f], Ticks(0), s_roi);
        aggregator.Update([0f, 1f], Ticks(0.5), s_roi);
        float w = (float)(1 - Math.Exp(-1));
        Assert.Equal(1 - w, aggregator.Average[0], 1e-5f);
        Assert.Equal(w, aggregator.Average[1], 1e-5f);
    }

    [Fact]
    public void Moving_the_roi_to_another_lesion_restarts_the_average()
    {
        var aggregator = new VerdictAggregator(2, s_settings);
        for (int i = 0; i <= 20; i++)
        {
            aggregator.Update([0.9f, 0.1f], Ticks(i * 0.1), s_roi);
        }

        Assert.True(aggregator.Current.IsStable);
        Verdict v = aggregator.Update([0.2f, 0.8f], Ticks(2.1), new RectangleStamp(0.6f, 0.6f, 0.3f, 0.3f));
        Assert.False(v.IsStable);
        Assert.Equal(1, v.TopClass);
        Assert.Equal(0.8f, v.Confidence, 1e-6f);
        Assert.Equal(0, v.HeldSeconds);
    }

    [Fact]
    public void Reset_forgets_the_verdict()
    {
        var aggregator = new VerdictAggregator(2, s_settings);
        for (int i = 0; i <= 20; i++)
        {
            aggregator.Update([0.9f, 0.1f], Ticks(i * 0.1), default);
        }

        Assert.True(aggregator.Current.IsStable);
        aggregator.Reset();
        Assert.Equal(Verdict.None, aggregator.Current);
        Assert.False(aggregator.Update([0.9f, 0.1f], Ticks(2.1), default).IsStable);
    }
}
