using SkinLive.Frames;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.Tests.Gpu;

public sealed class LocalizationMapTests
{
    [Theory]
    [InlineData(PixelFormat.Rgba8)]
    [InlineData(PixelFormat.Yuyv)]
    [InlineData(PixelFormat.I420)]
    public void Map_shows_a_dark_square_where_the_frame_has_it(PixelFormat format)
    {
        const int w = 640, h = 480;
        byte[] rgba = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                bool dark = x >= 320 && x < 480 && y >= 120 && y < 240;
                rgba.AsSpan(((y * w) + x) * 4, 4).Fill(dark ? (byte)30 : (byte)220);
            }
        }

        Frame frame = Frame.Create(format, w, h, ColorSpec.Bt601Full);
        PixelEncoder.FromRgba(rgba, w, h, format, ColorSpec.Bt601Full, frame.Data);
        frame.Id = 77;
        PreprocessSpec spec = PreprocessSpec.ImageNet(32, 32);
        using EglHeadlessContext context = EglHeadlessContext.Create();
        using var tensors = new TensorDoubleBuffer(spec.ElementCount);
        using var pipeline = new GpuFramePipeline(context, spec, tensors);
        pipeline.ProcessNow(frame, RectangleF.Unit, tensors, new float[spec.ElementCount]);

        LocalizationMap map = pipeline.Map;
        Assert.Equal(1, map.Version);
        Assert.Equal(77, map.Stamp.FrameId);
        // Map cell (mx, my) covers frame pixels [4mx, 4mx+4) x [4my, 4my+4).
        Assert.InRange(map.Darkness[(45 * 160) + 100], 0.85f, 0.92f);
        Assert.InRange(map.Darkness[(10 * 160) + 10], 0.10f, 0.17f);
        Assert.InRange(map.Luma[(45 * 160) + 100], 0.08f, 0.15f);
        int darkCells = 0;
        foreach (float d in map.Darkness)
        {
            darkCells += d > 0.5f ? 1 : 0;
        }

        Assert.Equal(40 * 30, darkCells);
    }
}
