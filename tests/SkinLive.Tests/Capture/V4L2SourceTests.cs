using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Platform;
using static SkinLive.Tests.Capture.CaptureTestSupport;

namespace SkinLive.Tests.Capture;

public sealed class V4L2SourceTests
{
    private static readonly V4L2Options Options = new("/dev/video0", 1280, 720, NativeV4L2.V4L2_PIX_FMT_YUYV, 30)
    {
        StallTimeout = TimeSpan.FromHours(1),
        ReopenInterval = TimeSpan.FromMilliseconds(20),
    };

    /// <summary>A 4x2 YUYV frame with 4 bytes of row padding (bytesperline 12), each byte distinct.</summary>
    private static byte[] PaddedYuyv(byte seed) => Enumerable.Range(0, 24).Select(i => (byte)(seed + i)).ToArray();

    private static byte[] Unpadded(byte[] padded) => [.. padded[0..8], .. padded[12..20]];

    [Fact]
    public void Negotiates_streams_and_copies_yuyv_rows_without_the_driver_padding()
    {
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_YUYV, 4, 2, 12);
        using var source = new V4L2Source(Options, new FramePool(3, PixelFormat.Yuyv, 4, 2), system);
        FakeV4L2Device device = system.Current!;
        Assert.Equal((1280, 720, NativeV4L2.V4L2_PIX_FMT_YUYV, 30.0), device.Requested);
        Assert.Equal(system.Granted, source.Granted);
        Assert.Contains("4x2 YUYV 30 fps", source.Description);

        source.Start();
        byte[] sent = PaddedYuyv(10);
        device.Feed(sent);
        WaitUntil(() => source.FramesCaptured == 1, "the first frame");
        Assert.Equal(4, device.BufferCount);

