using CsCheck;
using Silk.NET.OpenGL;
using SkinLive.Frames;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Gpu.Rendering;
using SkinLive.Preprocessing;
using GlPixelFormat = Silk.NET.OpenGL.PixelFormat;
using PixelFormat = SkinLive.Frames.PixelFormat;

namespace SkinLive.Tests.Preprocessing;

/// <summary>
/// <see cref="RgbaConverter"/> against the shader's float math (<see cref="CpuPreprocessor.ConvertToRgb"/>: the
/// <see cref="YuvToRgb"/> matrix on the nearest chroma sample, clamped, then rounded to 8 bits as an RGBA8 render
/// target stores it), and against the real present shader on headless llvmpipe.
/// </summary>
public sealed class RgbaConverterTests
{
    /// <summary>Odd and even sizes (around the 16-pixel SIMD chunks and their tails), every format and colour spec.</summary>
    private static readonly Gen<Case> Cases =
        Gen.Select(Gen.Enum<PixelFormat>(), Gen.Int[1, 100], Gen.Int[1, 24], Gen.Enum<YuvMatrix>(), Gen.Enum<YuvRange>(), Gen.Int,
            (format, width, height, matrix, range, seed) => new Case(format, width, height, new ColorSpec(matrix, range), seed));

    [Fact]
    public void Rgba_matches_the_shader_float_math_within_one_over_sizes_formats_and_colour_specs() =>
        Cases.Sample(c =>
        {
            Frame frame = c.Frame();
            Frame rgba = Frame.Create(PixelFormat.Rgba8, c.Width, c.Height);
            RgbaConverter.ToRgba(frame, rgba);
            (int max, _) = CompareWithReference(frame, rgba.ReadOnlyData);
            Assert.True(max <= (frame.Format.IsYuv() ? 1 : 0), $"{c}: max difference {max}");
        }, iter: 600);

    [Fact]
    public void Avx2_and_scalar_paths_give_identical_bytes() =>
        Cases.Sample(c =>
        {
            // Where AVX2 is missing both calls take the scalar path, and this holds trivially.
            Frame frame = c.Frame();
            Frame simd = Frame.Create(PixelFormat.Rgba8, c.Width, c.Height);
            Frame scalar = Frame.Create(PixelFormat.Rgba8, c.Width, c.Height);
            RgbaConverter.ToRgba(frame, simd, useAvx2: true);
            RgbaConverter.ToRgba(frame, scalar, useAvx2: false);
            Assert.True(simd.ReadOnlyData.SequenceEqual(scalar.ReadOnlyData), c.ToString());
        }, iter: 400);

    /// <summary>White noise covers every sample value, out-of-gamut YUV included (clamping): off by one is rare.</summary>
    [Theory]
    [InlineData(PixelFormat.Yuyv)]
    [InlineData(PixelFormat.Nv12)]
    [InlineData(PixelFormat.I420)]
    public void Fixed_point_is_off_by_one_only_at_rounding_ties(PixelFormat format)
    {
        foreach (ColorSpec color in AllColorSpecs())
        {
            Frame frame = TestFrames.Noise(format, 320, 240, color, seed: 5);
            Frame rgba = Frame.Create(PixelFormat.Rgba8, 320, 240);
            RgbaConverter.ToRgba(frame, rgba);
            (int max, double offByOne) = CompareWithReference(frame, rgba.ReadOnlyData);
            Assert.True(max <= 1, $"{format} {color}: max {max}");
            Assert.True(offByOne < 0.01, $"{format} {color}: {offByOne:P3} of channels off by one");
        }
    }

