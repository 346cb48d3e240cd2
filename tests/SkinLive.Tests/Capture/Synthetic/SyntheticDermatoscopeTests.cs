using SkinLive.Capture.Synthetic;
using SkinLive.Frames;

namespace SkinLive.Tests.Capture.Synthetic;

public class SyntheticDermatoscopeTests
{
    private const int Width = 240;
    private const int Height = 180;

    [Fact]
    public void Same_seeds_render_identical_bytes()
    {
        var request = new StillRequest(Width, Height, 4, LesionSeed: 17, ViewSeed: 3);
        byte[] first = Render(new SyntheticDermatoscope(), request, PixelFormat.Rgba8, out GroundTruth firstTruth);
        byte[] second = Render(new SyntheticDermatoscope(), request, PixelFormat.Rgba8, out GroundTruth secondTruth);

        Assert.Equal(first, second);
        Assert.Equal(firstTruth, secondTruth);
    }

    [Fact]
    public void Different_lesion_or_view_seed_renders_a_different_picture()
    {
        var renderer = new SyntheticDermatoscope();
        var request = new StillRequest(Width, Height, 5, LesionSeed: 1, ViewSeed: 1);
        byte[] reference = Render(renderer, request, PixelFormat.Rgb24, out _);
        byte[] otherLesion = Render(renderer, request with { LesionSeed = 2 }, PixelFormat.Rgb24, out _);
        byte[] otherView = Render(renderer, request with { ViewSeed = 2 }, PixelFormat.Rgb24, out _);

        Assert.True(FractionDifferent(reference, otherLesion) > 0.5, "another lesion seed should change most pixels");
        Assert.True(FractionDifferent(reference, otherView) > 0.5, "another view seed should change most pixels");
    }

    [Fact]
    public void Reusing_a_renderer_does_not_change_the_picture()
    {
        var reused = new SyntheticDermatoscope();
        var request = new StillRequest(Width, Height, 1, LesionSeed: 8, ViewSeed: 9);
        Render(reused, new StillRequest(320, 240, 6, 5, 5), PixelFormat.Rgba8, out _);
        byte[] afterOther = Render(reused, request, PixelFormat.Rgba8, out _);
        byte[] fresh = Render(new SyntheticDermatoscope(), request, PixelFormat.Rgba8, out _);

        Assert.Equal(fresh, afterOther);
    }

    [Fact]
    public void Rgb24_and_rgba8_hold_the_same_colours()
    {
        var request = new StillRequest(Width, Height, 2, LesionSeed: 4, ViewSeed: 4);
        byte[] rgba = Render(new SyntheticDermatoscope(), request, PixelFormat.Rgba8, out _);
        byte[] rgb = Render(new SyntheticDermatoscope(), request, PixelFormat.Rgb24, out _);

        for (int p = 0; p < Width * Height; p++)
        {
            Assert.Equal(rgb[p * 3], rgba[p * 4]);
            Assert.Equal(rgb[(p * 3) + 1], rgba[(p * 4) + 1]);
            Assert.Equal(rgb[(p * 3) + 2], rgba[(p * 4) + 2]);
            Assert.Equal(255, rgba[(p * 4) + 3]);
        }
    }

    public static TheoryData<int, bool> ClassesWithAndWithoutNuisance()
    {
        var data = new TheoryData<int, bool>();
        for (int c = 0; c < HamClasses.Count; c++)
        {
            data.Add(c, false);
            data.Add(c, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ClassesWithAndWithoutNuisance))]
    public void Ground_truth_box_encloses_every_pixel_the_lesion_changes(int classIndex, bool nuisance)
    {
        var renderer = new SyntheticDermatoscope();
        for (ulong seed = 1; seed <= 6; seed++)
        {
            var request = new StillRequest(Width, Height, classIndex, LesionSeed: (seed * 31) + (ulong)classIndex, ViewSeed: seed)
            {
                Blur = nuisance,
                Hair = nuisance,
                Vignette = nuisance,
            };
            byte[] with = Render(renderer, request, PixelFormat.Rgb24, out GroundTruth truth);
            byte[] without = Render(renderer, request with { DrawLesion = false }, PixelFormat.Rgb24, out GroundTruth none);

            Assert.False(none.HasLesion);
            Assert.True(truth.HasLesion);
            Assert.Equal(classIndex, truth.ClassIndex);
            float left = truth.Box.X * Width;
            float top = truth.Box.Y * Height;
            float right = truth.Box.Right * Width;
            float bottom = truth.Box.Bottom * Height;
            int changed = 0;
            int minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    int i = ((y * Width) + x) * 3;
                    if (with[i] == without[i] && with[i + 1] == without[i + 1] && with[i + 2] == without[i + 2])
                    {
                        continue;
                    }

                    changed++;
                    Assert.True(x >= left - 1e-3f && x + 1 <= right + 1e-3f && y >= top - 1e-3f && y + 1 <= bottom + 1e-3f, $"changed pixel ({x},{y}) lies outside the box {left},{top}..{right},{bottom} (seed {seed})");
                    minX = Math.Min(minX, x);
                    maxX = Math.Max(maxX, x);
                    minY = Math.Min(minY, y);
                    maxY = Math.Max(maxY, y);
                }
            }

