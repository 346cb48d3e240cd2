using SkinLive.Frames;

namespace SkinLive.Preprocessing;

/// <summary>
/// Plain C# reference of the GPU path: ROI crop and PIL-exact bilinear antialiased resize in float, colour
/// conversion (nearest chroma sample, the shader's matrix, applied after the horizontal filter exactly where the
/// shader applies it), normalization and tensor layout.
/// Scratch buffers are kept between calls, so repeated frames of one size do not allocate.
/// Not thread-safe: one instance per thread.
/// </summary>
public sealed class CpuPreprocessor
{
    private float[] _rgb = [];
    private float[] _rows = [];

    private byte[] _rgb8 = [];
    private byte[] _resized8 = [];

    public CpuPreprocessor(PreprocessSpec spec, bool pilUint8 = false)
    {
        Spec = spec;
        PilUint8 = pilUint8;
    }

    public PreprocessSpec Spec { get; }

    /// <summary>
    /// RGB frames are resized exactly as PIL does on a uint8 image (<see cref="PilResampler"/>), for bit-level parity
    /// with a torchvision pipeline on still images. YUV frames always take the float path.
    /// </summary>
    public bool PilUint8 { get; }

    /// <summary>Fills <paramref name="tensor"/> (<see cref="PreprocessSpec.ElementCount"/> floats) from the
    /// <paramref name="roi"/> (normalized, clamped to the frame) of <paramref name="frame"/>.</summary>
    public void Process(Frame frame, RectangleF roi, Span<float> tensor) =>
        Process(frame.ReadOnlyData, frame.Format, frame.Width, frame.Height, frame.Color, roi, tensor);

    public void Process(ReadOnlySpan<byte> data, PixelFormat format, int width, int height, ColorSpec color, RectangleF roi, Span<float> tensor)
    {
        if (tensor.Length < Spec.ElementCount)
        {
            throw new ArgumentException($"Tensor has {tensor.Length} elements, the model needs {Spec.ElementCount}.", nameof(tensor));
        }

        if (PilUint8 && !format.IsYuv())
        {
            ProcessPilUint8(data, format, width, height, roi, tensor);
            return;
        }

        int pixels = width * height;
        EnsureSize(ref _rgb, pixels * 3);
        ReadSamples(data, format, width, height, _rgb);

        PixelBox box = PixelBox.From(roi, width, height);
        ResampleKernel horizontal = ResampleKernel.Compute(width, box.X0, box.X1, Spec.Width);
        ResampleKernel vertical = ResampleKernel.Compute(height, box.Y0, box.Y1, Spec.Height);
        int rowFirst = vertical.First[0];
        int rowLast = vertical.First[Spec.Height - 1] + vertical.Count[Spec.Height - 1];
        int outW = Spec.Width;
        EnsureSize(ref _rows, outW * height * 3);

        bool yuv = format.IsYuv();
        float[] matrix = yuv ? YuvToRgb.For(color).Rows : [];

        // Horizontal pass over the source rows the vertical pass will read; YUV is filtered, then converted.
        for (int y = rowFirst; y < rowLast; y++)
        {
            ReadOnlySpan<float> src = _rgb.AsSpan(y * width * 3, width * 3);
            Span<float> dst = _rows.AsSpan(y * outW * 3, outW * 3);
            for (int x = 0; x < outW; x++)
            {
                ReadOnlySpan<float> w = horizontal.Weights.AsSpan(x * horizontal.MaxTaps, horizontal.Count[x]);
                int first = horizontal.First[x];
                float r = 0, g = 0, b = 0;
                for (int t = 0; t < w.Length; t++)
                {
                    int s = (first + t) * 3;
                    r += w[t] * src[s];
                    g += w[t] * src[s + 1];
                    b += w[t] * src[s + 2];
                }

                dst[x * 3] = r;
                dst[(x * 3) + 1] = g;
                dst[(x * 3) + 2] = b;
            }

            if (yuv)
            {
                for (int x = 0; x < outW; x++)
                {
                    Span<float> sample = dst.Slice(x * 3, 3);
                    ApplyMatrix(matrix, sample[0], sample[1], sample[2], sample);
                }
            }
        }

        Span<float> gain = stackalloc float[3];
        Span<float> offset = stackalloc float[3];
        for (int c = 0; c < 3; c++)
        {
            // value = (v * 255 * scale - mean) / std, with v in 0..1.
            gain[c] = 255f * Spec.Scale / Spec.Std[c];
            offset[c] = -Spec.Mean[c] / Spec.Std[c];
        }

        bool bgr = Spec.Order == ChannelOrder.Bgr;
        for (int y = 0; y < Spec.Height; y++)
        {
            ReadOnlySpan<float> w = vertical.Weights.AsSpan(y * vertical.MaxTaps, vertical.Count[y]);
            int first = vertical.First[y];
            for (int x = 0; x < outW; x++)
            {
                float r = 0, g = 0, b = 0;
                for (int t = 0; t < w.Length; t++)
                {
                    int s = (((first + t) * outW) + x) * 3;
                    r += w[t] * _rows[s];
                    g += w[t] * _rows[s + 1];
                    b += w[t] * _rows[s + 2];
                }

                (float c0, float c2) = bgr ? (b, r) : (r, b);
                tensor[Spec.IndexOf(0, y, x)] = (c0 * gain[0]) + offset[0];
                tensor[Spec.IndexOf(1, y, x)] = (g * gain[1]) + offset[1];
                tensor[Spec.IndexOf(2, y, x)] = (c2 * gain[2]) + offset[2];
            }
        }
    }

