using SkinLive.Capture;
using SkinLive.Frames;
using static SkinLive.Tests.Capture.CaptureTestSupport;

namespace SkinLive.Tests.Capture;

public sealed class FfmpegSourceTests : IDisposable
{
    private const int Width = 32, Height = 24;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A lossless clip whose frame n has luma 10·n everywhere, so content proves order.</summary>
    private string Clip(int frames, string fps)
    {
        string path = _folder.File($"clip{frames}_{fps.Replace('/', '_')}.mkv");
        Ffmpeg("-f", "lavfi", "-i", $"color=c=black:s={Width}x{Height}:r={fps},format=yuv420p,geq=lum='10*N':cb=128:cr=128",
            "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "ffv1", path);
        return path;
    }

    private static FfmpegSource Open(string path, bool pace = false, bool loop = false) =>
        new(FfmpegOptions.ForFile(path) with { PaceRealTime = pace, Loop = loop }, new FramePool(3, PixelFormat.I420, Width, Height));

    /// <summary>Takes frames until the source leaves Running; checks each one's size, order and content.</summary>
    private static List<long> Drain(FfmpegSource source, int framesInClip)
    {
        var ids = new List<long>();
        while (true)
        {
            bool running = source.Status == SourceStatus.Running;
            while (source.Mailbox.TryTake() is Frame frame)
            {
                Assert.Equal((PixelFormat.I420, Width, Height), (frame.Format, frame.Width, frame.Height));
                Assert.Equal(10 * (frame.Id % framesInClip), frame.ReadOnlyData[0]);
                Assert.Equal(128, frame.ReadOnlyData[^1]);
                long previous = ids.Count == 0 ? -1 : ids[^1];
                Assert.True(frame.Id > previous, $"Frame {frame.Id} came after {previous}.");
                ids.Add(frame.Id);
                frame.Release();
            }

            if (!running)
            {
                return ids;
            }

            Thread.Sleep(1);
        }
    }

    [Fact]
    public void An_unpaced_clip_delivers_every_frame_in_order_with_its_size_then_ends()
    {
        using FfmpegSource source = Open(Clip(20, "10"));
        Assert.Equal((Width, Height, 10.0), (source.Width, source.Height, source.NominalFps));
        source.Start();
        List<long> taken = Drain(source, 20);
        Assert.Equal(SourceStatus.Ended, source.Status);
        Assert.Equal(20, source.FramesCaptured + source.FramesSkipped);
        Assert.Equal(20, source.FramesCaptured);
        Assert.Equal(19, taken[^1]);
    }

    [Fact]
    public void A_paced_clip_holds_each_frame_until_it_is_due_and_Stop_ends_the_wait()
    {
        // One frame every 1000 s: paced, frame 0 is due at once and frame 1 long after an unpaced copy of the clip,
        // started later, has played all of it (the window in which a source that did not pace would have too).
        string clip = Clip(5, "1/1000");
        using FfmpegSource paced = Open(clip, pace: true);
        Assert.Equal(0.001, paced.NominalFps);
        paced.Start();
        WaitUntil(() => paced.FramesCaptured >= 1, "the first paced frame");
        using FfmpegSource unpaced = Open(clip);
        unpaced.Start();
        WaitUntil(() => unpaced.Status != SourceStatus.Running, "the unpaced copy to end");
        Assert.Equal((SourceStatus.Ended, 5L), (unpaced.Status, unpaced.FramesCaptured));

        Assert.Equal(1, paced.FramesCaptured);
        Assert.Equal(SourceStatus.Running, paced.Status);
        Frame first = paced.Mailbox.TryTake()!;
        Assert.Equal((0L, (byte)0), (first.Id, first.ReadOnlyData[0]));
        first.Release();

        Task stop = Task.Run(paced.Stop);
        WaitUntil(() => stop.IsCompleted, "Stop to return while the next frame is 1000 s away");
        Assert.Equal(SourceStatus.Stopped, paced.Status);
        Assert.Equal(1, paced.FramesCaptured);
    }

    [Fact]
    public void A_looped_clip_keeps_going_past_its_end()
    {
        using FfmpegSource source = Open(Clip(5, "25"), loop: true);
        source.Start();
        WaitUntil(() => source.FramesCaptured > 12, "more frames than the clip holds");
        Frame frame = source.Mailbox.TryTake()!;
        Assert.Equal(10 * (frame.Id % 5), frame.ReadOnlyData[0]);
        frame.Release();
        Assert.Equal(SourceStatus.Running, source.Status);
    }

    [Fact]
    public void Stopping_mid_stream_leaves_no_ffmpeg_process()
    {
        using FfmpegSource source = Open(Clip(200, "20"), pace: true);
        source.Start();
        WaitUntil(() => source.FramesCaptured >= 2, "two frames");
        int pid = source.ChildProcessId;
        Assert.NotEqual(0, pid);
        Assert.True(Directory.Exists($"/proc/{pid}"), "The ffmpeg child is not running while streaming.");
        source.Stop();
        Assert.Equal(SourceStatus.Stopped, source.Status);
        Assert.Equal(0, source.ChildProcessId);
        // Reaped: not even a zombie entry is left.
        Assert.False(Directory.Exists($"/proc/{pid}"), $"ffmpeg (pid {pid}) is still there after Stop.");

        // The source can be started again after a stop.
        source.Start();
        WaitUntil(() => source.FramesCaptured >= 4, "frames after a restart");
    }

    [Fact]
    public void A_missing_file_is_one_clear_error()
    {
        string path = _folder.File("nothing.mp4");
        var error = Assert.Throws<SourceException>(() => Open(path));
        Assert.Equal($"The video file {path} does not exist.", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_video_is_one_clear_error()
    {
        string path = _folder.File("notes.mp4");
        File.WriteAllText(path, "these are not frames\n");
        var error = Assert.Throws<SourceException>(() => Open(path));
        Assert.StartsWith($"{path} is not a video ffmpeg can read (", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
