namespace SkinLive.Profiling;

/// <summary>Count, mean and order statistics of a series (milliseconds or frames); NaN where the series is empty.</summary>
public sealed record Distribution(int Count, double Mean, double P50, double P95, double P99, double Max)
{
    public static Distribution Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>The distribution of the finite values of <paramref name="values"/> (NaN entries are left out).</summary>
    public static Distribution Of(ReadOnlySpan<double> values)
    {
        double[] sorted = FrameMetrics.SortedFinite(values);
        if (sorted.Length == 0)
        {
            return Empty;
        }

        return new Distribution(
            sorted.Length,
            FrameMetrics.Mean(sorted),
            FrameMetrics.Percentile(sorted, 0.50),
            FrameMetrics.Percentile(sorted, 0.95),
            FrameMetrics.Percentile(sorted, 0.99),
            sorted[^1]);
    }
}

/// <summary>The numbers a profile reports for one recording.</summary>
public sealed record FrameSummary
{
    public int Frames { get; init; }

    /// <summary>Sum of frame times.</summary>
    public double DurationSeconds { get; init; }

    public double AverageFps { get; init; }

    public required Distribution FrameTimeMs { get; init; }

    public double OnePercentLowFps { get; init; }

    public double PointOnePercentLowFps { get; init; }

    /// <summary>Frames longer than <see cref="FrameMetrics.StutterFactor"/> × the mean frame time.</summary>
    public int Stutters { get; init; }

    /// <summary>Frames that showed no new source frame (the previous one again).</summary>
    public int RepeatedFrames { get; init; }

    public long CaptureDrops { get; init; }

    public long ReadbackDrops { get; init; }

    public long InferenceDrops { get; init; }

    /// <summary>Inference runs in the recording (from the inference track; 0 without one).</summary>
    public int InferenceRuns { get; init; }

    public double InferenceHz { get; init; }

    public required Distribution InferenceMs { get; init; }

    /// <summary>New results reaching the screen per second.</summary>
    public double ResultUpdateHz { get; init; }

    public required Distribution StalenessFrames { get; init; }

    public required Distribution StalenessMs { get; init; }

    /// <summary>Capture → display, over the frames that first showed a source frame.</summary>
    public required Distribution CaptureToDisplayMs { get; init; }

    /// <summary>GPU time per frame (Count 0 where the context had no timer queries).</summary>
    public required Distribution GpuMs { get; init; }

    /// <summary>CPU time per stage, indexed by <see cref="FrameStage"/>.</summary>
    public required IReadOnlyList<Distribution> StageMs { get; init; }
}

/// <summary>
/// Frame-rate metrics with their standard definitions (pure functions over frame times in milliseconds).
/// <list type="bullet">
/// <item>Average fps = 1000 / mean frame time (= frames / total time), as PresentMon and CapFrameX report it.</item>
/// <item>Percentiles: Hyndman–Fan type 8 (approximately median-unbiased), the estimator CapFrameX uses through
/// MathNet's <c>Quantile</c>: on ascending values x₁..xₙ, h = (n + 1/3)·q + 1/3; the result is x₁ when h ≤ 1, xₙ
/// when h ≥ n, otherwise x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋).</item>
/// <item>x% low fps, CapFrameX's "integral" definition (the same as MSI Afterburner's): sort frame times longest
/// first and add them up until the sum reaches x% of the total time; 1000 / the frame time at which it does.</item>
/// <item>Stutter: a frame longer than 2.5 × the mean frame time (strictly).</item>
/// </list>
/// </summary>
public static class FrameMetrics
{
    public const double StutterFactor = 2.5;

    public static double Mean(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        double sum = 0;
        foreach (double value in values)
        {
            sum += value;
        }

        return sum / values.Length;
    }

    public static double AverageFps(ReadOnlySpan<double> frameMs) => 1000.0 / Mean(frameMs);

    /// <summary>Type-8 quantile <paramref name="q"/> (0..1) of values already sorted ascending.</summary>
    public static double Percentile(ReadOnlySpan<double> sortedAscending, double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1.0);
        int n = sortedAscending.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        double h = ((n + (1.0 / 3.0)) * q) + (1.0 / 3.0);
        if (h <= 1)
        {
            return sortedAscending[0];
        }

        if (h >= n)
        {
            return sortedAscending[n - 1];
        }

