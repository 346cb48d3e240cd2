using CsCheck;
using SkinLive.Frames;
using SkinLive.Preprocessing;

namespace SkinLive.Tests.Properties;

/// <summary>
/// Every pixel format's conversion to RGB (<see cref="CpuPreprocessor.ConvertToRgb"/>, the CPU twin of the shaders'
/// frame_pixel.glsl) agrees with a textbook per-pixel reference written from the layouts' definitions, for random
/// sizes (odd ones included) and contents, reading only the frame's own bytes.
/// </summary>
public sealed class PixelConversionProperties
{
    private static readonly Gen<(PixelFormat Format, int Width, int Height, ColorSpec Color, int Seed)> Frames =
        Gen.Select(Gen.Enum<PixelFormat>(), Gen.Int[1, 33], Gen.Int[1, 17], Gen.Enum<YuvMatrix>(), Gen.Enum<YuvRange>(), Gen.Int,
            (format, width, height, matrix, range, seed) => (format, width, height, new ColorSpec(matrix, range), seed));

    [Fact]
    public void Conversion_to_rgb_matches_a_per_pixel_reference_for_every_format_and_size() =>
        Frames.Sample((format, width, height, color, seed) =>
        {
            byte[] data = RandomBytes(PixelFormats.FrameBytes(format, width, height), seed);
            float[] rgb = new float[3 * width * height];
            CpuPreprocessor.ConvertToRgb(data, format, width, height, color, rgb);
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    (double r, double g, double b) = ReferencePixel(data, format, width, height, color, x, y);
                    int o = 3 * ((y * width) + x);
                    if (Math.Abs(rgb[o] - r) > 1e-4 || Math.Abs(rgb[o + 1] - g) > 1e-4 || Math.Abs(rgb[o + 2] - b) > 1e-4)
                    {
                        Assert.Fail($"{format} {width}x{height} {color} pixel ({x},{y}): got ({rgb[o]}, {rgb[o + 1]}, {rgb[o + 2]}), reference ({r}, {g}, {b}).");
                    }
                }
            }
        }, iter: 300);

    [Fact]
    public void A_frame_one_byte_short_is_refused_instead_of_read_past() =>
        Frames.Sample((format, width, height, color, seed) =>
        {
            byte[] data = RandomBytes(PixelFormats.FrameBytes(format, width, height) - 1, seed);
            float[] rgb = new float[3 * width * height];
            ArgumentException error = Assert.Throws<ArgumentException>(() => CpuPreprocessor.ConvertToRgb(data, format, width, height, color, rgb));
            Assert.Contains($"needs {data.Length + 1} bytes", error.Message);
        }, iter: 100);

    private static byte[] RandomBytes(int length, int seed)
    {
        byte[] data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>One pixel from the layout's definition (PixelFormat's docs) and the BT.601/709 equations.</summary>
    private static (double R, double G, double B) ReferencePixel(byte[] d, PixelFormat format, int width, int height, ColorSpec color, int x, int y)
    {
        int pixel = (y * width) + x;
        int chromaWidth = (width + 1) / 2, chromaHeight = (height + 1) / 2;
        int pair = x / 2, odd = x % 2;
        (int Y, int U, int V) yuv;
        switch (format)
        {
            case PixelFormat.Rgba8:
                return (d[4 * pixel] / 255.0, d[(4 * pixel) + 1] / 255.0, d[(4 * pixel) + 2] / 255.0);
            case PixelFormat.Bgra8:
                return (d[(4 * pixel) + 2] / 255.0, d[(4 * pixel) + 1] / 255.0, d[4 * pixel] / 255.0);
            case PixelFormat.Rgb24:
                return (d[3 * pixel] / 255.0, d[(3 * pixel) + 1] / 255.0, d[(3 * pixel) + 2] / 255.0);
            case PixelFormat.Yuyv:
                {
                    int macro = (y * 4 * chromaWidth) + (4 * pair);
                    yuv = (d[macro + (2 * odd)], d[macro + 1], d[macro + 3]);
                    break;
                }

            case PixelFormat.Uyvy:
                {
                    int macro = (y * 4 * chromaWidth) + (4 * pair);
                    yuv = (d[macro + 1 + (2 * odd)], d[macro], d[macro + 2]);
                    break;
                }

            case PixelFormat.Nv12:
                {
                    int uv = (width * height) + ((y / 2) * 2 * chromaWidth) + (2 * pair);
                    yuv = (d[pixel], d[uv], d[uv + 1]);
                    break;
                }

            case PixelFormat.I420:
                {
                    int u = (width * height) + ((y / 2) * chromaWidth) + pair;
                    yuv = (d[pixel], d[u], d[u + (chromaWidth * chromaHeight)]);
                    break;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(format));
        }

        (double kr, double kb) = color.Matrix == YuvMatrix.Bt709 ? (0.2126, 0.0722) : (0.299, 0.114);
        double kg = 1 - kr - kb;
        bool limited = color.Range == YuvRange.Limited;
        double luma = limited ? (yuv.Y - 16) / 219.0 : yuv.Y / 255.0;
        double cb = (yuv.U - 128) / (limited ? 224.0 : 255.0);
        double cr = (yuv.V - 128) / (limited ? 224.0 : 255.0);
        double red = luma + (2 * (1 - kr) * cr);
        double green = luma - (2 * kb * (1 - kb) / kg * cb) - (2 * kr * (1 - kr) / kg * cr);
        double blue = luma + (2 * (1 - kb) * cb);
        return (Math.Clamp(red, 0, 1), Math.Clamp(green, 0, 1), Math.Clamp(blue, 0, 1));
    }
}
