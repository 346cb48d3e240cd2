using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SkinLive.Frames;

namespace SkinLive.Preprocessing;

/// <summary>
/// The CPU preprocessing backend, for machines whose GL is a software rasterizer: the math of
/// <see cref="CpuPreprocessor"/> (its reference; tests hold them within the GPU path's tolerance) done fast.
/// ROI crop and PIL's antialiased bilinear resize are separable: the horizontal pass reads the frame's bytes
/// directly in its own layout (<see cref="HorizontalRowFilter"/>, fixed-point, AVX2) and runs only over the source
/// rows the vertical pass reads, one at a time into a ring as the vertical pass needs them; YUV is converted to
/// RGB after the horizontal pass, where the shader converts it; the vertical pass, normalization and the tensor
/// layout run in float (Vector256) straight into the caller's tensor.
/// Buffers are sized on the first frame of a format and size (for the widest crop), so later frames, whatever
/// their ROI, allocate nothing. Not thread-safe: one instance per thread.
/// </summary>
public sealed class SimdPreprocessor
{
    private readonly bool _useAvx2;
    private readonly float[] _gain = new float[3];
    private readonly float[] _offset = new float[3];

    private PixelFormat _format;
    private int _width;
    private int _height;
    private bool _planned;
    private HorizontalRowFilter _rowFilter = null!;
    private HorizontalRowFilter? _chromaFilter;
    private byte[] _paddedRow = [];

    private int _horizontalStride;
    private int[] _horizontalFirst = [];
    private int[] _horizontalCount = [];
    private double[] _horizontalWeights = [];
    private int _verticalStride;
    private int[] _verticalFirst = [];
    private int[] _verticalCount = [];
    private double[] _verticalExact = [];
    private float[] _verticalWeights = [];
    private int[] _tapOffsets = [];

    private bool _configured;
    private PixelBox _box;
    private bool _hasColor;
    private ColorSpec _color;
    private YuvToRgb _toRgb;

    /// <summary>Horizontally filtered RGB rows, <see cref="_verticalStride"/> of them, source row r in slot r mod that.</summary>
    private float[] _ring = [];

    /// <summary>The current row's filtered Y', Cb, Cr (planar formats keep Cb, Cr of the last chroma row filtered).</summary>
    private float[] _yuvRow = [];
    private int _chromaRow;

    /// <summary>One normalized output row per channel, for the interleaved (NHWC) layout.</summary>
    private float[] _pixelRow = [];

    public SimdPreprocessor(PreprocessSpec spec)
        : this(spec, Avx2.IsSupported)
    {
    }

    /// <param name="useAvx2">False forces the portable horizontal pass (the tests compare both).</param>
    internal SimdPreprocessor(PreprocessSpec spec, bool useAvx2)
    {
        Spec = spec;
        _useAvx2 = useAvx2 && Avx2.IsSupported;
        for (int c = 0; c < 3; c++)
        {
            // value = (v * 255 * scale - mean) / std, with v in 0..1, exactly as the reference computes it.
            _gain[c] = 255f * spec.Scale / spec.Std[c];
            _offset[c] = -spec.Mean[c] / spec.Std[c];
        }
    }

    public PreprocessSpec Spec { get; }

    /// <summary>Fills <paramref name="tensor"/> (<see cref="PreprocessSpec.ElementCount"/> floats, e.g. the
    /// <c>TensorDoubleBuffer</c>'s write slot) from the <paramref name="roi"/> (normalized, clamped to the frame) of
    /// <paramref name="frame"/>.</summary>
    public void Process(Frame frame, RectangleF roi, Span<float> tensor) =>
        Process(frame.ReadOnlyData, frame.Format, frame.Width, frame.Height, frame.Color, roi, tensor);

    public void Process(ReadOnlySpan<byte> data, PixelFormat format, int width, int height, ColorSpec color, RectangleF roi, Span<float> tensor)
    {
        if (tensor.Length < Spec.ElementCount)
        {
            throw new ArgumentException($"Tensor has {tensor.Length} elements, the model needs {Spec.ElementCount}.", nameof(tensor));
        }

        int expected = PixelFormats.FrameBytes(format, width, height);
        if (data.Length < expected)
        {
            throw new ArgumentException($"A {width}x{height} {format} frame needs {expected} bytes, got {data.Length}.", nameof(data));
        }

        if (!_planned || format != _format || width != _width || height != _height)
        {
            Plan(format, width, height);
        }

        PixelBox box = PixelBox.From(roi, width, height);
        // Field by field: the records' generated equality goes through EqualityComparer<T>.Default, whose first use
        // allocates (a frame would allocate whenever no other code in the process had compared those types yet).
        if (!_configured || box.X0 != _box.X0 || box.X1 != _box.X1 || box.Y0 != _box.Y0 || box.Y1 != _box.Y1)
        {
            Configure(box);
        }

        if (format.IsYuv() && (!_hasColor || color.Matrix != _color.Matrix || color.Range != _color.Range))
        {
            _toRgb = YuvToRgb.For(color);
            (_color, _hasColor) = (color, true);
        }

        _chromaRow = -1;
        int next = _verticalFirst[0];
        for (int y = 0; y < Spec.Height; y++)
        {
            int first = _verticalFirst[y], count = _verticalCount[y];
            for (next = Math.Max(next, first); next < first + count; next++)
            {
                FilterRow(data, next);
            }

            ResampleVertically(y, first, count, tensor);
        }
    }

