using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.Tests.Gpu;

public sealed class FrameLoopTests
{
    [Fact]
    public void Readback_never_blocks_the_loop_while_the_consumer_sleeps()
    {
        const int frames = 120;
        PreprocessSpec spec = PreprocessSpec.ImageNet();
        using var tensors = new TensorDoubleBuffer(spec.ElementCount);
        using var source = new TestPatternSource(new FramePool(4, PixelFormat.Yuyv, 320, 240), 320, 240, PixelFormat.Yuyv, fps: 0, ColorSpec.Bt601Limited);
        using var host = new HeadlessHost(320, 240);
        var loop = new FrameLoop(host, source, spec, tensors);
        long blockingWaits = -1, finishes = -1;
        host.Load += loop.Load;
        host.Update += _ => loop.Update();
        host.Closing += loop.Unload;
        host.Render += _ =>
        {
            loop.Render();
            GpuFramePipeline pipeline = loop.Pipeline;
            // At least `frames` frames, and on a loaded machine more until the unpaced source has been scheduled
            // often enough for the readback to matter (bounded, so a starved source still fails below).
            if ((host.FrameCount + 1 >= frames && loop.FramesUploaded >= 12) || host.FrameCount + 1 >= 50 * frames)
            {
                blockingWaits = pipeline.Sync.BlockingWaits;
                finishes = pipeline.Sync.Finishes;
                host.Close();
            }
        };

        var seen = new List<long>();
        using var stop = new CancellationTokenSource();
        var consumer = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (tensors.TryBeginRead(TimeSpan.FromMilliseconds(100), stop.Token, out int index, out TensorStamp stamp))
                {
                    Assert.True(float.IsFinite(tensors.Read(index)[0]));
                    seen.Add(stamp.FrameId);
                    Thread.Sleep(50);
                    tensors.EndRead();
                }
            }
        });

        source.Start();
        consumer.Start();
        host.Run();
        stop.Cancel();
        consumer.Join();
        source.Stop();

        Assert.InRange(host.FrameCount, frames, 50 * frames);
        Assert.Equal(0, blockingWaits);
        Assert.Equal(0, finishes);
        Assert.True(loop.FramesUploaded >= 10, $"only {loop.FramesUploaded} camera frames reached the GPU");
        Assert.True(loop.ReadbacksCompleted + loop.ReadbacksSkipped >= loop.FramesUploaded - 3, $"{loop.ReadbacksCompleted} readbacks completed for {loop.FramesUploaded} frames");
        Assert.NotEmpty(seen);
        Assert.True(tensors.Dropped > 0, "a sleeping consumer must leave tensors to be replaced");
        Assert.Equal(seen.OrderBy(id => id), seen);
    }

    [Fact]
    public void Cpu_backend_shows_each_frame_with_its_own_tensor_and_map_and_the_gpu_makes_neither()
    {
        PreprocessSpec spec = PreprocessSpec.ImageNet();
        using var tensors = new TensorDoubleBuffer(spec.ElementCount);
        using var source = new TestPatternSource(new FramePool(4, PixelFormat.Yuyv, 320, 240), 320, 240, PixelFormat.Yuyv, fps: 0, ColorSpec.Bt601Limited);
        using var host = new HeadlessHost(320, 240);
        var loop = new FrameLoop(host, source, spec, tensors, backend: PreprocessBackend.Auto);
        var problems = new List<string>();
        host.Load += loop.Load;
        host.Update += _ =>
        {
            loop.Update();
            GpuFramePipeline pipeline = loop.Pipeline;
            // What the model may read and the box may come from never belongs to a frame not yet on screen.
            if (tensors.TryBeginRead(out int _, out TensorStamp stamp))
            {
                if (stamp.FrameId > pipeline.FrameId)
                {
                    problems.Add($"tensor of frame {stamp.FrameId} while frame {pipeline.FrameId} is shown");
                }

                tensors.EndRead();
            }

            if (loop.Map.Version > 0 && loop.Map.Stamp.FrameId > pipeline.FrameId)
            {
                problems.Add($"map of frame {loop.Map.Stamp.FrameId} while frame {pipeline.FrameId} is shown");
            }
        };
        host.Render += _ =>
        {
            loop.Render();
            if (loop.FramesUploaded >= 40 || host.FrameCount > 20_000)
            {
                host.Close();
            }
        };
        host.Closing += loop.Unload;

        source.Start();
        host.Run();
        source.Stop();

        // llvmpipe is a software rasterizer, so auto chose the CPU: no readback was issued on the GPU.
        Assert.Equal(PreprocessBackend.Cpu, loop.Backend);
        Assert.Null(loop.BackendFailure);
        Assert.True(loop.FramesUploaded >= 40, $"only {loop.FramesUploaded} frames came through the CPU backend");
        Assert.Empty(problems);
        Assert.True(loop.ReadbacksCompleted >= loop.FramesUploaded - 1, $"{loop.ReadbacksCompleted} tensors for {loop.FramesUploaded} frames");
        Assert.True(tensors.Published >= loop.FramesUploaded - 1);
    }

    [Fact]
    public void Readback_is_skipped_and_counted_when_every_buffer_is_in_flight()
    {
        PreprocessSpec spec = PreprocessSpec.ImageNet(16, 16);
        using EglHeadlessContext context = EglHeadlessContext.Create();
        using var tensors = new TensorDoubleBuffer(spec.ElementCount);
        using var pipeline = new GpuFramePipeline(context, spec, tensors, readbackRing: 3);
        Frame frame = TestFrames.Smooth(PixelFormat.Rgba8, 32, 32, default, seed: 2);
        for (int i = 1; i <= 5; i++)
        {
            frame.Id = i;
            pipeline.Submit(frame, RectangleF.Unit, i);
        }

        Assert.Equal(3, pipeline.Readback.InFlight);
        Assert.Equal(2, pipeline.Readback.Skipped);
        Assert.Equal(0, pipeline.Sync.BlockingWaits);
    }
}
