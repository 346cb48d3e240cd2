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
        session.FrameShown += _ =>
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

    [Fact]
    public void Kiosk_reopens_a_failed_camera_on_a_worker_while_the_video_keeps_being_drawn()
    {
        using var source = new SlowToStopSource();
        PreprocessSpec spec = PreprocessSpec.ImageNet(32, 32);
        using var tensors = new TensorDoubleBuffer(spec.ElementCount);
        using var host = new HeadlessHost(160, 120) { FramesPerSecondCap = 60 };
        var session = new LiveSession(host, source, spec, tensors, new LiveOptions { Kiosk = true, Seconds = 30 });
        int renderThread = Environment.CurrentManagedThreadId;
        long shownWhileStopping = 0, uploadsAfterRestart = -1;
        session.FrameShown += _ =>
        {
            if (source.Stopping)
            {
                shownWhileStopping++;
            }

            if (source.Starts >= 2 && source.Status == SourceStatus.Running)
            {
                uploadsAfterRestart = uploadsAfterRestart < 0 ? session.Loop.FramesUploaded : uploadsAfterRestart;
                if (session.Loop.FramesUploaded > uploadsAfterRestart + 5)
                {
                    host.Close();
                }
            }
        };

        session.Run();
        Assert.True(source.Starts >= 2, "the failed camera was never reopened");
        Assert.True(session.Loop.FramesUploaded > uploadsAfterRestart + 5, "video did not resume after the restart");
        Assert.NotEqual(renderThread, source.StoppedOnThread);
        // Had the restart run on the render thread, no frame could have been shown while the source was stopping.
        Assert.True(shownWhileStopping > 0, "no frame was drawn while the camera was being stopped");
    }

    /// <summary>Fails after 10 frames on its first start; stopping it takes half a second (a device slow to close).</summary>
    private sealed class SlowToStopSource() : ThreadedFrameSource(new FramePool(4, PixelFormat.Rgba8, 64, 48))
    {
        private int _starts;
        private volatile bool _stopping;

        public override string Description => "slow to stop test camera";

        public int Starts => Volatile.Read(ref _starts);

        public bool Stopping => _stopping;

        /// <summary>The thread of the first stop (the restart; the session's teardown stops it again).</summary>
        public int StoppedOnThread { get; private set; }

        protected override void Run(CancellationToken stop)
        {
            int start = Interlocked.Increment(ref _starts);
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                if (start == 1 && i == 10)
                {
                    throw new IOException("the camera failed");
                }

                if (RentFrame(PixelFormat.Rgba8, 64, 48, default) is { } frame)
                {
                    frame.Data.Fill((byte)(i * 7));
                    Publish(frame);
                }

                stop.WaitHandle.WaitOne(33);
            }
        }

        protected override void OnStopRequested()
        {
            StoppedOnThread = StoppedOnThread == 0 ? Environment.CurrentManagedThreadId : StoppedOnThread;
            _stopping = true;
            Thread.Sleep(500);
            _stopping = false;
        }
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
