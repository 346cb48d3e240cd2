using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SkinLive.Frames;
using SkinLive.Localization;

namespace SkinLive.Preprocessing;

/// <summary>
/// The CPU twin of shaders/localization_map.frag.glsl, for the CPU backend: the whole frame at low resolution, each
/// cell the mean of a 4×4 grid of samples (positions computed in float as the shader does), laid out as the GPU map
/// is read back, four floats per cell: lesion contrast (green absorption plus half the blue-over-green shift,
/// clamped), BT.601 luma, ln(R/G) and ln(B/G) of the cell's mean colour (+0.01). Row 0 = top of the frame. The
/// output feeds <see cref="LesionLocalizer.Locate(ReadOnlySpan{float}, int, long)"/> with 4 channels.
/// Contrast and luma are linear in the clamped sample colours, so only each cell's colour sum is accumulated,
/// eight cells at a time. Buffers are sized on the first frame of a format and size. Not thread-safe.
/// </summary>
public sealed class LocalizationMapBuilder
{
    public const int Channels = 4;

    private const float Inv255 = 1f / 255f;

    private readonly float[] _sums;
    private readonly float[] _samples;
    private PixelFormat _format;
    private int _frameWidth;
    private int _frameHeight;
    private bool _planned;

    /// <summary>Frame column of each cell's four sample columns, per channel its byte offset within the channel's row.</summary>
    private int[] _columnOffsets = [];

    /// <summary>Frame row of each cell's four sample rows.</summary>
    private int[] _rows = [];
    private bool _hasColor;
    private ColorSpec _color;
    private YuvToRgb _toRgb;

