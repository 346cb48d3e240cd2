using SkinLive.Capture;
using SkinLive.Capture.Synthetic;
using SkinLive.Frames;
using static SkinLive.Tests.Capture.CaptureTestSupport;

namespace SkinLive.Tests.Capture.Synthetic;

public class SyntheticDermatoscopeSourceTests
{
    private static readonly SyntheticOptions Small = new() { Width = 320, Height = 240, Fps = 30, Seed = 7, SwitchSeconds = 0 };

    [Fact]
    public void Same_seed_gives_identical_frames_and_another_seed_does_not()
    {
        using var first = new SyntheticDermatoscopeSource(Small);
        using var second = new SyntheticDermatoscopeSource(Small);
        using var other = new SyntheticDermatoscopeSource(Small with { Seed = 8 });
        Frame a = NewFrame(Small), b = NewFrame(Small), c = NewFrame(Small);
        foreach (long index in new long[] { 0, 1, 45, 300 })
        {
            first.RenderFrame(a, index);
            second.RenderFrame(b, index);
            other.RenderFrame(c, index);

            Assert.True(a.ReadOnlyData.SequenceEqual(b.ReadOnlyData), $"frame {index} differs between two sources with one seed");
            Assert.Equal(a.Truth, b.Truth);
            Assert.False(a.ReadOnlyData.SequenceEqual(c.ReadOnlyData), $"frame {index} is the same for seeds 7 and 8");
        }
    }