    private void ProcessPilUint8(ReadOnlySpan<byte> data, PixelFormat format, int width, int height, RectangleF roi, Span<float> tensor)
    {
        int pixels = width * height;
        if (_rgb8.Length < pixels * 3)
        {
            _rgb8 = new byte[pixels * 3];
        }

        for (int p = 0; p < pixels; p++)
        {
            (int r, int g, int b) = format switch
            {
                PixelFormat.Rgba8 => (data[p * 4], data[(p * 4) + 1], data[(p * 4) + 2]),
                PixelFormat.Bgra8 => (data[(p * 4) + 2], data[(p * 4) + 1], data[p * 4]),
                _ => (data[p * 3], data[(p * 3) + 1], data[(p * 3) + 2]),
            };
            _rgb8[p * 3] = (byte)r;
            _rgb8[(p * 3) + 1] = (byte)g;
            _rgb8[(p * 3) + 2] = (byte)b;
        }

        int outPixels = Spec.Width * Spec.Height;
        if (_resized8.Length < outPixels * 3)
        {
            _resized8 = new byte[outPixels * 3];
        }

        PilResampler.ResizeRgb(_rgb8, width, height, PixelBox.From(roi, width, height), Spec.Width, Spec.Height, _resized8);
        bool bgr = Spec.Order == ChannelOrder.Bgr;
        for (int y = 0; y < Spec.Height; y++)
        {
            for (int x = 0; x < Spec.Width; x++)
            {
                int o = ((y * Spec.Width) + x) * 3;
                for (int c = 0; c < 3; c++)
                {
                    int source = bgr ? 2 - c : c;
                    tensor[Spec.IndexOf(c, y, x)] = ((_resized8[o + source] * Spec.Scale) - Spec.Mean[c]) / Spec.Std[c];
                }
            }
        }
    }

    /// <summary>Interleaved RGB in 0..1 for every pixel; YUV uses the chroma sample covering the pixel.</summary>
    public static void ConvertToRgb(ReadOnlySpan<byte> data, PixelFormat format, int width, int height, ColorSpec color, Span<float> rgb)
    {
        ReadSamples(data, format, width, height, rgb);
        if (format.IsYuv())
        {
            float[] m = YuvToRgb.For(color).Rows;
            for (int p = 0; p < width * height; p++)
            {
                Span<float> sample = rgb.Slice(p * 3, 3);
                ApplyMatrix(m, sample[0], sample[1], sample[2], sample);
            }
        }
    }

