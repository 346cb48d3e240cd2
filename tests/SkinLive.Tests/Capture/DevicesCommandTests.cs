using SkinLive.App;
using SkinLive.App.Commands;
using SkinLive.Platform;

namespace SkinLive.Tests.Capture;

public sealed class DevicesCommandTests
{
    [Fact]
    public void No_devices_is_said_plainly_and_exits_zero()
    {
        var stdout = new StringWriter();
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_YUYV, 4, 2, 8) { Present = false };
        Assert.Equal(0, DevicesCommand.Run([], stdout, TextWriter.Null, system));
        Assert.StartsWith("No V4L2 capture devices found (no /dev/video* nodes).", stdout.ToString());
    }

    [Fact]
    public void Each_device_is_listed_with_its_formats_sizes_and_rates()
    {
        var stdout = new StringWriter();
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_MJPEG, 1280, 720, 0);
        Assert.Equal(0, DevicesCommand.Run([], stdout, TextWriter.Null, system));
        string[] lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("/dev/video0  Fake Camera  (driver fake, usb-fake)", lines[0]);
        Assert.Equal("MJPG     1280x720     30 15", lines[2]);
        Assert.True(system.Devices.Single().Disposed, "The device was left open.");
    }

    [Fact]
    public void A_device_that_cannot_be_opened_is_reported_with_its_reason()
    {
        var stdout = new StringWriter();
        var system = new UnopenableSystem();
        Assert.Equal(0, DevicesCommand.Run([], stdout, TextWriter.Null, system));
        Assert.Equal(["Cannot open /dev/video0: Permission denied.", "No usable V4L2 capture devices found (see the errors above)."],
            stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private sealed class UnopenableSystem : SkinLive.Capture.IV4L2System
    {
        public IReadOnlyList<string> DevicePaths() => ["/dev/video0"];

        public SkinLive.Capture.IV4L2Device Open(string path) =>
            throw new SkinLive.Capture.V4L2Exception(NativeLibc.EACCES, $"Cannot open {path}: {NativeLibc.Describe(NativeLibc.EACCES)}.");
    }

    [Fact]
    public void The_real_command_exits_zero_on_any_machine()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, Cli.Run(["devices"], stdout, TextWriter.Null));
        Assert.NotEmpty(stdout.ToString());
        Assert.Equal(2, Cli.Run(["devices", "--all"], TextWriter.Null, TextWriter.Null));
    }
}
