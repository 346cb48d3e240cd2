namespace SkinLive.Inference.Quantization;

/// <summary>How activation ranges are taken from the calibration values.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen.</summary>
    MinMax,

    /// <summary>The (100 − p)th and pth percentiles, which drop rare outliers that would waste the 256 levels.</summary>
    Percentile,
}

/// <summary>
/// The range of one tensor's values over a calibration set. Min and max come from a first pass
/// (<see cref="ObserveMinMax"/>); percentiles from a histogram of <see cref="Bins"/> equal bins over [min, max]
/// filled in a second pass (<see cref="ObserveHistogram"/>), so a percentile is exact to one bin width.
/// </summary>
public sealed class TensorRange(int bins = TensorRange.DefaultBins)
{
    public const int DefaultBins = 8192;

    private long[]? _histogram;

    public float Min { get; private set; } = float.PositiveInfinity;

    public float Max { get; private set; } = float.NegativeInfinity;

    public long Count { get; private set; }

    public int Bins => bins;

    /// <summary>Width of one histogram bin: the precision of <see cref="Percentiles"/>.</summary>
    public float BinWidth => (Max - Min) / bins;

    public void ObserveMinMax(ReadOnlySpan<float> values)
    {
        if (_histogram is not null)
        {
            throw new InvalidOperationException("The histogram pass has started; min and max are fixed.");
        }

        float min = Min, max = Max;
        foreach (float v in values)
        {
            // NaN fails both comparisons and is ignored.
            min = v < min ? v : min;
            max = v > max ? v : max;
        }

        Min = min;
        Max = max;
    }

    public void ObserveHistogram(ReadOnlySpan<float> values)
    {
        if (!(Max >= Min))
        {
            throw new InvalidOperationException("Observe min and max before the histogram.");
        }

        _histogram ??= new long[bins];
        float width = BinWidth;
        foreach (float v in values)
        {
            if (float.IsNaN(v))
            {
                continue;
            }

            int bin = width > 0 ? (int)((v - Min) / width) : 0;
            _histogram[Math.Clamp(bin, 0, bins - 1)]++;
            Count++;
        }
    }

    /// <summary>
    /// The range [P(100 − <paramref name="percent"/>), P(<paramref name="percent"/>)]: the lower edge of the bin that
    /// holds the ⌈(1 − p)·n⌉-th smallest value and the upper edge of the bin that holds the ⌈p·n⌉-th.
    /// </summary>
    public (float Low, float High) Percentiles(double percent)
    {
        if (_histogram is null || Count == 0)
        {
            throw new InvalidOperationException("Percentiles need the histogram pass.");
        }

        long highRank = Math.Max(1, (long)Math.Ceiling(percent / 100 * Count));
        long lowRank = Math.Max(1, (long)Math.Ceiling((100 - percent) / 100 * Count));
        float width = BinWidth;
        float low = Min + (BinOfRank(lowRank) * width);
        float high = Min + ((BinOfRank(highRank) + 1) * width);
        return (Math.Max(low, Min), Math.Min(high, Max));
    }

    /// <summary>The calibrated range by <paramref name="method"/>.</summary>
    public (float Low, float High) Range(CalibrationMethod method, double percent) =>
        method == CalibrationMethod.Percentile ? Percentiles(percent) : (Min, Max);

    private int BinOfRank(long rank)
    {
        long seen = 0;
        for (int b = 0; b < _histogram!.Length; b++)
        {
            seen += _histogram[b];
            if (seen >= rank)
            {
                return b;
            }
        }

        return _histogram.Length - 1;
    }
}
