using SkinLive.Frames;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.Tests.Gpu;

public sealed class GpuPreprocessingTests
{
    public static TheoryData<PixelFormat, int, int> FormatsAndSizes()
    {
        var data = new TheoryData<PixelFormat, int, int>();
        foreach (PixelFormat format in Enum.GetValues<PixelFormat>())
        {
            data.Add(format, 1, 1);
            data.Add(format, 7, 5);
            data.Add(format, 641, 479);
            data.Add(format, 1280, 720);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndSizes))]
    public void Gpu_tensor_matches_cpu_reference_for_every_format_and_size(PixelFormat format, int width, int height)
    {
        foreach (ColorSpec color in new[] { ColorSpec.Bt601Limited, ColorSpec.Bt709Limited, ColorSpec.Bt601Full })
        {
            Frame frame = TestFrames.Smooth(format, width, height, color, seed: width + height);
            AssertGpuMatchesCpu(frame, RectangleF.Unit, PreprocessSpec.ImageNet());
            if (!format.IsYuv())
            {
                break;
            }
        }
    }

    public static TheoryData<float, float, float, float> EdgeRois() => new()
    {
        { 0f, 0f, 0.5f, 0.5f },
        { 0.5f, 0f, 0.5f, 0.4f },
        { 0f, 0.6f, 0.3f, 0.4f },
        { 0.7f, 0.7f, 0.3f, 0.3f },
        { 0.21f, 0.13f, 0.57f, 0.61f },
        { 0f, 0f, 1f, 0.05f },
    };

    [Theory]
    [MemberData(nameof(EdgeRois))]
    public void Gpu_tensor_matches_cpu_reference_for_rois_touching_each_edge(float x, float y, float w, float h)
    {
        Frame frame = TestFrames.Smooth(PixelFormat.Yuyv, 640, 480, ColorSpec.Bt601Limited, seed: 5);
        AssertGpuMatchesCpu(frame, new RectangleF(x, y, w, h), PreprocessSpec.ImageNet());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    public void Gpu_tensor_matches_cpu_reference_for_downscales_from_1x_to_9x(int factor)
    {
        Frame frame = TestFrames.Noise(PixelFormat.Rgba8, 224 * factor, 168 * factor, default, seed: factor);
        AssertGpuMatchesCpu(frame, RectangleF.Unit, PreprocessSpec.ImageNet());
    }

    [Theory]
    [InlineData(TensorLayout.Nhwc, ChannelOrder.Rgb, 224, 224)]
    [InlineData(TensorLayout.Nchw, ChannelOrder.Bgr, 97, 61)]
    [InlineData(TensorLayout.Nhwc, ChannelOrder.Bgr, 33, 17)]
    public void Gpu_tensor_matches_cpu_reference_for_other_layouts_and_sizes(TensorLayout layout, ChannelOrder order, int w, int h)
    {
        var spec = new PreprocessSpec(w, h, layout, order, 1f / 255f, [0.5f, 0.4f, 0.3f], [0.2f, 0.25f, 0.3f]);
        Frame frame = TestFrames.Smooth(PixelFormat.Nv12, 333, 250, ColorSpec.Bt709Limited, seed: 9);
        AssertGpuMatchesCpu(frame, new RectangleF(0.1f, 0.05f, 0.8f, 0.9f), spec);
    }

    [Fact]
    public void Gpu_tensor_carries_the_frame_id_and_capture_timestamp()
    {
        Frame frame = TestFrames.Smooth(PixelFormat.Rgba8, 64, 48, default, seed: 1);
        frame.Id = 4242;
        frame.CaptureTimestamp = 987654321;
        PreprocessSpec spec = PreprocessSpec.ImageNet(32, 32);
        using EglHeadlessContext context = EglHeadlessContext.Create();
        using var tensors = new TensorDoubleBuffer(spec.ElementCount);
        using var pipeline = new GpuFramePipeline(context, spec, tensors);
        TensorStamp stamp = pipeline.ProcessNow(frame, RectangleF.Unit, tensors, new float[spec.ElementCount]);
        Assert.Equal(4242, stamp.FrameId);
        Assert.Equal(987654321, stamp.CaptureTimestamp);
    }

    internal static float[] GpuTensor(Frame frame, RectangleF roi, PreprocessSpec spec)
    {
        using var gpuPreprocessor = new GpuStillPreprocessor(spec);
        var gpu = new float[spec.ElementCount];
        gpuPreprocessor.Process(frame, roi, gpu);
        return gpu;
    }

    private static void AssertGpuMatchesCpu(Frame frame, RectangleF roi, PreprocessSpec spec)
    {
        float[] gpu = GpuTensor(frame, roi, spec);
        var cpu = new float[spec.ElementCount];
        new CpuPreprocessor(spec).Process(frame, roi, cpu);
        (double max, double mean) = TensorDiff.Compare(gpu, cpu);
        Assert.True(max <= 1e-2 && mean <= 1e-3, $"{frame.Format} {frame.Width}x{frame.Height} {frame.Color} roi {roi}: max {max:G4}, mean {mean:G4}");
    }
}