    /// <summary>Sizes every buffer for this frame shape and the widest crop (the whole frame).</summary>
    private void Plan(PixelFormat format, int width, int height)
    {
        int outW = Spec.Width, outH = Spec.Height;
        _horizontalStride = ResampleKernel.TapsFor((double)width / outW);
        _verticalStride = ResampleKernel.TapsFor((double)height / outH);
        _horizontalFirst = new int[outW];
        _horizontalCount = new int[outW];
        _horizontalWeights = new double[outW * _horizontalStride];
        _verticalFirst = new int[outH];
        _verticalCount = new int[outH];
        _verticalExact = new double[outH * _verticalStride];
        _verticalWeights = new float[outH * _verticalStride];
        _tapOffsets = new int[_verticalStride];
        _ring = new float[_verticalStride * 3 * outW];
        _yuvRow = new float[3 * outW];
        _pixelRow = new float[3 * outW];

        (PlaneLayout main, PlaneLayout? chroma) = format switch
        {
            PixelFormat.Rgba8 => (PlaneLayout.Interleaved(4, 0, 1, 2), null),
            PixelFormat.Bgra8 => (PlaneLayout.Interleaved(4, 2, 1, 0), null),
            PixelFormat.Rgb24 => (PlaneLayout.Interleaved(3, 0, 1, 2), null),
            PixelFormat.Yuyv => (PlaneLayout.Packed422(0, 1, 3), null),
            PixelFormat.Uyvy => (PlaneLayout.Packed422(1, 0, 2), null),
            PixelFormat.Nv12 => (PlaneLayout.Luma(), PlaneLayout.ChromaPairs()),
            PixelFormat.I420 => (PlaneLayout.Luma(), (PlaneLayout?)PlaneLayout.Chroma()),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
        };
        _rowFilter = new HorizontalRowFilter(main, width, outW, _horizontalStride, _useAvx2);
        _chromaFilter = chroma is null ? null : new HorizontalRowFilter(chroma, width, outW, _horizontalStride, _useAvx2);
        _paddedRow = new byte[Math.Max(_rowFilter.PaddedRowBytes, _chromaFilter?.PaddedRowBytes ?? 0)];
        (_format, _width, _height, _planned, _configured) = (format, width, height, true, false);
    }

    /// <summary>PIL's taps for this crop, into the planned buffers.</summary>
    private void Configure(PixelBox box)
    {
        ResampleKernel.Fill(_width, box.X0, box.X1, Spec.Width, _horizontalStride, _horizontalFirst, _horizontalCount, _horizontalWeights);
        ResampleKernel.Fill(_height, box.Y0, box.Y1, Spec.Height, _verticalStride, _verticalFirst, _verticalCount, _verticalExact);
        for (int i = 0; i < _verticalExact.Length; i++)
        {
            _verticalWeights[i] = (float)_verticalExact[i];
        }

        _rowFilter.Configure(_horizontalFirst, _horizontalCount, _horizontalWeights, _horizontalStride);
        _chromaFilter?.Configure(_horizontalFirst, _horizontalCount, _horizontalWeights, _horizontalStride);
        _box = box;
        _configured = true;
    }

