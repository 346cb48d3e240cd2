using System.Diagnostics;
using SkinLive.Capture;
using SkinLive.Capture.Synthetic;
using SkinLive.Frames;
using static SkinLive.Tests.Capture.CaptureTestSupport;

namespace SkinLive.Tests.Capture;

public sealed class ReplayFrameSourceTests
{
    [Fact]
    public void On_demand_replay_delivers_every_frame_in_order_cycling_through_the_replay_then_ends()
    {
        FrameReplay replay = Numbered(5);
        using var source = new ReplayFrameSource(replay, 12, fps: 0);
        List<(long Id, Frame Frame)> taken = TakeAll(source, 12);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), taken.Select(t => t.Id));
        for (int i = 0; i < taken.Count; i++)
        {
            Assert.Same(replay[i % 5], taken[i].Frame);
        }

        Assert.Equal(0, source.Mailbox.Dropped);
        WaitFor(() => source.Status == SourceStatus.Ended);
        Assert.Equal(12, source.FramesCaptured);
    }

    [Fact]
    public void Paced_replay_holds_each_frame_until_it_is_due_and_Stop_ends_the_wait()
    {
        // One frame every 1000 s: frame 0 is due at once and frame 1 long after an on-demand replay, started later,
        // has delivered all ten (the window in which a replay that did not pace would have too).
        FrameReplay replay = Numbered(3);
        using var paced = new ReplayFrameSource(replay, 10, fps: 0.001);
        paced.Start();
        WaitUntil(() => paced.FramesCaptured >= 1, "the first paced frame");
        Frame first = paced.Mailbox.TryTake()!;
        Assert.Same(replay[0], first);
        Assert.Equal(0, first.Id);

        using var onDemand = new ReplayFrameSource(Numbered(3), 10, fps: 0);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), TakeAll(onDemand, 10).Select(t => t.Id));
        Assert.Equal(1, paced.FramesCaptured);
        Assert.Equal(SourceStatus.Running, paced.Status);

        Task stop = Task.Run(paced.Stop);
        WaitUntil(() => stop.IsCompleted, "Stop to return while the next frame is 1000 s away");
        Assert.Equal(SourceStatus.Stopped, paced.Status);
        Assert.Equal(1, paced.FramesCaptured);
    }

    [Fact]
    public void Paced_replay_keeps_its_schedule_without_the_consumer_replacing_each_frame_not_taken()
    {
        // Nothing is taken: an on-demand replay would wait for the consumer after frame 0, a paced one plays on.
        FrameReplay replay = Numbered(3);
        using var source = new ReplayFrameSource(replay, 10, fps: 1000);
        source.Start();
        WaitUntil(() => source.Status != SourceStatus.Running, "the replay to end");

        Assert.Equal(SourceStatus.Ended, source.Status);
        Assert.Equal(10, source.FramesCaptured);
        Assert.Equal(10, source.Mailbox.Posted);
        Assert.Equal(9, source.Mailbox.Dropped);
        Frame last = source.Mailbox.TryTake()!;
        Assert.Same(replay[9 % 3], last);
        Assert.Equal(9, last.Id);
    }

    [Fact]
    public void Synthetic_replay_encodes_the_asked_format_and_frames_move()
    {
        FrameReplay replay = FrameReplay.Synthetic(new SyntheticOptions { Width = 64, Height = 48 }, PixelFormat.Nv12, 3);
        Assert.Equal((3, PixelFormat.Nv12, 64, 48), (replay.Count, replay.Format, replay.Width, replay.Height));
        Assert.Equal(PixelFormats.FrameBytes(PixelFormat.Nv12, 64, 48), replay[0].Length);
        Assert.Equal(ColorSpec.Bt601Limited, replay[0].Color);
        Assert.False(replay[0].ReadOnlyData.SequenceEqual(replay[2].ReadOnlyData), "the scene does not move between frames");
        Assert.True(replay[0].Truth.HasLesion);
    }

    /// <summary>RGBA frames filled with their index, so a test can tell them apart.</summary>
    private static FrameReplay Numbered(int count)
    {
        var frames = new List<Frame>();
        for (int i = 0; i < count; i++)
        {
            Frame frame = Frame.Create(PixelFormat.Rgba8, 4, 2);
            frame.Data.Fill((byte)i);
            frames.Add(frame);
        }

        return new FrameReplay(frames);
    }

    /// <summary>Takes frames (sleeping on the mailbox's post signal) until the one with id <paramref name="count"/> − 1 arrives.</summary>
    private static List<(long Id, Frame Frame)> TakeAll(ReplayFrameSource source, int count)
    {
        using var posted = new ManualResetEventSlim(false);
        source.Mailbox.PostedSignal = posted;
        source.Start();
        var taken = new List<(long, Frame)>();
        var guard = Stopwatch.StartNew();
        while (taken.Count == 0 || taken[^1].Item1 < count - 1)
        {
            Assert.True(guard.Elapsed < TimeSpan.FromSeconds(30), "the replay stopped delivering");
            posted.Reset();
            if (source.Mailbox.TryTake() is { } frame)
            {
                taken.Add((frame.Id, frame));
                frame.Release();
            }
            else
            {
                posted.Wait(TimeSpan.FromMilliseconds(100));
            }
        }

        return taken;
    }

    private static void WaitFor(Func<bool> condition)
    {
        var guard = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(guard.Elapsed < TimeSpan.FromSeconds(10), "the condition never became true");
            Thread.Sleep(5);
        }
    }
}
