using SkinLive.App.Overlay;
using SkinLive.Frames;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Gpu.Rendering;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.Tests.Overlay;

public sealed class OverlayPainterTests
{
    [Theory]
    [InlineData(RiskGroup.Malignant)]
    [InlineData(RiskGroup.Benign)]
    public void Box_edges_are_drawn_where_the_lesion_is_in_the_risk_colour(RiskGroup risk)
    {
        const int w = 640, h = 480;
        var state = new OverlayState
        {
            Box = new RectangleF(0.25f, 0.25f, 0.5f, 0.5f),
            Label = "Melanoma",
            Confidence = 0.87f,
            Risk = risk,
            ShowHud = false,
        };
        state.Top[0] = ("Melanoma", 0.87f);
        state.TopCount = 1;

        byte[] pixels = Render(state, w, h);
        Rgba expected = OverlayPainter.ColorOf(risk);
        AssertColor(pixels, w, 160, 240, expected);        // left edge, mid height
        AssertColor(pixels, w, 479, 240, expected);        // right edge
        AssertColor(pixels, w, 320, 359, expected);        // bottom edge
        AssertGrey(pixels, w, 320, 240);                   // inside the box: the video
        AssertGrey(pixels, w, 60, 240);                    // outside the box: the video
    }

    [Fact]
    public void Disclaimer_is_always_drawn_along_the_bottom()
    {
        const int w = 640, h = 480;
        byte[] pixels = Render(new OverlayState { ShowHud = false }, w, h);
        int bright = 0;
        for (int x = 0; x < 300; x++)
        {
            for (int y = h - 20; y < h; y++)
            {
                int o = ((y * w) + x) * 4;
                bright += pixels[o] > 200 && pixels[o + 1] > 200 ? 1 : 0;
            }
        }

        Assert.True(bright > 200, $"only {bright} text pixels in the disclaimer strip");
    }

    private static byte[] Render(OverlayState state, int w, int h)
    {
        using var host = new HeadlessHost(w, h);
        PreprocessSpec spec = PreprocessSpec.ImageNet(16, 16);
        using var tensors = new TensorDoubleBuffer(spec.ElementCount);
        using var pipeline = new GpuFramePipeline(host.Context, spec, tensors);
        using var overlay = new OverlayRenderer(host.Context.Gl, new ShaderLibrary(host.Context.Gl));
        Frame frame = Frame.Create(PixelFormat.Rgba8, w, h);
        frame.Data.Fill(128);
        pipeline.Submit(frame, RectangleF.Unit, 1);
        pipeline.Present(host.Framebuffer, w, h);
        new OverlayPainter().Paint(overlay, state, (0, 0, w, h), w, h);
        overlay.Flush(host.Framebuffer, w, h);
        return host.ReadPixels();
    }

    private static void AssertColor(byte[] pixels, int w, int x, int y, Rgba expected)
    {
        int o = ((y * w) + x) * 4;
        (int r, int g, int b) = (pixels[o], pixels[o + 1], pixels[o + 2]);
        Assert.True(
            Math.Abs(r - (expected.R * 255)) < 4 && Math.Abs(g - (expected.G * 255)) < 4 && Math.Abs(b - (expected.B * 255)) < 4,
            $"pixel ({x},{y}) is ({r},{g},{b}), expected {expected}");
    }

    private static void AssertGrey(byte[] pixels, int w, int x, int y)
    {
        int o = ((y * w) + x) * 4;
        Assert.True(Math.Abs(pixels[o] - 128) < 3 && Math.Abs(pixels[o + 1] - 128) < 3 && Math.Abs(pixels[o + 2] - 128) < 3, $"pixel ({x},{y}) is not the grey video");
    }
}