    /// <summary>Source row <paramref name="y"/>, horizontally filtered and in RGB, into its ring slot.</summary>
    private void FilterRow(ReadOnlySpan<byte> data, int y)
    {
        int outW = Spec.Width;
        Span<float> slot = _ring.AsSpan((y % _verticalStride) * 3 * outW, 3 * outW);
        Span<float> red = slot[..outW], green = slot.Slice(outW, outW), blue = slot.Slice(2 * outW, outW);
        Span<float> luma = _yuvRow.AsSpan(0, outW), cb = _yuvRow.AsSpan(outW, outW), cr = _yuvRow.AsSpan(2 * outW, outW);
        int width = _width, chromaWidth = PixelFormats.ChromaWidth(width);
        switch (_format)
        {
            case PixelFormat.Rgba8 or PixelFormat.Bgra8:
                _rowFilter.Filter(Row(data, y * width * 4, width * 4, _rowFilter), red, green, blue);
                return;
            case PixelFormat.Rgb24:
                _rowFilter.Filter(Row(data, y * width * 3, width * 3, _rowFilter), red, green, blue);
                return;
            case PixelFormat.Yuyv or PixelFormat.Uyvy:
                _rowFilter.Filter(Row(data, y * chromaWidth * 4, chromaWidth * 4, _rowFilter), luma, cb, cr);
                break;
            default:
                {
                    _rowFilter.Filter(Row(data, y * width, width, _rowFilter), luma, [], []);
                    HorizontalRowFilter chroma = _chromaFilter!;
                    int chromaRow = y >> 1;
                    int planes = width * _height;
                    if (chromaRow != _chromaRow && _format == PixelFormat.Nv12)
                    {
                        chroma.Filter(Row(data, planes + (chromaRow * chromaWidth * 2), chromaWidth * 2, chroma), cb, cr, []);
                    }
                    else if (chromaRow != _chromaRow)
                    {
                        int planeBytes = chromaWidth * PixelFormats.ChromaHeight(_height);
                        chroma.Filter(Row(data, planes + (chromaRow * chromaWidth), chromaWidth, chroma), cb, [], []);
                        chroma.Filter(Row(data, planes + planeBytes + (chromaRow * chromaWidth), chromaWidth, chroma), cr, [], []);
                    }

                    // Both rows of a chroma row pair share its filtered chroma.
                    _chromaRow = chromaRow;
                    break;
                }
        }

        _toRgb.Apply(luma, cb, cr, red, green, blue);
    }

    /// <summary>The row at <paramref name="offset"/>, or a copy of it in a padded buffer when the filter's reads past
    /// its end (weighted zero) would run past the frame.</summary>
    private ReadOnlySpan<byte> Row(ReadOnlySpan<byte> data, int offset, int rowBytes, HorizontalRowFilter filter)
    {
        if (offset + filter.ReadExtent <= data.Length)
        {
            return data[offset..];
        }

        data.Slice(offset, rowBytes).CopyTo(_paddedRow);
        return _paddedRow;
    }

    /// <summary>Output row <paramref name="y"/>: PIL's vertical taps over the ring, then normalization into the tensor.</summary>
    private void ResampleVertically(int y, int first, int count, Span<float> tensor)
    {
        int outW = Spec.Width;
        ReadOnlySpan<float> weights = _verticalWeights.AsSpan(y * _verticalStride, count);
        for (int t = 0; t < count; t++)
        {
            _tapOffsets[t] = ((first + t) % _verticalStride) * 3 * outW;
        }

        bool bgr = Spec.Order == ChannelOrder.Bgr;
        bool nchw = Spec.Layout == TensorLayout.Nchw;
        ref float ring = ref MemoryMarshal.GetArrayDataReference(_ring);
        for (int source = 0; source < 3; source++)
        {
            int channel = bgr ? 2 - source : source;
            float gain = _gain[channel], offset = _offset[channel];
            Span<float> destination = nchw
                ? tensor.Slice(((channel * Spec.Height) + y) * outW, outW)
                : _pixelRow.AsSpan(channel * outW, outW);
            int plane = source * outW;
            int x = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; x <= outW - Vector256<float>.Count; x += Vector256<float>.Count)
                {
                    Vector256<float> sum = Vector256<float>.Zero;
                    for (int t = 0; t < count; t++)
                    {
                        sum += Vector256.Create(weights[t]) * Vector256.LoadUnsafe(ref ring, (nuint)(_tapOffsets[t] + plane + x));
                    }

                    ((sum * Vector256.Create(gain)) + Vector256.Create(offset)).CopyTo(destination.Slice(x));
                }
            }

            for (; x < outW; x++)
            {
                float sum = 0;
                for (int t = 0; t < count; t++)
                {
                    sum += weights[t] * Unsafe.Add(ref ring, _tapOffsets[t] + plane + x);
                }

                destination[x] = (sum * gain) + offset;
            }
        }

        if (!nchw)
        {
            Span<float> pixels = tensor.Slice(y * outW * 3, outW * 3);
            for (int x = 0; x < outW; x++)
            {
                pixels[x * 3] = _pixelRow[x];
                pixels[(x * 3) + 1] = _pixelRow[outW + x];
                pixels[(x * 3) + 2] = _pixelRow[(2 * outW) + x];
            }
        }
    }
}
