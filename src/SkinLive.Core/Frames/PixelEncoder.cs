namespace SkinLive.Frames;

/// <summary>
/// Encodes RGBA8 pixels into any <see cref="PixelFormat"/> (chroma averaged over the pixels it covers), so test
/// patterns, benchmarks and tests can produce every format a camera may send from one picture.
/// </summary>
public static class PixelEncoder
{
    public static void FromRgba(ReadOnlySpan<byte> rgba, int width, int height, PixelFormat format, ColorSpec color, Span<byte> destination)
    {
        int expected = PixelFormats.FrameBytes(format, width, height);
        if (rgba.Length < width * height * 4 || destination.Length < expected)
        {
            throw new ArgumentException($"Buffers too small for a {width}x{height} {format} frame.");
        }

        switch (format)
        {
            case PixelFormat.Rgba8:
                rgba[..(width * height * 4)].CopyTo(destination);
                return;
            case PixelFormat.Bgra8:
            case PixelFormat.Rgb24:
                for (int p = 0; p < width * height; p++)
                {
                    int s = p * 4;
                    if (format == PixelFormat.Bgra8)
                    {
                        destination[s] = rgba[s + 2];
                        destination[s + 1] = rgba[s + 1];
                        destination[s + 2] = rgba[s];
                        destination[s + 3] = rgba[s + 3];
                    }
                    else
                    {
                        destination[p * 3] = rgba[s];
                        destination[(p * 3) + 1] = rgba[s + 1];
                        destination[(p * 3) + 2] = rgba[s + 2];
                    }
                }

                return;
        }

        EncodeYuv(rgba, width, height, format, color, destination);
    }

    private static void EncodeYuv(ReadOnlySpan<byte> rgba, int width, int height, PixelFormat format, ColorSpec color, Span<byte> destination)
    {
        (double kr, double kb) = color.Matrix == YuvMatrix.Bt709 ? (0.2126, 0.0722) : (0.299, 0.114);
        bool limited = color.Range == YuvRange.Limited;
        int cw = PixelFormats.ChromaWidth(width), ch = PixelFormats.ChromaHeight(height);
        bool vertical = format is PixelFormat.Nv12 or PixelFormat.I420;
        int chromaRows = vertical ? ch : height;
        for (int cy = 0; cy < chromaRows; cy++)
        {
            for (int cx = 0; cx < cw; cx++)
            {
                double sumU = 0, sumV = 0;
                int n = 0;
                for (int dy = 0; dy < (vertical ? 2 : 1); dy++)
                {
                    int y = vertical ? (cy * 2) + dy : cy;
                    for (int dx = 0; dx < 2; dx++)
                    {
                        int x = (cx * 2) + dx;
                        if (x >= width || y >= height)
                        {
                            continue;
                        }

                        int s = ((y * width) + x) * 4;
                        double r = rgba[s] / 255.0, g = rgba[s + 1] / 255.0, b = rgba[s + 2] / 255.0;
                        double luma = (kr * r) + ((1 - kr - kb) * g) + (kb * b);
                        sumU += (b - luma) / (2 * (1 - kb));
                        sumV += (r - luma) / (2 * (1 - kr));
                        n++;
                        byte y8 = ToByte(limited ? 16 + (219 * luma) : 255 * luma);
                        WriteLuma(destination, format, width, cw, x, y, y8);
                    }
                }

                byte u8 = ToByte(limited ? 128 + (224 * sumU / n) : 128 + (255 * sumU / n));
                byte v8 = ToByte(limited ? 128 + (224 * sumV / n) : 128 + (255 * sumV / n));
                WriteChroma(destination, format, width, height, cw, ch, cx, cy, u8, v8);
            }
        }
    }

    private static void WriteLuma(Span<byte> d, PixelFormat format, int width, int cw, int x, int y, byte value)
    {
        switch (format)
        {
            case PixelFormat.Yuyv:
                d[(((y * cw) + (x >> 1)) * 4) + ((x & 1) * 2)] = value;
                break;
            case PixelFormat.Uyvy:
                d[(((y * cw) + (x >> 1)) * 4) + 1 + ((x & 1) * 2)] = value;
                break;
            default:
                d[(y * width) + x] = value;
                break;
        }
    }

    private static void WriteChroma(Span<byte> d, PixelFormat format, int width, int height, int cw, int ch, int cx, int cy, byte u, byte v)
    {
        switch (format)
        {
            case PixelFormat.Yuyv:
                d[(((cy * cw) + cx) * 4) + 1] = u;
                d[(((cy * cw) + cx) * 4) + 3] = v;
                if (((cx * 2) + 1) >= width)
                {
                    // Odd width: the missing second pixel of the pair repeats the first.
                    d[(((cy * cw) + cx) * 4) + 2] = d[((cy * cw) + cx) * 4];
                }

                break;
            case PixelFormat.Uyvy:
                d[((cy * cw) + cx) * 4] = u;
                d[(((cy * cw) + cx) * 4) + 2] = v;
                if (((cx * 2) + 1) >= width)
                {
                    d[(((cy * cw) + cx) * 4) + 3] = d[(((cy * cw) + cx) * 4) + 1];
                }

                break;
            case PixelFormat.Nv12:
                d[(width * height) + (((cy * cw) + cx) * 2)] = u;
                d[(width * height) + (((cy * cw) + cx) * 2) + 1] = v;
                break;
            case PixelFormat.I420:
                d[(width * height) + (cy * cw) + cx] = u;
                d[(width * height) + (cw * ch) + (cy * cw) + cx] = v;
                break;
        }
    }

    private static byte ToByte(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
