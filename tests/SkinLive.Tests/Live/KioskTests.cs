using SkinLive.App.Live;
using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Gpu.Platform;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.Tests.Live;

public sealed class KioskTests
{
    [Fact]
    public void Kiosk_shows_reconnecting_while_the_camera_is_gone_and_resumes_when_it_returns()
    {
        using var source = new FlakySource();
        PreprocessSpec spec = PreprocessSpec.ImageNet(32, 32);
        using var tensors = new TensorDoubleBuffer(spec.ElementCount);
        using var host = new HeadlessHost(320, 240);
        var session = new LiveSession(host, source, spec, tensors, new LiveOptions { Kiosk = true, Seconds = 30 });
        bool sawReconnecting = false, resumed = false;
        long uploadedWhenBack = -1;
        session.Loop.Rendered += _ =>
        {
            if (source.Status == SourceStatus.Disconnected && session.State.FullScreenMessage == "Reconnecting camera…")
            {
                sawReconnecting = true;
            }

            if (sawReconnecting && source.Status == SourceStatus.Running && session.State.FullScreenMessage is null)
            {
                uploadedWhenBack = uploadedWhenBack < 0 ? session.Loop.FramesUploaded : uploadedWhenBack;
                if (session.Loop.FramesUploaded > uploadedWhenBack + 5)
                {
                    resumed = true;
                    host.Close();
                }
            }
        };

        session.Run();
        Assert.True(sawReconnecting, "the kiosk never showed the reconnect screen");
        Assert.True(resumed, "video did not resume after the camera came back");
    }

    /// <summary>Delivers frames, disappears for half a second (Disconnected), then delivers again.</summary>
    private sealed class FlakySource() : ThreadedFrameSource(new FramePool(4, PixelFormat.Rgba8, 64, 48))
    {
        public override string Description => "flaky test camera";

        protected override void Run(CancellationToken stop)
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                bool gone = i is >= 20 and < 35;
                SetStatus(gone ? SourceStatus.Disconnected : SourceStatus.Running, gone ? "unplugged" : null);
                if (!gone && RentFrame(PixelFormat.Rgba8, 64, 48, default) is { } frame)
                {
                    frame.Data.Fill((byte)(i * 7));
                    Publish(frame);
                }

                stop.WaitHandle.WaitOne(33);
            }
        }
    }
}