            Assert.True(changed > 50, $"the lesion changed only {changed} pixels (seed {seed})");

            // Tight too: the box is not much larger than the changed region.
            float changedArea = (maxX + 1 - minX) * (float)(maxY + 1 - minY);
            Assert.True((right - left) * (bottom - top) < 2.2f * changedArea, $"box {right - left}x{bottom - top} is loose around {maxX + 1 - minX}x{maxY + 1 - minY} (seed {seed})");
        }
    }

    [Fact]
    public void Each_class_has_its_own_look()
    {
        // Mean colour inside the box, averaged over lesions: the class models must differ from one another.
        var renderer = new SyntheticDermatoscope();
        var means = new (double R, double G, double B)[HamClasses.Count];
        for (int c = 0; c < HamClasses.Count; c++)
        {
            double r = 0, g = 0, b = 0;
            int n = 0;
            for (ulong seed = 1; seed <= 8; seed++)
            {
                var request = new StillRequest(Width, Height, c, seed * 977, seed) { Blur = false, Hair = false, Vignette = false };
                byte[] pixels = Render(renderer, request, PixelFormat.Rgb24, out GroundTruth truth);
                int x0 = (int)(truth.Box.X * Width), x1 = (int)(truth.Box.Right * Width);
                int y0 = (int)(truth.Box.Y * Height), y1 = (int)(truth.Box.Bottom * Height);
                int cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, hw = Math.Max(1, (x1 - x0) / 6), hh = Math.Max(1, (y1 - y0) / 6);
                for (int y = cy - hh; y < cy + hh; y++)
                {
                    for (int x = cx - hw; x < cx + hw; x++)
                    {
                        int i = ((y * Width) + x) * 3;
                        r += pixels[i];
                        g += pixels[i + 1];
                        b += pixels[i + 2];
                        n++;
                    }
                }
            }

            means[c] = (r / n, g / n, b / n);
        }

        // Vascular lesions and actinic keratoses are redder than naevi; melanomas darker than keratoses; naevi brown.
        int akiec = 0, bcc = 1, bkl = 2, mel = 4, nv = 5, vasc = 6;
        Assert.True(means[vasc].R - means[vasc].G > means[nv].R - means[nv].G, "vasc should be redder than nv");
        Assert.True(means[akiec].R - means[akiec].G > means[nv].R - means[nv].G, "akiec should be redder than nv");
        Assert.True(Luma(means[mel]) < Luma(means[bkl]), "mel should be darker than bkl");
        Assert.True(means[nv].R > means[nv].B + 10, $"nv should be brown, mean {means[nv]}");
        Assert.True(Luma(means[nv]) < Luma(means[bcc]), "nv should be darker than the pink, translucent bcc");
    }

    [Fact]
    public void Unsupported_format_and_short_buffer_are_refused()
    {
        var renderer = new SyntheticDermatoscope();
        var request = new StillRequest(Width, Height, 0, 1, 1);
        Assert.Throws<ArgumentException>(() => renderer.RenderStill(request, new byte[Width * Height * 2], PixelFormat.Yuyv));
        Assert.Throws<ArgumentException>(() => renderer.RenderStill(request, new byte[(Width * Height * 3) - 1], PixelFormat.Rgb24));
        Assert.Throws<ArgumentOutOfRangeException>(() => renderer.RenderStill(request with { ClassIndex = 7 }, new byte[Width * Height * 3], PixelFormat.Rgb24));
    }

    private static double Luma((double R, double G, double B) c) => (0.299 * c.R) + (0.587 * c.G) + (0.114 * c.B);

    private static byte[] Render(SyntheticDermatoscope renderer, StillRequest request, PixelFormat format, out GroundTruth truth)
    {
        var pixels = new byte[PixelFormats.FrameBytes(format, request.Width, request.Height)];
        truth = renderer.RenderStill(request, pixels, format);
        return pixels;
    }

    private static double FractionDifferent(byte[] a, byte[] b)
    {
        int different = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                different++;
            }
        }

        return different / (double)a.Length;
    }
}