    /// <summary>Every pixel as three floats in 0..1 in the frame's own colour space: RGB, or Y'CbCr for YUV formats.</summary>
    private static void ReadSamples(ReadOnlySpan<byte> data, PixelFormat format, int width, int height, Span<float> samples)
    {
        int expected = PixelFormats.FrameBytes(format, width, height);
        if (data.Length < expected)
        {
            throw new ArgumentException($"A {width}x{height} {format} frame needs {expected} bytes, got {data.Length}.", nameof(data));
        }

        const float inv = 1f / 255f;
        int cw = PixelFormats.ChromaWidth(width);
        int ch = PixelFormats.ChromaHeight(height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int o = ((y * width) + x) * 3;
                int p = (y * width) + x;
                switch (format)
                {
                    case PixelFormat.Rgba8:
                        samples[o] = data[p * 4] * inv;
                        samples[o + 1] = data[(p * 4) + 1] * inv;
                        samples[o + 2] = data[(p * 4) + 2] * inv;
                        break;
                    case PixelFormat.Bgra8:
                        samples[o] = data[(p * 4) + 2] * inv;
                        samples[o + 1] = data[(p * 4) + 1] * inv;
                        samples[o + 2] = data[p * 4] * inv;
                        break;
                    case PixelFormat.Rgb24:
                        samples[o] = data[p * 3] * inv;
                        samples[o + 1] = data[(p * 3) + 1] * inv;
                        samples[o + 2] = data[(p * 3) + 2] * inv;
                        break;
                    default:
                        (byte yy, byte u, byte v) = SampleYuv(data, format, width, height, cw, ch, x, y);
                        samples[o] = yy * inv;
                        samples[o + 1] = u * inv;
                        samples[o + 2] = v * inv;
                        break;
                }
            }
        }
    }

    private static (byte Y, byte U, byte V) SampleYuv(ReadOnlySpan<byte> data, PixelFormat format, int width, int height, int cw, int ch, int x, int y)
    {
        int cx = x >> 1, cy = y >> 1;
        switch (format)
        {
            case PixelFormat.Yuyv:
                {
                    int q = ((y * cw) + cx) * 4;
                    return (data[q + ((x & 1) * 2)], data[q + 1], data[q + 3]);
                }

            case PixelFormat.Uyvy:
                {
                    int q = ((y * cw) + cx) * 4;
                    return (data[q + 1 + ((x & 1) * 2)], data[q], data[q + 2]);
                }

            case PixelFormat.Nv12:
                {
                    int q = (width * height) + (((cy * cw) + cx) * 2);
                    return (data[(y * width) + x], data[q], data[q + 1]);
                }

            case PixelFormat.I420:
                {
                    int u = (width * height) + (cy * cw) + cx;
                    return (data[(y * width) + x], data[u], data[u + (cw * ch)]);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Not a YUV format.");
        }
    }

    private static void ApplyMatrix(float[] m, float y, float u, float v, Span<float> rgb)
    {
        for (int r = 0; r < 3; r++)
        {
            float value = (m[r * 4] * y) + (m[(r * 4) + 1] * u) + (m[(r * 4) + 2] * v) + m[(r * 4) + 3];
            rgb[r] = Math.Clamp(value, 0f, 1f);
        }
    }

    private static void EnsureSize(ref float[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            buffer = new float[length];
        }
    }
}

/// <summary>A normalized ROI turned into PIL's float pixel box, clamped to the frame and at least one pixel wide.</summary>
public readonly record struct PixelBox(double X0, double Y0, double X1, double Y1)
{
    public static PixelBox From(RectangleF roi, int width, int height)
    {
        double x0 = Math.Clamp(roi.X, 0, 1) * width;
        double y0 = Math.Clamp(roi.Y, 0, 1) * height;
        double x1 = Math.Clamp(roi.Right, 0, 1) * width;
        double y1 = Math.Clamp(roi.Bottom, 0, 1) * height;
        if (x1 - x0 < 1)
        {
            x0 = Math.Min(x0, width - 1);
            x1 = x0 + 1;
        }

        if (y1 - y0 < 1)
        {
            y0 = Math.Min(y0, height - 1);
            y1 = y0 + 1;
        }

        return new PixelBox(x0, y0, x1, y1);
    }
}