    public LocalizationMapBuilder(int width = LesionLocalizer.DefaultMapWidth, int height = LesionLocalizer.DefaultMapHeight)
    {
        if (width < 1 || height < 1 || width > 1024 || height > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Localization map size {width}x{height} is outside 1..1024.");
        }

        Width = width;
        Height = height;
        _sums = new float[3 * width];
        _samples = new float[3 * width];
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Floats of one map: <see cref="Width"/> × <see cref="Height"/> × <see cref="Channels"/>.</summary>
    public int ElementCount => Width * Height * Channels;

    public void Build(Frame frame, Span<float> map) =>
        Build(frame.ReadOnlyData, frame.Format, frame.Width, frame.Height, frame.Color, map);

    public void Build(ReadOnlySpan<byte> data, PixelFormat format, int width, int height, ColorSpec color, Span<float> map)
    {
        if (map.Length < ElementCount)
        {
            throw new ArgumentException($"A {Width}x{Height} map needs {ElementCount} floats, got {map.Length}.", nameof(map));
        }

        int expected = PixelFormats.FrameBytes(format, width, height);
        if (data.Length < expected)
        {
            throw new ArgumentException($"A {width}x{height} {format} frame needs {expected} bytes, got {data.Length}.", nameof(data));
        }

        if (!_planned || format != _format || width != _frameWidth || height != _frameHeight)
        {
            Plan(format, width, height);
        }

        bool yuv = format.IsYuv();
        // Field by field: ColorSpec's generated equality allocates EqualityComparer<T>.Default on first use.
        if (yuv && (!_hasColor || color.Matrix != _color.Matrix || color.Range != _color.Range))
        {
            _toRgb = YuvToRgb.For(color);
            (_color, _hasColor) = (color, true);
        }

        int w = Width;
        Span<float> red = _sums.AsSpan(0, w), green = _sums.AsSpan(w, w), blue = _sums.AsSpan(2 * w, w);
        Span<float> s0 = _samples.AsSpan(0, w), s1 = _samples.AsSpan(w, w), s2 = _samples.AsSpan(2 * w, w);
        for (int my = 0; my < Height; my++)
        {
            _sums.AsSpan().Clear();
            for (int j = 0; j < 4; j++)
            {
                (int base0, int base1, int base2) = RowStarts(_rows[(my * 4) + j]);
                for (int i = 0; i < 4; i++)
                {
                    Gather(data, base0, 0, i, s0);
                    Gather(data, base1, 1, i, s1);
                    Gather(data, base2, 2, i, s2);
                    if (yuv)
                    {
                        _toRgb.Apply(s0, s1, s2, s0, s1, s2);
                    }

                    Accumulate(s0, red);
                    Accumulate(s1, green);
                    Accumulate(s2, blue);
                }
            }

            Span<float> cells = map.Slice(my * w * Channels, w * Channels);
            for (int mx = 0; mx < w; mx++)
            {
                // The shader's sums: per-sample contrast and luma are linear in the colour, so they follow from the mean.
                float r = red[mx] * (1f / 16f), g = green[mx] * (1f / 16f), b = blue[mx] * (1f / 16f);
                cells[mx * 4] = Math.Clamp(1f - g + (0.5f * (b - g)), 0f, 1f);
                cells[(mx * 4) + 1] = (r * 0.299f) + (g * 0.587f) + (b * 0.114f);
                // The offset keeps near-black cells finite; their colour is ignored anyway (too dark to trust).
                cells[(mx * 4) + 2] = MathF.Log((r + 0.01f) / (g + 0.01f));
                cells[(mx * 4) + 3] = MathF.Log((b + 0.01f) / (g + 0.01f));
            }
        }
    }

    /// <summary>Sample positions exactly as the shader computes them in float, and each channel's byte offset.</summary>
    private void Plan(PixelFormat format, int width, int height)
    {
        _columnOffsets = new int[3 * 4 * Width];
        _rows = new int[4 * Height];
        float cellX = (float)width / Width, cellY = (float)height / Height;
        for (int m = 0; m < Width; m++)
        {
            for (int i = 0; i < 4; i++)
            {
                int x = Math.Clamp((int)((m * cellX) + ((i + 0.5f) * cellX * 0.25f)), 0, width - 1);
                (int c0, int c1, int c2) = format switch
                {
                    PixelFormat.Rgba8 => (4 * x, (4 * x) + 1, (4 * x) + 2),
                    PixelFormat.Bgra8 => ((4 * x) + 2, (4 * x) + 1, 4 * x),
                    PixelFormat.Rgb24 => (3 * x, (3 * x) + 1, (3 * x) + 2),
                    PixelFormat.Yuyv => ((4 * (x >> 1)) + (2 * (x & 1)), (4 * (x >> 1)) + 1, (4 * (x >> 1)) + 3),
                    PixelFormat.Uyvy => ((4 * (x >> 1)) + 1 + (2 * (x & 1)), 4 * (x >> 1), (4 * (x >> 1)) + 2),
                    PixelFormat.Nv12 => (x, 2 * (x >> 1), (2 * (x >> 1)) + 1),
                    PixelFormat.I420 => (x, x >> 1, x >> 1),
                    _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
                };
                int k = (i * Width) + m;
                _columnOffsets[k] = c0;
                _columnOffsets[(4 * Width) + k] = c1;
                _columnOffsets[(8 * Width) + k] = c2;
            }
        }

        for (int m = 0; m < Height; m++)
        {
            for (int j = 0; j < 4; j++)
            {
                _rows[(m * 4) + j] = Math.Clamp((int)((m * cellY) + ((j + 0.5f) * cellY * 0.25f)), 0, height - 1);
            }
        }

        (_format, _frameWidth, _frameHeight, _planned) = (format, width, height, true);
    }

    /// <summary>Where frame row <paramref name="y"/> of each channel starts.</summary>
    private (int Channel0, int Channel1, int Channel2) RowStarts(int y)
    {
        int width = _frameWidth, chromaWidth = PixelFormats.ChromaWidth(width);
        int planes = width * _frameHeight;
        switch (_format)
        {
            case PixelFormat.Rgba8 or PixelFormat.Bgra8:
                return (y * width * 4, y * width * 4, y * width * 4);
            case PixelFormat.Rgb24:
                return (y * width * 3, y * width * 3, y * width * 3);
            case PixelFormat.Yuyv or PixelFormat.Uyvy:
                return (y * chromaWidth * 4, y * chromaWidth * 4, y * chromaWidth * 4);
            case PixelFormat.Nv12:
                return (y * width, planes + ((y >> 1) * chromaWidth * 2), planes + ((y >> 1) * chromaWidth * 2));
            default:
                int chroma = planes + ((y >> 1) * chromaWidth);
                return (y * width, chroma, chroma + (chromaWidth * PixelFormats.ChromaHeight(_frameHeight)));
        }
    }

    private void Gather(ReadOnlySpan<byte> data, int rowStart, int channel, int column, Span<float> samples)
    {
        ReadOnlySpan<int> offsets = _columnOffsets.AsSpan(((channel * 4) + column) * Width, Width);
        ReadOnlySpan<byte> row = data[rowStart..];
        for (int m = 0; m < samples.Length; m++)
        {
            samples[m] = row[offsets[m]] * Inv255;
        }
    }

    private static void Accumulate(ReadOnlySpan<float> samples, Span<float> sums)
    {
        int x = 0;
        ref float source = ref MemoryMarshal.GetReference(samples);
        ref float target = ref MemoryMarshal.GetReference(sums);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; x <= samples.Length - Vector256<float>.Count; x += Vector256<float>.Count)
            {
                (Vector256.LoadUnsafe(ref target, (nuint)x) + Vector256.LoadUnsafe(ref source, (nuint)x)).StoreUnsafe(ref target, (nuint)x);
            }
        }

        for (; x < samples.Length; x++)
        {
            sums[x] += samples[x];
        }
    }
}
