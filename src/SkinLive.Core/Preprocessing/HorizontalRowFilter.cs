using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SkinLive.Preprocessing;

/// <summary>
/// PIL's horizontal bilinear pass over one row of one source plane, straight from its bytes: fixed-point taps
/// (14 fraction bits, more for long kernels, whose taps are small; each output's taps sum to exactly 1 and are
/// rounded as running sums, so their errors do not add up), laid out per 16-byte chunk of the row so that one
/// shuffle, one widening and one pmaddwd apply 16 taps. Integer sums are exact, so the AVX2 and the portable path
/// give identical results. Tables are sized once for the plane (the worst crop, the whole row) and refilled in place
/// when the crop moves. Not thread-safe.
/// </summary>
internal sealed class HorizontalRowFilter
{
    /// <summary>Fraction bits of a tap at least: 16384 (one) still fits a signed 16-bit weight.</summary>
    private const int MinWeightBits = 14;

    /// <summary>Fraction bits at most: a lane's sum, at most 255 × one, stays far inside an int.</summary>
    private const int MaxWeightBits = 22;

    private readonly PlaneLayout _layout;
    private readonly bool _useAvx2;
    private readonly int _outWidth;
    private readonly int _maxChunks;
    private readonly short[] _weights;
    private readonly int[] _byteStart;
    private readonly int[] _fixedTaps;

    /// <summary>Folded lane sums of the row being filtered, four per output.</summary>
    private readonly int[] _laneSums;
    private int _chunks;

    /// <summary>Fraction bits of the current taps (<see cref="Configure"/> picks them for the crop).</summary>
    private int _weightBits = MinWeightBits;

    /// <summary>A sum of byte × weight back to 0..1, for <see cref="_weightBits"/>.</summary>
    private float _sumToUnit = 1f / (255f * (1 << MinWeightBits));

    /// <param name="rowPixels">Frame pixels along the row (the luma width, also for chroma planes).</param>
    /// <param name="maxTaps">The most taps an output can have (<see cref="ResampleKernel.TapsFor"/> of the widest crop).</param>
    public HorizontalRowFilter(PlaneLayout layout, int rowPixels, int outWidth, int maxTaps, bool useAvx2)
    {
        _layout = layout;
        _useAvx2 = useAvx2;
        _outWidth = outWidth;
        // A window starts up to Alignment - 1 pixels before its first tap.
        _maxChunks = (maxTaps + layout.Alignment - 1 + layout.ChunkPixels - 1) / layout.ChunkPixels;
        _weights = new short[outWidth * _maxChunks * 16];
        _byteStart = new int[outWidth];
        _fixedTaps = new int[maxTaps];
        _laneSums = new int[outWidth * 4];
        PaddedRowBytes = layout.ByteOffsetOf(rowPixels + layout.Alignment) + (_maxChunks * layout.ChunkBytes) + 16;
    }

    /// <summary>Bytes from a row's start that <see cref="Filter"/> reads with the current taps.</summary>
    public int ReadExtent { get; private set; }

    /// <summary>A buffer this long holds any row with everything the filter may read past its end.</summary>
    public int PaddedRowBytes { get; }

    /// <summary>Turns PIL's coefficients (<paramref name="stride"/> per output) into this plane's chunk tables.</summary>
    public void Configure(ReadOnlySpan<int> first, ReadOnlySpan<int> count, ReadOnlySpan<double> weights, int stride)
    {
        int alignment = _layout.Alignment;
        int chunks = 1;
        for (int x = 0; x < _outWidth; x++)
        {
            int start = first[x] - (first[x] % alignment);
            chunks = Math.Max(chunks, (first[x] + count[x] - start + _layout.ChunkPixels - 1) / _layout.ChunkPixels);
        }

        if (chunks > _maxChunks)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Taps need {chunks} chunks; the plane was sized for {_maxChunks}.");
        }

        _chunks = chunks;
        _weightBits = WeightBitsFor(first, count, weights, stride);
        _sumToUnit = 1f / (255f * (1 << _weightBits));
        int extent = 0;
        for (int x = 0; x < _outWidth; x++)
        {
            int taps = count[x];
            Quantize(weights.Slice(x * stride, taps), _fixedTaps.AsSpan(0, taps), 1 << _weightBits);
            int tapStart = first[x];
            int windowStart = tapStart - (tapStart % alignment);
            _byteStart[x] = _layout.ByteOffsetOf(windowStart);
            extent = Math.Max(extent, _byteStart[x] + ((chunks - 1) * _layout.ChunkBytes) + 16);
            Span<short> table = _weights.AsSpan(x * chunks * 16, chunks * 16);
            for (int k = 0; k < chunks; k++)
            {
                for (int j = 0; j < 16; j++)
                {
                    int pixel = windowStart + (k * _layout.ChunkPixels) + _layout.PositionPixel[j];
                    int sum = 0;
                    for (int p = pixel; p < pixel + _layout.PositionSpan[j]; p++)
                    {
                        int t = p - tapStart;
                        sum += t >= 0 && t < taps ? _fixedTaps[t] : 0;
                    }

                    // Cannot fail (see WeightBitsFor); checked since a wrapped weight would be a silent wrong answer.
                    table[(k * 16) + j] = checked((short)sum);
                }
            }
        }