        Frame frame = source.Mailbox.TryTake()!;
        Assert.Equal((PixelFormat.Yuyv, 4, 2), (frame.Format, frame.Width, frame.Height));
        Assert.Equal(Unpadded(sent), frame.ReadOnlyData.ToArray());
        Assert.NotEqual(0, frame.CaptureTimestamp);
        frame.Release();
        WaitUntil(() => device.Requeued == 1, "the buffer to go back to the driver");
        Assert.Equal(SourceStatus.Running, source.Status);
        source.Stop();
        system.AssertNoMisuse();
    }

    [Fact]
    public void Unplug_reports_disconnected_and_the_source_reopens_when_the_device_returns()
    {
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_YUYV, 4, 2, 8) { MissingErrno = NativeLibc.ENODEV };
        using var source = new V4L2Source(Options, new FramePool(3, PixelFormat.Yuyv, 4, 2), system);
        source.Start();
        FakeV4L2Device first = system.Current!;
        first.Feed(new byte[16]);
        WaitUntil(() => source.FramesCaptured == 1, "a frame before the unplug");

        system.Present = false;
        first.Unplug();
        WaitUntil(() => source.Status == SourceStatus.Disconnected, "Disconnected after the unplug");
        Assert.Matches("unplugged|No such device", source.StatusMessage);
        WaitUntil(() => first.Disposed, "the unplugged device to be closed");

        system.Present = true;
        WaitUntil(() => system.Opens == 2 && source.Status == SourceStatus.Running, "the device to be reopened");
        FakeV4L2Device second = system.Current!;
        Assert.NotSame(first, second);
        WaitUntil(() => second.Streaming, "streaming on the reopened device");
        second.Feed(Enumerable.Repeat((byte)7, 16).ToArray());
        WaitUntil(() => source.FramesCaptured == 2, "a frame after the reopen");
        Frame frame = source.Mailbox.TryTake()!;
        Assert.All(frame.ReadOnlyData.ToArray(), value => Assert.Equal(7, value));
        Assert.Equal(1, frame.Id);
        frame.Release();
        WaitUntil(() => second.Requeued == 1 || source.Status != SourceStatus.Running, "the reopened device's buffer to go back to the driver");
        Assert.True(source.Status == SourceStatus.Running, source.StatusMessage);
        source.Stop();
        system.AssertNoMisuse();
    }

    [Fact]
    public void A_stalled_stream_counts_as_disconnected_and_is_reopened()
    {
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_YUYV, 4, 2, 8);
        using var source = new V4L2Source(Options with { StallTimeout = TimeSpan.FromMilliseconds(50) }, new FramePool(2, PixelFormat.Yuyv, 4, 2), system);
        source.Start();

        // The reopened device streams (Running, no message) until it stalls too, so catch the message while it is set.
        string? message = null;
        WaitUntil(() => (message = source.StatusMessage) is not null, "a status message after the stall");
        Assert.Equal("/dev/video0 sent no frame for 0.1 s.", message);
        WaitUntil(() => system.Opens >= 2, "a reopen after the stall");
        Assert.True(system.Devices[0].Disposed, "The stalled device was not closed.");
        source.Stop();
        system.AssertNoMisuse();
    }

    [Fact]
    public void Stop_wakes_a_capture_thread_blocked_in_wait()
    {
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_YUYV, 4, 2, 8);
        var source = new V4L2Source(Options, new FramePool(2, PixelFormat.Yuyv, 4, 2), system);
        source.Start();
        FakeV4L2Device device = system.Current!;
        WaitUntil(() => device.Streaming, "streaming");

        Task stop = Task.Run(source.Stop);
        WaitUntil(() => stop.IsCompleted, "Stop to return while the device sends nothing (the stall timeout is an hour)");
        Assert.True(device.Woken, "Stop did not wake the device wait.");
        Assert.True(device.Disposed, "The device was not closed on stop.");
        Assert.Equal(SourceStatus.Stopped, source.Status);
        system.AssertNoMisuse();
        source.Dispose();
        source.Dispose();
    }

    [Fact]
    public void A_missing_device_at_start_is_one_clear_error()
    {
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_YUYV, 4, 2, 8) { Present = false };
        var error = Assert.Throws<SourceException>(() => new V4L2Source(Options with { Device = "7" }, new FramePool(2, PixelFormat.Yuyv, 4, 2), system));
        Assert.Equal("There is no camera at 7 (run 'skinlive devices' to list them).", error.Message);
    }

    [Fact]
    public void In_kiosk_mode_a_missing_device_is_waited_for()
    {
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_YUYV, 4, 2, 8) { Present = false };
        using var source = new V4L2Source(Options with { WaitForDevice = true }, new FramePool(2, PixelFormat.Yuyv, 4, 2), system);
        Assert.Equal(SourceStatus.Disconnected, source.Status);
        source.Start();
        WaitUntil(() => source.Status == SourceStatus.Disconnected, "Disconnected while the device is missing");
        system.Present = true;
        WaitUntil(() => system.Current?.Streaming == true, "streaming once the device appears");
        system.Current!.Feed(new byte[16]);
        WaitUntil(() => source.FramesCaptured == 1, "a frame");
        Assert.Equal(SourceStatus.Running, source.Status);
        source.Stop();
        system.AssertNoMisuse();
    }

    [Fact]
    public void Mjpeg_buffers_are_decoded_to_full_range_i420()
    {
        using var folder = new TempFolder();
        Ffmpeg("-f", "lavfi", "-i", "color=c=white:s=64x48", "-frames:v", "1", "-pix_fmt", "yuvj422p", folder.File("white.jpg"));
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_MJPEG, 64, 48, 0);
        using var source = new V4L2Source(Options with { FourCC = NativeV4L2.V4L2_PIX_FMT_MJPEG }, new FramePool(2, PixelFormat.I420, 64, 48), system);
        source.Start();
        system.Current!.Feed(File.ReadAllBytes(folder.File("white.jpg")));
        WaitUntil(() => source.FramesCaptured == 1, "the decoded frame");
        Frame frame = source.Mailbox.TryTake()!;
        Assert.Equal((PixelFormat.I420, 64, 48, ColorSpec.Bt601Full), (frame.Format, frame.Width, frame.Height, frame.Color));
        Assert.InRange(frame.ReadOnlyData[0], 250, 255);
        Assert.InRange(frame.ReadOnlyData[64 * 48], 124, 132);
        frame.Release();
        WaitUntil(() => system.Current!.Requeued == 1 || source.Status != SourceStatus.Running, "the buffer to go back to the driver");
        Assert.True(source.Status == SourceStatus.Running, source.StatusMessage);
        source.Stop();
        system.AssertNoMisuse();
    }

    [Fact]
    public void Corrupt_mjpeg_and_error_flagged_buffers_are_skipped_counted_and_requeued()
    {
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_MJPEG, 64, 48, 0);
        using var source = new V4L2Source(Options with { FourCC = NativeV4L2.V4L2_PIX_FMT_MJPEG }, new FramePool(2, PixelFormat.I420, 64, 48), system);
        source.Start();
        FakeV4L2Device device = system.Current!;
        device.Feed([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);
        device.Feed(new byte[100], error: true);
        WaitUntil(() => device.Requeued == 2 || source.Status != SourceStatus.Running, "both buffers back with the driver");
        Assert.True(source.Status == SourceStatus.Running, source.StatusMessage);
        Assert.Equal(2, source.FramesSkipped);
        Assert.Equal(0, source.FramesCaptured);
        Assert.Equal(SourceStatus.Running, source.Status);
        source.Stop();
        system.AssertNoMisuse();
    }
}
