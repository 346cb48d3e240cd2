using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Platform;

namespace SkinLive.Tests.Capture;

/// <summary>The real libc layer, on the device nodes every Linux machine has (no camera needed).</summary>
public sealed class NativeV4L2DeviceTests
{
    [Fact]
    public void Opening_a_missing_node_reports_enoent()
    {
        var error = Assert.Throws<V4L2Exception>(() => NativeV4L2System.Instance.Open("/dev/video-skinlive-missing"));
        Assert.Equal(NativeLibc.ENOENT, error.Errno);
        Assert.Equal("Cannot open /dev/video-skinlive-missing: No such file or directory.", error.Message);
    }

    [Fact]
    public void A_node_that_is_not_v4l2_fails_querycap_with_enotty_and_the_source_says_so()
    {
        using (IV4L2Device device = NativeV4L2System.Instance.Open("/dev/null"))
        {
            var error = Assert.Throws<V4L2Exception>(() => device.QueryCapabilities());
            Assert.Equal(NativeLibc.ENOTTY, error.Errno);
        }

        var sourceError = Assert.Throws<SourceException>(() => new V4L2Source(new V4L2Options("/dev/null"), new FramePool(1, PixelFormat.Yuyv, 2, 2)));
        Assert.StartsWith("VIDIOC_QUERYCAP on /dev/null failed: ", sourceError.Message);
    }

    [Fact]
    public async Task Wake_ends_a_poll_through_the_wake_up_pipe()
    {
        using IV4L2Device device = NativeV4L2System.Instance.Open("/dev/null");
        Task<V4L2WaitResult> wait = Task.Run(() => device.Wait(-1));
        device.Wake();
        // The 20 s limit only guards against a hang; a woken poll returns at once.
        Assert.Equal(V4L2WaitResult.Woken, await wait.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(V4L2WaitResult.Woken, device.Wait(-1));
    }
}