    [Fact]
    public void Frames_move_over_time()
    {
        using var source = new SyntheticDermatoscopeSource(Small);
        Frame early = NewFrame(Small), later = NewFrame(Small);
        source.RenderFrame(early, 0);
        source.RenderFrame(later, 60);

        Assert.False(early.ReadOnlyData.SequenceEqual(later.ReadOnlyData));
        Assert.NotEqual(early.Truth.Box, later.Truth.Box);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ground_truth_box_follows_the_lesion_through_the_motion(bool vignette)
    {
        // Every class appears: one lesion a second, frames spread over the seven scenes and within each.
        SyntheticOptions options = Small with { SwitchSeconds = 1, Vignette = vignette, Seed = 3 };
        using var withLesion = new SyntheticDermatoscopeSource(options);
        using var withoutLesion = new SyntheticDermatoscopeSource(options, drawLesion: false);
        Frame a = NewFrame(options), b = NewFrame(options);
        var classesSeen = new HashSet<int>();
        for (long index = 0; index < 7 * 30; index += 5)
        {
            withLesion.RenderFrame(a, index);
            withoutLesion.RenderFrame(b, index);
            Assert.True(a.Truth.HasLesion);
            Assert.False(b.Truth.HasLesion);
            classesSeen.Add(a.Truth.ClassIndex);

            float left = a.Truth.Box.X * options.Width, right = a.Truth.Box.Right * options.Width;
            float top = a.Truth.Box.Y * options.Height, bottom = a.Truth.Box.Bottom * options.Height;
            int changed = 0;
            for (int y = 0; y < options.Height; y++)
            {
                for (int x = 0; x < options.Width; x++)
                {
                    int i = ((y * options.Width) + x) * 4;
                    if (a.Data[i] == b.Data[i] && a.Data[i + 1] == b.Data[i + 1] && a.Data[i + 2] == b.Data[i + 2])
                    {
                        continue;
                    }

                    changed++;
                    Assert.True(x >= left - 1e-3f && x + 1 <= right + 1e-3f && y >= top - 1e-3f && y + 1 <= bottom + 1e-3f, $"frame {index}: changed pixel ({x},{y}) outside the box {left},{top}..{right},{bottom}");
                }
            }

            Assert.True(changed > 50, $"frame {index}: the lesion changed only {changed} pixels");
        }

        Assert.Equal(HamClasses.Count, classesSeen.Count);
    }

    [Fact]
    public void Fixed_class_stays_that_class_across_lesion_switches()
    {
        SyntheticOptions options = Small with { Class = 3, SwitchSeconds = 0.5 };
        using var source = new SyntheticDermatoscopeSource(options);
        Frame frame = NewFrame(options);
        for (long index = 0; index < 90; index += 10)
        {
            source.RenderFrame(frame, index);
            Assert.Equal(3, frame.Truth.ClassIndex);
        }
    }

    [Fact]
    public void Yuyv_frames_are_the_bt601_limited_range_conversion_of_the_rgba_frames()
    {
        SyntheticOptions rgbaOptions = Small with { Width = 322 };
        SyntheticOptions yuyvOptions = rgbaOptions with { PixelFormat = PixelFormat.Yuyv };
        using var rgbaSource = new SyntheticDermatoscopeSource(rgbaOptions);
        using var yuyvSource = new SyntheticDermatoscopeSource(yuyvOptions);
        Frame rgba = NewFrame(rgbaOptions);
        Frame yuyv = Frame.Create(PixelFormat.Yuyv, yuyvOptions.Width, yuyvOptions.Height, ColorSpec.Bt601Limited);
        rgbaSource.RenderFrame(rgba, 12);
        yuyvSource.RenderFrame(yuyv, 12);

        Assert.Equal(rgba.Truth, yuyv.Truth);
        ReadOnlySpan<byte> src = rgba.ReadOnlyData;
        ReadOnlySpan<byte> dst = yuyv.ReadOnlyData;
        for (int y = 0; y < rgbaOptions.Height; y += 7)
        {
            for (int x = 0; x < rgbaOptions.Width; x++)
            {
                int i = ((y * rgbaOptions.Width) + x) * 4;
                double luma = 16 + (((65.481 * src[i]) + (128.553 * src[i + 1]) + (24.966 * src[i + 2])) / 255.0);
                int yByte = dst[(y * rgbaOptions.Width * 2) + (x * 2)];
                Assert.InRange(yByte, luma - 1.01, luma + 1.01);
            }
        }
    }

    [Fact]
    public void Vignette_darkens_the_corners_and_not_the_centre()
    {
        using var scoped = new SyntheticDermatoscopeSource(Small);
        using var open = new SyntheticDermatoscopeSource(Small with { Vignette = false });
        Frame a = NewFrame(Small), b = NewFrame(Small);
        scoped.RenderFrame(a, 0);
        open.RenderFrame(b, 0);

        Assert.True(a.Data[0] + a.Data[1] + a.Data[2] < 30, "the top-left corner should be nearly black");
        Assert.True(b.Data[0] + b.Data[1] + b.Data[2] > 150, "without the scope the corner shows skin");
        int centre = ((Small.Height / 2 * Small.Width) + (Small.Width / 2)) * 4;
        Assert.Equal(b.Data.Slice(centre, 4).ToArray(), a.Data.Slice(centre, 4).ToArray());
    }

    [Theory]
    [InlineData(PixelFormat.Rgba8)]
    [InlineData(PixelFormat.Yuyv)]
    public void Rendering_a_frame_allocates_nothing_after_warm_up(PixelFormat format)
    {
        SyntheticOptions options = Small with { PixelFormat = format };
        using var source = new SyntheticDermatoscopeSource(options);
        Frame frame = Frame.Create(format, options.Width, options.Height);
        for (int i = 0; i < 5; i++)
        {
            source.RenderFrame(frame, i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 5; i < 105; i++)
        {
            source.RenderFrame(frame, i);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(frame.Truth.HasLesion);
    }

    [Fact]
    public void Running_source_publishes_frames_with_increasing_ids_and_truth()
    {
        using var source = new SyntheticDermatoscopeSource(Small with { Fps = 0, Class = 6 });
        source.Start();
        Assert.Equal(SourceStatus.Running, source.Status);
        long lastId = -1;
        long lastTimestamp = 0;
        int taken = 0;
        DateTime giveUp = DateTime.UtcNow.AddSeconds(30);
        while (taken < 20 && DateTime.UtcNow < giveUp)
        {
            Frame? frame = source.Mailbox.TryTake();
            if (frame is null)
            {
                Thread.Sleep(1);
                continue;
            }

            Assert.True(frame.Id > lastId, $"frame id {frame.Id} after {lastId}");
            Assert.True(frame.CaptureTimestamp >= lastTimestamp);
            Assert.Equal(320, frame.Width);
            Assert.Equal(PixelFormat.Rgba8, frame.Format);
            Assert.True(frame.Truth.HasLesion);
            Assert.Equal(6, frame.Truth.ClassIndex);
            lastId = frame.Id;
            lastTimestamp = frame.CaptureTimestamp;
            frame.Release();
            taken++;
        }

        source.Stop();
        Assert.Equal(20, taken);
        Assert.Equal(SourceStatus.Stopped, source.Status);
        Assert.True(source.FramesCaptured >= 20);
        Assert.Contains("synthetic vasc seed 7 320x240", source.Description);
    }

    [Fact]
    public void Paced_source_stops_while_waiting_for_the_next_frame()
    {
        // One frame every 1000 s: the first is due at once, the second long after the test gives up waiting for Stop.
        using var source = new SyntheticDermatoscopeSource(Small with { Fps = 0.001 });
        source.Start();
        WaitUntil(() => source.FramesCaptured >= 1, "the first frame");

        Task stop = Task.Run(source.Stop);
        WaitUntil(() => stop.IsCompleted, "Stop to return while the next frame is 1000 s away");
        Assert.Equal(SourceStatus.Stopped, source.Status);
        Assert.Equal(1, source.FramesCaptured);
        Assert.Equal(0.001, source.NominalFps);
    }

    [Fact]
    public void Stopped_source_publishes_no_more_frames_while_a_running_twin_publishes_many()
    {
        // Unpaced, a source publishes as fast as it renders; its twin, still running, measures out a window in which
        // a source whose Stop did not stop it would have published many frames too.
        using var stopped = new SyntheticDermatoscopeSource(Small with { Fps = 0 });
        using var twin = new SyntheticDermatoscopeSource(Small with { Fps = 0 });
        stopped.Start();
        twin.Start();
        WaitUntil(() => stopped.FramesCaptured >= 3, "the first frames");

        stopped.Stop();
        Assert.Equal(SourceStatus.Stopped, stopped.Status);
        long published = stopped.FramesCaptured;
        stopped.Mailbox.TryTake()?.Release();
        long twinStart = twin.FramesCaptured;
        WaitUntil(() => twin.FramesCaptured >= twinStart + 50, "the running twin to publish 50 more frames");

        Assert.Equal(published, stopped.FramesCaptured);
        Assert.Null(stopped.Mailbox.TryTake());
    }

    [Fact]
    public void Invalid_options_are_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new SyntheticDermatoscopeSource(Small with { PixelFormat = PixelFormat.Nv12 }));
        Assert.Throws<ArgumentException>(() => new SyntheticDermatoscopeSource(Small with { Width = 4 }));
    }

    private static Frame NewFrame(SyntheticOptions options) => Frame.Create(options.PixelFormat, options.Width, options.Height);
}