        int lower = (int)Math.Floor(h);
        return sortedAscending[lower - 1] + ((h - lower) * (sortedAscending[lower] - sortedAscending[lower - 1]));
    }

    /// <summary>x% low fps for <paramref name="fraction"/> = 0.01 (1% low) or 0.001 (0.1% low), integral definition.</summary>
    public static double LowFps(ReadOnlySpan<double> frameMs, double fraction)
    {
        double[] longestFirst = SortedFinite(frameMs);
        if (longestFirst.Length == 0)
        {
            return double.NaN;
        }

        Array.Reverse(longestFirst);
        double threshold = fraction * longestFirst.Sum();
        double sum = 0;
        foreach (double frame in longestFirst)
        {
            sum += frame;
            if (sum >= threshold)
            {
                return 1000.0 / frame;
            }
        }

        return 1000.0 / longestFirst[^1];
    }

    public static int CountStutters(ReadOnlySpan<double> frameMs, double factor = StutterFactor)
    {
        double limit = factor * Mean(frameMs);
        int stutters = 0;
        foreach (double frame in frameMs)
        {
            if (frame > limit)
            {
                stutters++;
            }
        }

        return stutters;
    }

    /// <summary>Completions per second: (n − 1) intervals over the time from the first to the last end.</summary>
    public static double RateHz(ReadOnlySpan<TraceEvent> events)
    {
        if (events.Length < 2)
        {
            return double.NaN;
        }

        double seconds = FrameStages.TicksToMilliseconds(events[^1].EndTimestamp - events[0].EndTimestamp) / 1000.0;
        return seconds > 0 ? (events.Length - 1) / seconds : double.NaN;
    }

    /// <summary>All metrics of a recording; <paramref name="inference"/> is the inference thread's spans (may be empty).</summary>
    public static FrameSummary Summarize(ReadOnlySpan<FrameRecord> frames, ReadOnlySpan<TraceEvent> inference)
    {
        int n = frames.Length;
        double[] frameMs = new double[n];
        double[] gpu = new double[n];
        double[] stalenessFrames = new double[n];
        double[] stalenessMs = new double[n];
        double[] latency = new double[n];
        double[][] stages = new double[FrameStages.Count][];
        for (int s = 0; s < stages.Length; s++)
        {
            stages[s] = new double[n];
        }

        long captureDrops = 0, readbackDrops = 0, inferenceDrops = 0;
        int repeated = 0, resultUpdates = 0;
        long lastResult = -1;
        for (int i = 0; i < n; i++)
        {
            ref readonly FrameRecord frame = ref frames[i];
            frameMs[i] = frame.FrameMilliseconds;
            gpu[i] = frame.GpuMilliseconds;
            stalenessFrames[i] = frame.HasResult ? frame.StalenessFrames : double.NaN;
            stalenessMs[i] = frame.StalenessMilliseconds;
            latency[i] = frame.NewSourceFrame ? frame.CaptureToDisplayMilliseconds : double.NaN;
            for (int s = 0; s < stages.Length; s++)
            {
                stages[s][i] = frame.Stages[(FrameStage)s];
            }

            captureDrops += frame.CaptureDrops;
            readbackDrops += frame.ReadbackDrops;
            inferenceDrops += frame.InferenceDrops;
            if (!frame.NewSourceFrame)
            {
                repeated++;
            }

            if (frame.ResultFrameId >= 0 && frame.ResultFrameId != lastResult)
            {
                if (lastResult >= 0)
                {
                    resultUpdates++;
                }

                lastResult = frame.ResultFrameId;
            }
        }

        double durationSeconds = frameMs.Sum() / 1000.0;
        double[] inferenceMs = new double[inference.Length];
        for (int i = 0; i < inference.Length; i++)
        {
            inferenceMs[i] = inference[i].Milliseconds;
        }

        return new FrameSummary
        {
            Frames = n,
            DurationSeconds = durationSeconds,
            AverageFps = AverageFps(frameMs),
            FrameTimeMs = Distribution.Of(frameMs),
            OnePercentLowFps = LowFps(frameMs, 0.01),
            PointOnePercentLowFps = LowFps(frameMs, 0.001),
            Stutters = CountStutters(frameMs),
            RepeatedFrames = repeated,
            CaptureDrops = captureDrops,
            ReadbackDrops = readbackDrops,
            InferenceDrops = inferenceDrops,
            InferenceRuns = inference.Length,
            InferenceHz = RateHz(inference),
            InferenceMs = Distribution.Of(inferenceMs),
            ResultUpdateHz = durationSeconds > 0 ? resultUpdates / durationSeconds : double.NaN,
            StalenessFrames = Distribution.Of(stalenessFrames),
            StalenessMs = Distribution.Of(stalenessMs),
            CaptureToDisplayMs = Distribution.Of(latency),
            GpuMs = Distribution.Of(gpu),
            StageMs = [.. stages.Select(s => Distribution.Of(s))],
        };
    }

    internal static double[] SortedFinite(ReadOnlySpan<double> values)
    {
        int count = 0;
        foreach (double value in values)
        {
            if (double.IsFinite(value))
            {
                count++;
            }
        }

        double[] sorted = new double[count];
        int next = 0;
        foreach (double value in values)
        {
            if (double.IsFinite(value))
            {
                sorted[next++] = value;
            }
        }

        Array.Sort(sorted);
        return sorted;
    }
}