        ReadExtent = extent;
    }

    /// <summary>
    /// Filters <paramref name="row"/> (at least <see cref="ReadExtent"/> bytes; bytes past the row itself are read
    /// with weight zero) into one span per channel, values in 0..1 of the plane's own samples.
    /// </summary>
    public void Filter(ReadOnlySpan<byte> row, Span<float> channel0, Span<float> channel1, Span<float> channel2)
    {
        if (row.Length < ReadExtent)
        {
            throw new ArgumentException($"The filter reads {ReadExtent} bytes from a row's start; the row has {row.Length}.", nameof(row));
        }

        if (_useAvx2)
        {
            SumLanesAvx2(row);
            CombineLanesAvx2(channel0, channel1, channel2);
        }
        else
        {
            SumLanesScalar(row);
            CombineLanesScalar(0, channel0, channel1, channel2);
        }
    }

    /// <summary>
    /// The most fraction bits that keep every position's weight (the taps of the pixels its sample covers) within a
    /// signed 16-bit weight. Such a weight is one × (those taps' share of the output's total) off by at most one
    /// unit (<see cref="Quantize"/> rounds running sums) and never above one, so 14 bits always fit, and a long
    /// kernel, whose taps are all small, gets more: a 94x downscale 20 or 21 bits, 1080p to 224 16 or 17. Rounding
    /// errors shrink with them; at 14 bits, one output of a 106-pixel kernel over noise (nothing averaged it: a
    /// one-row crop resized to one column) was off by 8e-4 in normalized units, 80 % of the tolerance.
    /// </summary>
    private int WeightBitsFor(ReadOnlySpan<int> first, ReadOnlySpan<int> count, ReadOnlySpan<double> weights, int stride)
    {
        int span = _layout.SampleSpan;
        double heaviest = 0;
        for (int x = 0; x < _outWidth; x++)
        {
            ReadOnlySpan<double> w = weights.Slice(x * stride, count[x]);
            double total = 0;
            foreach (double v in w)
            {
                total += v;
            }

            if (!(total > 0))
            {
                // Quantize gives such an output one tap of one.
                return MinWeightBits;
            }

            for (int t = 0; t < w.Length; t++)
            {
                double covered = 0;
                for (int u = t; u < Math.Min(t + span, w.Length); u++)
                {
                    covered += w[u];
                }

                heaviest = Math.Max(heaviest, covered / total);
            }
        }

        int bits = MinWeightBits;
        while (bits < MaxWeightBits && ((heaviest * (1 << (bits + 1))) + 1) <= short.MaxValue)
        {
            bits++;
        }

        return bits;
    }

    /// <summary>
    /// Rounds the running sum of the taps rather than each tap: tap t is round(one × (w0 + … + wt)) minus the same
    /// for t - 1. The taps then sum to one exactly, each is off by less than one unit, and the rounding errors
    /// cancel between neighbours instead of adding up. Rounding each tap and handing the remainder to one of them
    /// does not do: along a long triangle whose slope is close to a whole number of units per tap, every tap
    /// rounds the same way (e.g. 153 taps each about -0.36, a remainder of 55 units), and that one tap, 55/16384
    /// too heavy, gave a 94x downscale of noise errors up to 1.6e-3 (0..1 units) per output.
    /// </summary>
    private static void Quantize(ReadOnlySpan<double> weights, Span<int> fixedTaps, int one)
    {
        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        if (weights.Length == 0 || !(total > 0))
        {
            // PIL's taps are non-negative and some tap of every output is positive; keep a degenerate set summing to one.
            fixedTaps.Clear();
            if (weights.Length > 0)
            {
                fixedTaps[0] = one;
            }

            return;
        }

        double running = 0;
        int previous = 0;
        for (int t = 0; t < weights.Length; t++)
        {
            running += weights[t];
            // The last running sum is one by construction; the weights sum to 1 only up to double rounding.
            int rounded = t == weights.Length - 1 ? one : (int)Math.Round(running / total * one);
            fixedTaps[t] = rounded - previous;
            previous = rounded;
        }
    }

    private unsafe void SumLanesAvx2(ReadOnlySpan<byte> row)
    {
        int chunks = _chunks;
        int chunkBytes = _layout.ChunkBytes;
        Vector128<byte> shuffle = _layout.Shuffle;
        fixed (byte* source = row)
        fixed (short* weights = _weights)
        fixed (int* sums = _laneSums)
        {
            short* w = weights;
            for (int x = 0; x < _outWidth; x++)
            {
                byte* p = source + _byteStart[x];
                Vector256<int> acc = Vector256<int>.Zero;
                for (int k = 0; k < chunks; k++)
                {
                    Vector128<byte> samples = Ssse3.Shuffle(Sse2.LoadVector128(p), shuffle);
                    acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(samples), Avx.LoadVector256(w)));
                    p += chunkBytes;
                    w += 16;
                }

                Sse2.Store(sums + (x * 4), Sse2.Add(acc.GetLower(), acc.GetUpper()));
            }
        }
    }

    private void SumLanesScalar(ReadOnlySpan<byte> row)
    {
        byte[] shuffle = _layout.ShuffleBytes;
        int chunks = _chunks;
        for (int x = 0; x < _outWidth; x++)
        {
            Span<int> lanes = _laneSums.AsSpan(x * 4, 4);
            lanes.Clear();
            for (int k = 0; k < chunks; k++)
            {
                ReadOnlySpan<byte> chunk = row.Slice(_byteStart[x] + (k * _layout.ChunkBytes), 16);
                ReadOnlySpan<short> w = _weights.AsSpan(((x * chunks) + k) * 16, 16);
                for (int j = 0; j < 16; j++)
                {
                    int sample = shuffle[j] < 16 ? chunk[shuffle[j]] : 0;
                    lanes[(j % 8) / 2] += sample * w[j];
                }
            }
        }
    }

    /// <summary>Eight outputs at a time: a 4×4 transpose per 128-bit half turns four lanes per output into one vector per lane.</summary>
    private unsafe void CombineLanesAvx2(Span<float> channel0, Span<float> channel1, Span<float> channel2)
    {
        // After the per-half transpose, element k holds output 0, 2, 4, 6, 1, 3, 5, 7; this puts them in order.
        Vector256<int> order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        Vector256<float> toUnit = Vector256.Create(_sumToUnit);
        int[] laneChannel = _layout.LaneChannel;
        int x = 0;
        fixed (int* sums = _laneSums)
        {
            for (; x <= _outWidth - 8; x += 8)
            {
                int* s = sums + (x * 4);
                Vector256<int> v0 = Avx.LoadVector256(s), v1 = Avx.LoadVector256(s + 8);
                Vector256<int> v2 = Avx.LoadVector256(s + 16), v3 = Avx.LoadVector256(s + 24);
                Vector256<long> t0 = Avx2.UnpackLow(v0, v1).AsInt64(), t1 = Avx2.UnpackHigh(v0, v1).AsInt64();
                Vector256<long> t2 = Avx2.UnpackLow(v2, v3).AsInt64(), t3 = Avx2.UnpackHigh(v2, v3).AsInt64();
                Vector256<int> lane0 = Avx2.UnpackLow(t0, t2).AsInt32(), lane1 = Avx2.UnpackHigh(t0, t2).AsInt32();
                Vector256<int> lane2 = Avx2.UnpackLow(t1, t3).AsInt32(), lane3 = Avx2.UnpackHigh(t1, t3).AsInt32();
                for (int c = 0; c < _layout.Channels; c++)
                {
                    Vector256<int> sum = Vector256<int>.Zero;
                    sum = laneChannel[0] == c ? sum + lane0 : sum;
                    sum = laneChannel[1] == c ? sum + lane1 : sum;
                    sum = laneChannel[2] == c ? sum + lane2 : sum;
                    sum = laneChannel[3] == c ? sum + lane3 : sum;
                    Vector256<float> value = Avx.ConvertToVector256Single(Avx2.PermuteVar8x32(sum, order)) * toUnit;
                    value.CopyTo(ChannelSpan(c, channel0, channel1, channel2).Slice(x));
                }
            }
        }

        CombineLanesScalar(x, channel0, channel1, channel2);
    }

    private void CombineLanesScalar(int fromOutput, Span<float> channel0, Span<float> channel1, Span<float> channel2)
    {
        int[] laneChannel = _layout.LaneChannel;
        for (int x = fromOutput; x < _outWidth; x++)
        {
            ReadOnlySpan<int> lanes = _laneSums.AsSpan(x * 4, 4);
            for (int c = 0; c < _layout.Channels; c++)
            {
                int sum = 0;
                for (int l = 0; l < 4; l++)
                {
                    sum += laneChannel[l] == c ? lanes[l] : 0;
                }

                ChannelSpan(c, channel0, channel1, channel2)[x] = sum * _sumToUnit;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<float> ChannelSpan(int c, Span<float> channel0, Span<float> channel1, Span<float> channel2) =>
        c == 0 ? channel0 : c == 1 ? channel1 : channel2;
}