    [Fact]
    public void Rgba_source_converts_in_place_and_gets_opaque_alpha()
    {
        Frame frame = TestFrames.Noise(PixelFormat.Rgba8, 37, 5, default, seed: 3);
        byte[] before = frame.ReadOnlyData.ToArray();
        RgbaConverter.ToRgba(frame, frame);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(i % 4 == 3 ? 255 : before[i], frame.ReadOnlyData[i]);
        }
    }

    [Fact]
    public void Wrong_destination_is_refused()
    {
        Frame source = Frame.Create(PixelFormat.Yuyv, 8, 4);
        Assert.Throws<ArgumentException>(() => RgbaConverter.ToRgba(source, Frame.Create(PixelFormat.Bgra8, 8, 4)));
        Assert.Throws<ArgumentException>(() => RgbaConverter.ToRgba(source, Frame.Create(PixelFormat.Rgba8, 8, 5)));
        Assert.Throws<ArgumentException>(() => RgbaConverter.ToRgba(source, source));
    }

    [Fact]
    public void Steady_state_allocates_nothing()
    {
        var pairs = new List<(Frame Source, Frame Destination)>();
        foreach (PixelFormat format in Enum.GetValues<PixelFormat>())
        {
            pairs.Add((TestFrames.Noise(format, 1280, 720, ColorSpec.Bt709Limited, seed: 1), Frame.Create(PixelFormat.Rgba8, 1280, 720)));
            pairs.Add((TestFrames.Noise(format, 33, 7, ColorSpec.Bt601Full, seed: 2), Frame.Create(PixelFormat.Rgba8, 33, 7)));
        }

        foreach ((Frame source, Frame destination) in pairs)
        {
            RgbaConverter.ToRgba(source, destination);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 3; round++)
        {
            foreach ((Frame source, Frame destination) in pairs)
            {
                RgbaConverter.ToRgba(source, destination);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    public static TheoryData<PixelFormat> AllFormats()
    {
        var data = new TheoryData<PixelFormat>();
        foreach (PixelFormat format in Enum.GetValues<PixelFormat>())
        {
            data.Add(format);
        }

        return data;
    }

    /// <summary>The present shader on llvmpipe, drawn 1:1 into a target the size of the frame, against ToRgba.</summary>
    [Theory]
    [MemberData(nameof(AllFormats))]
    public void Rgba_matches_the_gpu_present_on_llvmpipe(PixelFormat format)
    {
        using EglHeadlessContext context = EglHeadlessContext.Create();
        GL gl = context.Gl;
        var shaders = new ShaderLibrary(gl);
        using var triangle = new FullscreenTriangle(gl);
        using var presenter = new FramePresenter(gl, shaders, triangle);
        using var uploader = new FrameUploader(gl);
        (int W, int H)[] sizes = [(1, 1), (7, 5), (64, 48), (321, 239)];
        int seed = 0;
        foreach ((int w, int h) in sizes)
        {
            foreach (ColorSpec color in AllColorSpecs())
            {
                seed++;
                Frame frame = seed % 2 == 0 ? TestFrames.Noise(format, w, h, color, seed) : TestFrames.Smooth(format, w, h, color, seed);
                Frame rgba = Frame.Create(PixelFormat.Rgba8, w, h);
                RgbaConverter.ToRgba(frame, rgba);
                byte[] gpu = Present(gl, presenter, uploader, frame);
                int max = 0, differing = 0;
                for (int i = 0; i < gpu.Length; i++)
                {
                    int diff = Math.Abs(gpu[i] - rgba.ReadOnlyData[i]);
                    max = Math.Max(max, diff);
                    differing += diff > 0 ? 1 : 0;
                }

                // Measured on llvmpipe (641x479 noise, every YUV format and spec): max 1, at most 0.66% of
                // channels; here at most 2% (a few channels for the tiny frames).
                Assert.True(max <= 2, $"{format} {w}x{h} {color}: max difference to the GPU present {max}");
                Assert.True(differing <= Math.Max(4, gpu.Length * 3 / 4 / 50), $"{format} {w}x{h} {color}: {differing} channels differ from the GPU present");
                if (!format.IsYuv())
                {
                    Assert.Equal(0, max);
                }
            }
        }
    }

    /// <summary>The presented picture as RGBA8, top row first (GL reads the bottom row first).</summary>
    private static unsafe byte[] Present(GL gl, FramePresenter presenter, FrameUploader uploader, Frame frame)
    {
        int w = frame.Width, h = frame.Height;
        uploader.Upload(frame);
        using var target = new RenderTarget(gl, w, h, SizedInternalFormat.Rgba8);
        presenter.Draw(uploader, frame.Color, target.Framebuffer, w, h);
        byte[] bottomUp = new byte[w * h * 4];
        gl.BindFramebuffer(FramebufferTarget.ReadFramebuffer, target.Framebuffer);
        gl.PixelStore(PixelStoreParameter.PackAlignment, 1);
        fixed (byte* p = bottomUp)
        {
            gl.ReadPixels(0, 0, (uint)w, (uint)h, GlPixelFormat.Rgba, PixelType.UnsignedByte, p);
        }

        gl.BindFramebuffer(FramebufferTarget.ReadFramebuffer, 0);
        gl.BindFramebuffer(FramebufferTarget.Framebuffer, 0);
        byte[] topDown = new byte[bottomUp.Length];
        for (int y = 0; y < h; y++)
        {
            bottomUp.AsSpan((h - 1 - y) * w * 4, w * 4).CopyTo(topDown.AsSpan(y * w * 4));
        }

        return topDown;
    }

    /// <summary>Max channel difference to the float reference (alpha must be 255) and the share of channels that differ.</summary>
    private static (int Max, double Differing) CompareWithReference(Frame frame, ReadOnlySpan<byte> rgba)
    {
        int pixels = frame.Width * frame.Height;
        var rgb = new float[pixels * 3];
        CpuPreprocessor.ConvertToRgb(frame.ReadOnlyData, frame.Format, frame.Width, frame.Height, frame.Color, rgb);
        int max = 0, differing = 0;
        for (int p = 0; p < pixels; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                int expected = (int)MathF.Round(rgb[(p * 3) + c] * 255f, MidpointRounding.AwayFromZero);
                int diff = Math.Abs(expected - rgba[(p * 4) + c]);
                max = Math.Max(max, diff);
                differing += diff > 0 ? 1 : 0;
            }

            Assert.Equal(255, rgba[(p * 4) + 3]);
        }

        return (max, (double)differing / (pixels * 3));
    }

    private static ColorSpec[] AllColorSpecs() =>
        [new(YuvMatrix.Bt601, YuvRange.Limited), new(YuvMatrix.Bt601, YuvRange.Full), new(YuvMatrix.Bt709, YuvRange.Limited), new(YuvMatrix.Bt709, YuvRange.Full)];

    private sealed record Case(PixelFormat Format, int Width, int Height, ColorSpec Color, int Seed)
    {
        public Frame Frame() => Seed % 2 == 0
            ? TestFrames.Noise(Format, Width, Height, Color, Seed)
            : TestFrames.Smooth(Format, Width, Height, Color, Seed);
    }
}
