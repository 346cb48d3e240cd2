using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Preprocessing;
using SkinLive.Tensors;
using static SkinLive.Tests.Capture.CaptureTestSupport;

namespace SkinLive.Tests.Preprocessing;

public sealed class CpuPreprocessWorkerTests
{
    private static readonly PreprocessSpec Spec = PreprocessSpec.ImageNet();

    [Fact]
    public void Each_frame_arrives_with_its_own_tensor_and_map_published_only_when_the_render_thread_takes_it()
    {
        FrameReplay replay = Distinct(PixelFormat.Yuyv, 6);
        using var source = new ReplayFrameSource(replay, 12, fps: 0);
        using var tensors = new TensorDoubleBuffer(Spec.ElementCount);
        var roi = new RectangleF(0.25f, 0.2f, 0.5f, 0.6f);
        using var worker = new CpuPreprocessWorker(source, Spec, tensors, 40, 30) { Roi = roi };
        var reference = new SimdPreprocessor(Spec);
        var mapReference = new LocalizationMapBuilder(40, 30);
        float[] expected = new float[Spec.ElementCount], expectedMap = new float[mapReference.ElementCount];
        source.Start();
        worker.Start();

        for (long id = 0; id < 12; id++)
        {
            Frame? frame = null;
            WaitUntil(() => (frame = worker.TakeProcessed()) is not null || worker.Failure is not null, $"frame {id} from the worker");
            Assert.Null(worker.Failure);
            Assert.Equal(id, frame!.Id);

            // Published as the frame was handed over, with the frame's id, capture time and crop.
            Assert.True(tensors.TryBeginRead(out int index, out TensorStamp stamp));
            Assert.Equal((frame.Id, frame.CaptureTimestamp), (stamp.FrameId, stamp.CaptureTimestamp));
            Assert.Equal(new RectangleStamp(roi.X, roi.Y, roi.Width, roi.Height), stamp.Roi);
            reference.Process(frame, roi, expected);
            Assert.Equal(expected, tensors.Read(index).ToArray());
            tensors.EndRead();

            Assert.True(worker.Maps.TryBeginRead(out int map, out TensorStamp mapStamp));
            Assert.Equal(frame.Id, mapStamp.FrameId);
            mapReference.Build(frame, expectedMap);
            Assert.Equal(expectedMap, worker.Maps.Read(map).ToArray());
            worker.Maps.EndRead();

            // The next frame's tensor is not out before its frame is: nothing waits to be read until the next take.
            Assert.False(tensors.TryBeginRead(out _, out _));
            frame.Release();
        }

        Assert.Equal(12, worker.FramesProcessed);
        Assert.Equal(0, worker.FramesReplaced);
    }

    [Fact]
    public void For_a_software_rasterizer_the_render_thread_gets_the_frame_as_rgba_with_its_id_and_capture_time()
    {
        FrameReplay replay = Distinct(PixelFormat.Nv12, 8);
        using var source = new ReplayFrameSource(replay, 8, fps: 0);
        using var tensors = new TensorDoubleBuffer(Spec.ElementCount);
        using var worker = new CpuPreprocessWorker(source, Spec, tensors, 40, 30, rgbaForPresent: true);
        Frame expected = Frame.Create(PixelFormat.Rgba8, 64, 48);
        source.Start();
        worker.Start();

        for (long id = 0; id < 8; id++)
        {
            Frame? frame = null;
            WaitUntil(() => (frame = worker.TakeProcessed()) is not null || worker.Failure is not null, $"frame {id} from the worker");
            Assert.Null(worker.Failure);
            Assert.Equal((id, PixelFormat.Rgba8), (frame!.Id, frame.Format));
            Assert.True(tensors.TryBeginRead(out int _, out TensorStamp stamp));
            Assert.Equal(stamp.CaptureTimestamp, frame.CaptureTimestamp);
            tensors.EndRead();
            RgbaConverter.ToRgba(replay[(int)id], expected);
            Assert.Equal(expected.ReadOnlyData.ToArray(), frame.ReadOnlyData.ToArray());
            frame.Release();
        }
    }

    [Fact]
    public void A_frozen_worker_takes_no_camera_frame_and_a_thawed_one_goes_on()
    {
        // As many distinct frames as it plays: the replay re-posts its frame objects, renumbering them.
        using var source = new ReplayFrameSource(Distinct(PixelFormat.Rgba8, 4), 4, fps: 0);
        using var tensors = new TensorDoubleBuffer(Spec.ElementCount);
        using var worker = new CpuPreprocessWorker(source, Spec, tensors, 40, 30) { Frozen = true };
        source.Start();
        worker.Start();
        WaitUntil(() => source.FramesCaptured >= 1, "the first camera frame");

        // The replay posts its next frame only once one is taken: while frozen the first stays in the source's mailbox.
        Assert.Null(worker.TakeProcessed());
        Assert.Equal(1, source.FramesCaptured);
        worker.Frozen = false;
        Frame? frame = null;
        WaitUntil(() => (frame = worker.TakeProcessed()) is not null, "a frame after thawing");
        Assert.Equal(0, frame!.Id);
        frame.Release();
    }

    [Fact]
    public void Taking_frames_on_the_render_thread_allocates_nothing()
    {
        using var source = new ReplayFrameSource(Distinct(PixelFormat.Nv12, 4), 400, fps: 0);
        using var tensors = new TensorDoubleBuffer(Spec.ElementCount);
        using var worker = new CpuPreprocessWorker(source, Spec, tensors, 40, 30);
        source.Start();
        worker.Start();
        int taken = 0;
        long allocatedAfterWarmUp = 0;
        WaitUntil(
            () =>
            {
                if (worker.TakeProcessed() is { } frame)
                {
                    frame.Release();
                    if (tensors.TryBeginRead(out _, out _))
                    {
                        tensors.EndRead();
                    }

                    if (++taken == 20)
                    {
                        allocatedAfterWarmUp = GC.GetAllocatedBytesForCurrentThread();
                    }
                }

                return taken == 300;
            },
            "300 preprocessed frames");
        Assert.Equal(allocatedAfterWarmUp, GC.GetAllocatedBytesForCurrentThread());
    }

    /// <summary><paramref name="count"/> different 64×48 frames (odd-free sizes, so every format takes them).</summary>
    private static FrameReplay Distinct(PixelFormat format, int count) =>
        new([.. Enumerable.Range(0, count).Select(i => TestFrames.Noise(format, 64, 48, ColorSpec.Bt601Limited, seed: i + 1))]);
}
