using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Platform;

namespace SkinLive.Tests.Capture;

public sealed class SourceUriTests
{
    [Fact]
    public void Synthetic_options_are_parsed_for_the_synthetic_factory()
    {
        SourceUri uri = SourceUri.Parse("synthetic:class=mel,seed=3");
        Assert.Equal("synthetic", uri.Scheme);
        Assert.Equal("mel", uri.Options["class"]);
        Assert.Equal("3", uri.Options["seed"]);
        Assert.Empty(SourceUri.Parse("synthetic").Options);

        IReadOnlyDictionary<string, string>? seen = null;
        var factory = new SourceFactory((options, pool) =>
        {
            seen = options;
            return new SourceStandIn();
        });
        Assert.IsType<SourceStandIn>(factory.Create("synthetic:class=bcc", new FramePool(1, PixelFormat.I420, 2, 2)));
        Assert.Equal("bcc", seen!["class"]);
    }

    [Fact]
    public void Without_a_synthetic_factory_the_synthetic_scheme_is_a_clear_error()
    {
        var error = Assert.Throws<SourceException>(() => new SourceFactory().Create("synthetic", new FramePool(1, PixelFormat.I420, 2, 2)));
        Assert.Equal("The synthetic source is not available in this build.", error.Message);
    }

    [Fact]
    public void V4l2_uri_gives_device_size_rate_and_format()
    {
        V4L2Options options = SourceUri.Parse("v4l2:/dev/video2?size=1920x1080&fps=60&format=yuyv").ToV4L2Options();
        Assert.Equal(("/dev/video2", 1920, 1080, 60.0, NativeV4L2.V4L2_PIX_FMT_YUYV, false),
            (options.Device, options.Width, options.Height, options.FramesPerSecond, options.FourCC, options.WaitForDevice));

        V4L2Options byIndex = SourceUri.Parse("v4l2:1?wait").ToV4L2Options();
        Assert.Equal(("/dev/video1", 1280, 720, NativeV4L2.V4L2_PIX_FMT_MJPEG, true), (byIndex.Device, byIndex.Width, byIndex.Height, byIndex.FourCC, byIndex.WaitForDevice));
    }

    [Fact]
    public void File_ffmpeg_and_image_uris_keep_their_targets_and_options()
    {
        SourceUri file = SourceUri.Parse("file:/videos/a clip.mp4?pace=none&loop");
        Assert.Equal(("file", "/videos/a clip.mp4", "none", true), (file.Scheme, file.Target, file.Options["pace"], file.Has("loop")));

        FfmpegOptions camera = SourceUri.Parse("ffmpeg:-f v4l2 -video_size 640x480 -i /dev/video0").ToFfmpegOptions();
        Assert.Equal(["-f", "v4l2", "-video_size", "640x480", "-i", "/dev/video0"], camera.InputArguments);
        Assert.False(camera.PaceRealTime);
        Assert.Equal(["-i", "rtsp://cam/stream"], SourceUri.Parse("ffmpeg:rtsp://cam/stream").ToFfmpegOptions().InputArguments);

        ImageOptions image = SourceUri.Parse("image:/photos?interval=5&fps=10").ToImageOptions();
        Assert.Equal(("/photos", 5.0, 10.0), (image.Path, image.SlideInterval.TotalSeconds, image.FramesPerSecond));
    }

    [Theory]
    [InlineData("webcam", "'webcam' is not a frame source; use ")]
    [InlineData("clip.mp4", "'clip.mp4' is not a frame source; use ")]
    [InlineData("file:", "The source 'file:' names no path after 'file:'.")]
    [InlineData("v4l2:/dev/video0?speed=3", "'speed' is not an option of v4l2 sources (they take size, fps, format, wait).")]
    [InlineData("v4l2:/dev/video0?size=big", "The v4l2 size 'big' is not WIDTHxHEIGHT (e.g. 1280x720).")]
    [InlineData("v4l2:/dev/video0?format=h264", "The v4l2 format 'h264' is not one of mjpeg, yuyv, uyvy, nv12.")]
    [InlineData("v4l2:/dev/video0?fps=-5", "The v4l2 option fps=-5 is not a positive number.")]
    [InlineData("file:a.mp4?pace=slow", "The file option pace=slow is not 'none' or 'realtime'.")]
    [InlineData("synthetic:seed=", "The option 'seed=' in 'synthetic:seed=' is not key=value.")]
    [InlineData("synthetic:seed=1,seed=2", "The option 'seed' appears twice in 'synthetic:seed=1,seed=2'.")]
    [InlineData("ffmpeg:", "The source 'ffmpeg:' needs ffmpeg input arguments after 'ffmpeg:' (e.g. ffmpeg:-f v4l2 -i /dev/video0).")]
    [InlineData("ffmpeg:-i \"open", "The ffmpeg arguments '-i \"open' have an unclosed quote.")]
    public void A_bad_uri_is_one_clear_sentence(string text, string message)
    {
        var error = Assert.Throws<SourceException>(() =>
        {
            SourceUri uri = SourceUri.Parse(text);
            _ = uri.Scheme switch
            {
                SourceUri.V4L2 => (object)uri.ToV4L2Options(),
                SourceUri.File or SourceUri.Ffmpeg => uri.ToFfmpegOptions(),
                _ => uri,
            };
        });
        Assert.StartsWith(message, error.Message);
    }

    /// <summary>What the synthetic factory hands back in the test above; the factory only passes it through.</summary>
    private sealed class SourceStandIn : IFrameSource
    {
        public string Description => "stand-in";

        public FrameMailbox Mailbox { get; } = new();

        public SourceStatus Status => SourceStatus.Idle;

        public string? StatusMessage => null;

        public long FramesCaptured => 0;

        public long FramesSkipped => 0;

        public double NominalFps => 0;

        public void Start()
        {
        }

        public void Stop()
        {
        }

        public void Dispose() => Mailbox.Dispose();
    }
}
