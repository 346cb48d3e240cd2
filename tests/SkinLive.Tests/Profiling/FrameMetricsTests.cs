using SkinLive.Profiling;

namespace SkinLive.Tests.Profiling;

public sealed class FrameMetricsTests
{
    private static long Ticks(double ms) => FrameStages.MillisecondsToTicks(ms);

    private static double[] Repeat(double value, int count) => Enumerable.Repeat(value, count).ToArray();

    [Fact]
    public void Average_fps_is_1000_over_the_mean_frame_time()
    {
        double[] frames = [10, 20, 30, 40];
        Assert.Equal(40.0, FrameMetrics.AverageFps(frames), 9);
    }

    [Fact]
    public void Percentiles_follow_hyndman_fan_type_8()
    {
        double[] oneToHundred = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        Assert.Equal(50.5, FrameMetrics.Percentile(oneToHundred, 0.50), 9);
        Assert.Equal(95.65, FrameMetrics.Percentile(oneToHundred, 0.95), 9);
        Assert.Equal(99.0 + (2.0 / 3.0) - (1.0 / 300.0), FrameMetrics.Percentile(oneToHundred, 0.99), 9);
        Assert.Equal(1.0, FrameMetrics.Percentile(oneToHundred, 0.0), 9);
        Assert.Equal(100.0, FrameMetrics.Percentile(oneToHundred, 1.0), 9);
    }

    [Fact]
    public void Percentile_of_a_short_series_clamps_to_its_ends()
    {
        double[] three = [4, 8, 16];
        Assert.Equal(16.0, FrameMetrics.Percentile(three, 0.99), 9);
        Assert.Equal(4.0, FrameMetrics.Percentile(three, 0.05), 9);
        Assert.Equal(8.0, FrameMetrics.Percentile(three, 0.5), 9);
    }

    [Fact]
    public void One_percent_low_is_the_frame_where_the_longest_frames_reach_one_percent_of_the_time()
    {
        // 2 × 30 ms + 998 × 10 ms = 10040 ms; 1% = 100.4 ms is reached by 30 + 30 + 5 × 10, so the answer is a
        // 10 ms frame (100 fps); 0.1% = 10.04 ms is reached by the first 30 ms frame (33.3 fps).
        double[] frames = [.. Repeat(10, 500), 30, .. Repeat(10, 498), 30];
        Assert.Equal(100.0, FrameMetrics.LowFps(frames, 0.01), 9);
        Assert.Equal(1000.0 / 30.0, FrameMetrics.LowFps(frames, 0.001), 9);
    }

    [Fact]
    public void One_percent_low_of_a_single_long_frame_is_that_frame()
    {
        // 99 × 10 + 50 = 1040 ms; 1% = 10.4 ms is covered by the 50 ms frame alone.
        double[] frames = [.. Repeat(10, 99), 50];
        Assert.Equal(20.0, FrameMetrics.LowFps(frames, 0.01), 9);
    }

    [Fact]
    public void Stutter_is_a_frame_strictly_longer_than_two_and_a_half_times_the_mean()
    {
        double[] atTheLimit = [.. Repeat(10, 9), 30]; // mean 12, limit 30
        double[] overTheLimit = [.. Repeat(10, 9), 31]; // mean 12.1, limit 30.25
        Assert.Equal(0, FrameMetrics.CountStutters(atTheLimit));
        Assert.Equal(1, FrameMetrics.CountStutters(overTheLimit));
    }

    [Fact]
    public void Distribution_leaves_out_missing_values()
    {
        double[] values = [double.NaN, 2, 4, double.NaN, 6];
        Distribution d = Distribution.Of(values);
        Assert.Equal(3, d.Count);
        Assert.Equal(4.0, d.Mean, 9);
        Assert.Equal(6.0, d.Max, 9);
        Assert.Equal(0, Distribution.Of([double.NaN]).Count);
    }

    [Fact]
    public void Staleness_and_latency_come_from_the_capture_timestamps_of_result_and_frame()
    {
        // Frames every 10 ms; a camera frame every 10 ms captured 25 ms before display; the result shown is two
        // camera frames old (20 ms of capture time), and every third frame repeats the previous camera frame.
        const long origin = 1_000_000_000;
        var frames = new List<FrameRecord>();
        long source = 100;
        for (int i = 0; i < 30; i++)
        {
            bool repeat = i % 3 == 2;
            if (!repeat && i > 0)
            {
                source++;
            }

            long display = origin + Ticks(10 * (i + 1));
            long capture = origin + Ticks((10 * (i + 1)) - 25 - (repeat ? 10 : 0));
            frames.Add(new FrameRecord
            {
                FrameIndex = i,
                StartTimestamp = display - Ticks(10),
                DisplayTimestamp = display,
                FrameMilliseconds = 10,
                SourceFrameId = source,
                CaptureTimestamp = capture,
                NewSourceFrame = !repeat,
                ResultFrameId = source - 2,
                ResultCaptureTimestamp = capture - Ticks(20),
                GpuMilliseconds = double.NaN,
            });
        }

        FrameSummary summary = FrameMetrics.Summarize(frames.ToArray(), []);
        Assert.Equal(30, summary.Frames);
        Assert.Equal(100.0, summary.AverageFps, 6);
        Assert.Equal(10, summary.RepeatedFrames);
        Assert.Equal(2.0, summary.StalenessFrames.P95, 9);
        Assert.Equal(20.0, summary.StalenessMs.P50, 3);
        Assert.Equal(20, summary.CaptureToDisplayMs.Count);
        Assert.Equal(25.0, summary.CaptureToDisplayMs.P99, 3);
        Assert.Equal(0, summary.GpuMs.Count);
    }

    [Fact]
    public void Summary_adds_drop_deltas_and_measures_inference_rate()
    {
        var frames = new FrameRecord[4];
        for (int i = 0; i < frames.Length; i++)
        {
            frames[i] = new FrameRecord { FrameIndex = i, FrameMilliseconds = 20, CaptureDrops = i, ReadbackDrops = 1, InferenceDrops = i % 2, SourceFrameId = -1, ResultFrameId = -1 };
        }

        // Five runs of 4 ms ending every 25 ms: four intervals over 100 ms = 40 Hz.
        TraceEvent[] inference = [.. Enumerable.Range(0, 5).Select(i => new TraceEvent("run", Ticks((25 * i) + 1), Ticks((25 * i) + 5), i))];
        FrameSummary summary = FrameMetrics.Summarize(frames, inference);
        Assert.Equal(6, summary.CaptureDrops);
        Assert.Equal(4, summary.ReadbackDrops);
        Assert.Equal(2, summary.InferenceDrops);
        Assert.Equal(5, summary.InferenceRuns);
        Assert.Equal(40.0, summary.InferenceHz, 6);
        Assert.Equal(4.0, summary.InferenceMs.Mean, 3);
    }
}
