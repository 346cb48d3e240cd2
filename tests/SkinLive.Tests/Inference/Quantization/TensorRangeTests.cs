using SkinLive.Inference.Quantization;

namespace SkinLive.Tests.Inference.Quantization;

public class TensorRangeTests
{
    [Fact]
    public void Min_max_spans_every_chunk_and_ignores_nan()
    {
        var range = new TensorRange();
        range.ObserveMinMax([0.5f, -3f, float.NaN]);
        range.ObserveMinMax([7f, 2f]);
        Assert.Equal(-3f, range.Min);
        Assert.Equal(7f, range.Max);
        Assert.Equal((-3f, 7f), range.Range(CalibrationMethod.MinMax, 99.99));
    }

    [Fact]
    public void Percentiles_of_0_to_9999_are_the_hand_computed_values_within_one_bin()
    {
        // 10 000 values 0..9999 in two chunks: P1 is the 100th smallest (99), P99 the 9900th (9899).
        float[] values = [.. Enumerable.Range(0, 10_000).Select(i => (float)i)];
        var range = new TensorRange(bins: 10_000);
        range.ObserveMinMax(values.AsSpan(0, 5000));
        range.ObserveMinMax(values.AsSpan(5000));
        range.ObserveHistogram(values.AsSpan(0, 5000));
        range.ObserveHistogram(values.AsSpan(5000));

        (float low, float high) = range.Percentiles(99);
        float bin = range.BinWidth;
        Assert.Equal(10_000, range.Count);
        Assert.InRange(low, 99 - bin, 99);
        Assert.InRange(high, 9899, 9899 + bin);
        Assert.Equal((low, high), range.Range(CalibrationMethod.Percentile, 99));
    }

    [Fact]
    public void Percentile_range_drops_a_rare_outlier_that_min_max_keeps()
    {
        // 9 999 values in [0, 1) and one at 1000: min-max spends the 256 levels on the outlier.
        float[] values = [.. Enumerable.Range(0, 9_999).Select(i => i / 9_999f), 1000f];
        var range = new TensorRange();
        range.ObserveMinMax(values);
        range.ObserveHistogram(values);
        Assert.Equal(1000f, range.Range(CalibrationMethod.MinMax, 99.9).High);
        Assert.InRange(range.Range(CalibrationMethod.Percentile, 99.9).High, 0.99f, 1f + range.BinWidth);
    }

    [Fact]
    public void Percentiles_need_the_histogram_pass()
    {
        var range = new TensorRange();
        range.ObserveMinMax([1f, 2f]);
        Assert.Throws<InvalidOperationException>(() => range.Percentiles(99));
    }
}
