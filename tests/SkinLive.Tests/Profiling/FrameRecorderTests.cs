using SkinLive.Profiling;

namespace SkinLive.Tests.Profiling;

public sealed class FrameRecorderTests
{
    private static long Ticks(double ms) => FrameStages.MillisecondsToTicks(ms);

    private static FrameOutcome Showing(long sourceId, long capture, long drops = 0) =>
        new(sourceId, capture, sourceId - 1, capture - Ticks(33), 1.5, new DropTotals(drops, 0, 0));

    [Fact]
    public void Frame_time_is_the_interval_between_displays_and_stage_times_add_up()
    {
        var recorder = new FrameRecorder(new FrameRecorderOptions { HistoryFrames = 4, ProfileFrames = 10 });
        long t0 = 5_000_000_000;
        recorder.BeginFrame(t0);
        recorder.AddStage(FrameStage.Upload, t0, t0 + Ticks(2));
        recorder.AddStage(FrameStage.Upload, t0 + Ticks(3), t0 + Ticks(4));
        recorder.EndFrame(Showing(7, t0 - Ticks(20)), t0 + Ticks(8));
        recorder.BeginFrame(t0 + Ticks(12));
        recorder.AddStage(FrameStage.Swap, t0 + Ticks(12), t0 + Ticks(15));
        recorder.EndFrame(Showing(7, t0 - Ticks(20), drops: 3), t0 + Ticks(24));

        FrameRecord first = recorder.ProfileFrames[0];
        FrameRecord second = recorder.ProfileFrames[1];
        Assert.Equal(8.0, first.FrameMilliseconds, 6);
        Assert.Equal(3.0, first.Stages[FrameStage.Upload], 6);
        Assert.Equal(16.0, second.FrameMilliseconds, 6);
        Assert.Equal(12.0, second.BusyMilliseconds, 6);
        Assert.Equal(3.0, second.Stages.Total, 6);
        Assert.Equal(0.0, second.Stages[FrameStage.Upload], 6);
        Assert.True(first.NewSourceFrame);
        Assert.False(second.NewSourceFrame);
        Assert.Equal(3, second.CaptureDrops);
        Assert.Equal(1, second.StalenessFrames);
        Assert.Equal(3, recorder.RenderTrack.Count);
        Assert.Equal("Upload", recorder.RenderTrack.Events[0].Name);
    }

    [Fact]
    public void Recent_returns_the_latest_frames_newest_first_after_the_ring_wraps()
    {
        var recorder = new FrameRecorder(new FrameRecorderOptions { HistoryFrames = 3 });
        for (int i = 0; i < 7; i++)
        {
            recorder.BeginFrame();
            recorder.EndFrame(Showing(i, 1 + i));
        }

        Assert.Equal(3, recorder.RecentCount);
        Assert.Equal(6, recorder.Recent(0).FrameIndex);
        Assert.Equal(4, recorder.Recent(2).FrameIndex);
        Assert.Throws<ArgumentOutOfRangeException>(() => recorder.Recent(3));
        Assert.Equal(0, recorder.ProfileFrames.Length);
    }

    [Fact]
    public void Profile_keeps_the_first_frames_and_counts_the_rest()
    {
        var recorder = new FrameRecorder(new FrameRecorderOptions { HistoryFrames = 2, ProfileFrames = 5 });
        for (int i = 0; i < 8; i++)
        {
            recorder.BeginFrame();
            using (recorder.Time(FrameStage.Overlay))
            {
                Thread.SpinWait(10);
            }

            recorder.EndFrame(Showing(i, 1 + i));
        }

        Assert.Equal(5, recorder.ProfileFrames.Length);
        Assert.Equal(4, recorder.ProfileFrames[^1].FrameIndex);
        Assert.Equal(3, recorder.FramesNotProfiled);
        Assert.Equal(5, recorder.RenderTrack.Count);
    }

    [Fact]
    public void End_without_begin_is_refused()
    {
        var recorder = new FrameRecorder(new FrameRecorderOptions());
        Assert.Throws<InvalidOperationException>(() => recorder.EndFrame(FrameOutcome.Empty));
    }

    [Fact]
    public void Track_stores_up_to_capacity_and_counts_beyond()
    {
        var recorder = new FrameRecorder(new FrameRecorderOptions());
        TraceTrack inference = recorder.RegisterTrack(TrackNames.Inference, capacity: 2);
        inference.Add("run", Ticks(1), Ticks(3), 10);
        inference.Add("run", Ticks(4), Ticks(9), 11);
        inference.Add("run", Ticks(10), Ticks(11), 12);
        Assert.Equal(3, inference.Count);
        Assert.Equal(2, inference.Events.Length);
        Assert.Equal(11, inference.Events[1].FrameId);
        Assert.Equal(1.0, inference.LastMilliseconds, 6);
        Assert.Equal([TrackNames.Render, TrackNames.Inference], recorder.Tracks.Select(t => t.Name));
        Assert.Equal(2, inference.Id);
    }

    [Fact]
    public void A_reader_never_sees_an_unwritten_span_while_another_thread_records()
    {
        const int spans = 200_000;
        var recorder = new FrameRecorder(new FrameRecorderOptions());
        TraceTrack capture = recorder.RegisterTrack(TrackNames.Capture, spans);
        var writer = new Thread(() =>
        {
            for (int i = 0; i < spans; i++)
            {
                capture.Add("decode", i, i + 1, i);
            }
        });
        writer.Start();
        long bad = 0;
        while (capture.Count < spans)
        {
            ReadOnlySpan<TraceEvent> seen = capture.Events;
            for (int i = Math.Max(0, seen.Length - 64); i < seen.Length; i++)
            {
                if (seen[i].Name != "decode" || seen[i].FrameId != i || seen[i].EndTimestamp != i + 1)
                {
                    bad++;
                }
            }
        }

        writer.Join();
        Assert.Equal(0, bad);
        Assert.Equal(spans, capture.Events.Length);
        Assert.Equal(spans - 1, capture.Events[^1].FrameId);
    }

    [Fact]
    public void Recording_frames_stages_and_spans_allocates_nothing_after_warm_up()
    {
        using var meter = new SkinLiveMeter();
        var recorder = new FrameRecorder(new FrameRecorderOptions { HistoryFrames = 64, ProfileFrames = 4000 }, meter);
        TraceTrack inference = recorder.RegisterTrack(TrackNames.Inference, 4000);
        FrameStage[] stages = Enum.GetValues<FrameStage>();
        long hudIndexSum = 0;

        void RunFrames(int count, long firstId)
        {
            for (long id = firstId; id < firstId + count; id++)
            {
                recorder.BeginFrame();
                foreach (FrameStage stage in stages)
                {
                    using (recorder.Time(stage))
                    {
                    }
                }

                using (inference.Time("run", id))
                {
                }

                meter.RecordInference(1, 2);
                recorder.EndFrame(Showing(id, Ticks(id + 1), drops: id / 3));
                hudIndexSum += recorder.Recent(0).FrameIndex;
            }
        }

        RunFrames(100, 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        RunFrames(1000, 101);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1100, recorder.FrameCount);
        Assert.Equal(1099L * 1100 / 2, hudIndexSum);
    }
}
