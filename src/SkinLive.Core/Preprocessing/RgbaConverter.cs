using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SkinLive.Frames;

namespace SkinLive.Preprocessing;

/// <summary>
/// Converts a camera frame to RGBA8 on the CPU, so a software renderer can present it with a plain texture fetch
/// instead of converting every shown pixel in the present shader. The result is what shaders/present.frag.glsl
/// draws for a frame of its own size: the <see cref="YuvToRgb"/> matrix of the frame's <see cref="ColorSpec"/>,
/// the chroma sample covering the pixel (nearest, no interpolation), clamped and rounded to 8 bits, alpha 255.
/// YUV is converted in 13-bit fixed point (pmaddwd on 16 pixels at a time with AVX2; the scalar path does the
/// same integer arithmetic, so both give identical bytes), within ±1 of the shader's float result.
/// Allocates nothing per call; thread-safe (no state).
/// </summary>
public static unsafe class RgbaConverter
{
    /// <summary>Fraction bits of the fixed-point coefficients.</summary>
    private const int Shift = 13;

    /// <summary>The offset is multiplied by this constant (paired with V in one pmaddwd), so it fits in 16 bits.</summary>
    private const int OffsetUnit = 128;

    private static readonly Coefficients[] Table = BuildTable();

    // pshufb controls, the same in both 128-bit lanes. Each builds 16 zero-extended 16-bit samples, one per pixel.
    private static readonly Vector256<byte> YuyvLuma = Control(j => 2 * j);
    private static readonly Vector256<byte> YuyvCb = Control(j => (4 * (j >> 1)) + 1);
    private static readonly Vector256<byte> YuyvCr = Control(j => (4 * (j >> 1)) + 3);
    private static readonly Vector256<byte> UyvyLuma = Control(j => (2 * j) + 1);
    private static readonly Vector256<byte> UyvyCb = Control(j => 4 * (j >> 1));
    private static readonly Vector256<byte> UyvyCr = Control(j => (4 * (j >> 1)) + 2);

    // On NV12 chroma already widened to 16 bits (Cb, Cr, Cb, Cr, ...): duplicate each pair's Cb (Cr) to both pixels.
    private static readonly Vector256<byte> PairCb = Control16(j => 2 * (j >> 1));
    private static readonly Vector256<byte> PairCr = Control16(j => (2 * (j >> 1)) + 1);

    private static readonly Vector256<byte> BgraToRgba = Vector256.Create((byte)2, 1, 0, 3, 6, 5, 4, 7, 10, 9, 8, 11, 14, 13, 12, 15, 2, 1, 0, 3, 6, 5, 4, 7, 10, 9, 8, 11, 14, 13, 12, 15);
    private static readonly Vector256<byte> RgbToRgba = Vector256.Create((byte)0, 1, 2, 0x80, 3, 4, 5, 0x80, 6, 7, 8, 0x80, 9, 10, 11, 0x80, 0, 1, 2, 0x80, 3, 4, 5, 0x80, 6, 7, 8, 0x80, 9, 10, 11, 0x80);

    /// <summary>
    /// Converts <paramref name="source"/> (any <see cref="PixelFormat"/>) into <paramref name="destination"/>, an
    /// <see cref="PixelFormat.Rgba8"/> frame of the same size. The destination's colour spec is left as it is (RGB
    /// ignores it). In place only for an Rgba8 source (it sets alpha).
    /// </summary>
    public static void ToRgba(Frame source, Frame destination) => ToRgba(source, destination, Avx2.IsSupported);

    /// <summary>Whether this CPU runs the vector path (~0.2 ms per 720p frame); the scalar one takes ~11 ms, slower than a shader.</summary>
    public static bool IsAccelerated => Avx2.IsSupported;

    /// <param name="useAvx2">False forces the scalar path (the tests compare both).</param>
    internal static void ToRgba(Frame source, Frame destination, bool useAvx2)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Format != PixelFormat.Rgba8)
        {
            throw new ArgumentException($"The destination must be an Rgba8 frame, not {destination.Format}.", nameof(destination));
        }

        if (destination.Width != source.Width || destination.Height != source.Height)
        {
            throw new ArgumentException($"The destination is {destination.Width}x{destination.Height}, the source {source.Width}x{source.Height}.", nameof(destination));
        }

        if (ReferenceEquals(source, destination) && source.Format != PixelFormat.Rgba8)
        {
            throw new ArgumentException("Only an Rgba8 frame converts in place.", nameof(destination));
        }

        useAvx2 &= Avx2.IsSupported;
        int width = source.Width, height = source.Height;
        fixed (byte* s = source.ReadOnlyData)
        fixed (byte* d = destination.Data)
        {
            switch (source.Format)
            {
                case PixelFormat.Rgba8:
                    Interleaved(s, d, width * height, 4, 0, 2, useAvx2);
                    break;
                case PixelFormat.Bgra8:
                    Interleaved(s, d, width * height, 4, 2, 0, useAvx2);
                    break;
                case PixelFormat.Rgb24:
                    Interleaved(s, d, width * height, 3, 0, 2, useAvx2);
                    break;
                case PixelFormat.Yuyv:
                case PixelFormat.Uyvy:
                    Packed(s, d, width, height, source.Format == PixelFormat.Uyvy, CoefficientsOf(source.Color), useAvx2);
                    break;
                case PixelFormat.Nv12:
                case PixelFormat.I420:
                    Planar(s, d, width, height, source.Format == PixelFormat.Nv12, CoefficientsOf(source.Color), useAvx2);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(source), source.Format, "Unknown pixel format.");
            }
        }
    }

    private static void Interleaved(byte* s, byte* d, int pixels, int bytesPerPixel, int red, int blue, bool useAvx2)
    {
        int i = 0;
        if (useAvx2)
        {
            Vector256<byte> alpha = Vector256.Create(0xFF000000u).AsByte();
            if (bytesPerPixel == 4)
            {
                bool swap = red != 0;
                for (; i <= pixels - 8; i += 8)
                {
                    Vector256<byte> q = Avx.LoadVector256(s + (4 * i));
                    if (swap)
                    {
                        q = Avx2.Shuffle(q, BgraToRgba);
                    }

                    Avx.Store(d + (4 * i), q | alpha);
                }
            }
            else
            {
                // 8 pixels from two 16-byte loads 12 bytes apart; the second reads 28 bytes from 3i.
                for (; i <= pixels - 10; i += 8)
                {
                    Vector256<byte> q = Vector256.Create(Sse2.LoadVector128(s + (3 * i)), Sse2.LoadVector128(s + (3 * i) + 12));
                    Avx.Store(d + (4 * i), Avx2.Shuffle(q, RgbToRgba) | alpha);
                }
            }
        }

        for (; i < pixels; i++)
        {
            byte* p = s + (i * bytesPerPixel);
            byte r = p[red], g = p[1], b = p[blue];
            byte* o = d + (4 * i);
            o[0] = r;
            o[1] = g;
            o[2] = b;
            o[3] = 255;
        }
    }

    private static void Packed(byte* s, byte* d, int width, int height, bool uyvy, Coefficients c, bool useAvx2)
    {
        (int luma, int cb, int cr) = uyvy ? (1, 0, 2) : (0, 1, 3);
        if (width % 2 == 0)
        {
            // Rows are contiguous and no pair straddles two rows: one long row.
            PackedRow(s, d, width * height, uyvy, luma, cb, cr, c, useAvx2);
            return;
        }

        int stride = 4 * PixelFormats.ChromaWidth(width);
        for (int y = 0; y < height; y++)
        {
            PackedRow(s + ((long)y * stride), d + (4L * y * width), width, uyvy, luma, cb, cr, c, useAvx2);
        }
    }

    private static void PackedRow(byte* s, byte* d, int pixels, bool uyvy, int luma, int cb, int cr, Coefficients c, bool useAvx2)
    {
        int x = 0;
        if (useAvx2)
        {
            var k = new Avx2Coefficients(c);
            Vector256<byte> shuffleY = uyvy ? UyvyLuma : YuyvLuma, shuffleU = uyvy ? UyvyCb : YuyvCb, shuffleV = uyvy ? UyvyCr : YuyvCr;
            for (; x <= pixels - 16; x += 16)
            {
                Vector256<byte> q = Avx.LoadVector256(s + (2 * x));
                Store16(Avx2.Shuffle(q, shuffleY).AsInt16(), Avx2.Shuffle(q, shuffleU).AsInt16(), Avx2.Shuffle(q, shuffleV).AsInt16(), d + (4 * x), k);
            }
        }

        for (; x < pixels; x++)
        {
            byte* q = s + (4 * (x >> 1));
            StorePixel(q[luma + (2 * (x & 1))], q[cb], q[cr], d + (4 * x), c);
        }
    }

    private static void Planar(byte* s, byte* d, int width, int height, bool nv12, Coefficients c, bool useAvx2)
    {
        int cw = PixelFormats.ChromaWidth(width), ch = PixelFormats.ChromaHeight(height);
        byte* chroma = s + ((long)width * height);
        for (int y = 0; y < height; y++)
        {
            byte* yRow = s + ((long)y * width);
            byte* dRow = d + (4L * y * width);
            int x = 0;
            byte* uRow, vRow;
            int step;
            if (nv12)
            {
                uRow = chroma + ((long)(y >> 1) * cw * 2);
                vRow = uRow + 1;
                step = 2;
            }
            else
            {
                uRow = chroma + ((long)(y >> 1) * cw);
                vRow = uRow + ((long)cw * ch);
                step = 1;
            }

            if (useAvx2)
            {
                var k = new Avx2Coefficients(c);
                if (nv12)
                {
                    for (; x <= width - 16; x += 16)
                    {
                        Vector256<short> yy = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(yRow + x));
                        Vector256<byte> uv = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(uRow + x)).AsByte();
                        Store16(yy, Avx2.Shuffle(uv, PairCb).AsInt16(), Avx2.Shuffle(uv, PairCr).AsInt16(), dRow + (4 * x), k);
                    }
                }
                else
                {
                    for (; x <= width - 16; x += 16)
                    {
                        Vector256<short> yy = Avx2.ConvertToVector256Int16(Sse2.LoadVector128(yRow + x));
                        Vector128<byte> u = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(uRow + (x >> 1))).AsByte();
                        Vector128<byte> v = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(vRow + (x >> 1))).AsByte();
                        Store16(yy, Avx2.ConvertToVector256Int16(Sse2.UnpackLow(u, u)), Avx2.ConvertToVector256Int16(Sse2.UnpackLow(v, v)), dRow + (4 * x), k);
                    }
                }
            }

            for (; x < width; x++)
            {
                int o = (x >> 1) * step;
                StorePixel(yRow[x], uRow[o], vRow[o], dRow + (4 * x), c);
            }
        }
    }

    /// <summary>Converts 16 pixels (samples zero-extended to 16 bits, pixel order) and stores them as 64 bytes of RGBA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store16(Vector256<short> y, Vector256<short> u, Vector256<short> v, byte* d, in Avx2Coefficients k)
    {
        // In-lane unpacks: low halves hold pixels 0..3 | 8..11, high halves 4..7 | 12..15; the saturating pack
        // afterwards puts them back in pixel order.
        Vector256<short> unit = Vector256.Create((short)OffsetUnit);
        Vector256<short> yuLo = Avx2.UnpackLow(y, u), yuHi = Avx2.UnpackHigh(y, u);
        Vector256<short> vkLo = Avx2.UnpackLow(v, unit), vkHi = Avx2.UnpackHigh(v, unit);
        Vector256<short> r = Channel(yuLo, yuHi, vkLo, vkHi, k.RedYu, k.RedVk);
        Vector256<short> g = Channel(yuLo, yuHi, vkLo, vkHi, k.GreenYu, k.GreenVk);
        Vector256<short> b = Channel(yuLo, yuHi, vkLo, vkHi, k.BlueYu, k.BlueVk);
        Vector256<short> rg = r | Avx2.ShiftLeftLogical(g, 8);
        Vector256<short> ba = b | Vector256.Create(unchecked((short)0xFF00));
        Vector256<short> lo = Avx2.UnpackLow(rg, ba), hi = Avx2.UnpackHigh(rg, ba);
        Avx.Store(d, Avx2.Permute2x128(lo, hi, 0x20).AsByte());
        Avx.Store(d + 32, Avx2.Permute2x128(lo, hi, 0x31).AsByte());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Channel(Vector256<short> yuLo, Vector256<short> yuHi, Vector256<short> vkLo, Vector256<short> vkHi, Vector256<short> cYu, Vector256<short> cVk)
    {
        Vector256<int> lo = Avx2.ShiftRightArithmetic(Avx2.MultiplyAddAdjacent(yuLo, cYu) + Avx2.MultiplyAddAdjacent(vkLo, cVk), Shift);
        Vector256<int> hi = Avx2.ShiftRightArithmetic(Avx2.MultiplyAddAdjacent(yuHi, cYu) + Avx2.MultiplyAddAdjacent(vkHi, cVk), Shift);
        return Avx2.Min(Avx2.Max(Avx2.PackSignedSaturate(lo, hi), Vector256<short>.Zero), Vector256.Create((short)255));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePixel(int y, int u, int v, byte* o, in Coefficients c)
    {
        o[0] = Clamp(((c.RedY * y) + (c.RedU * u) + (c.RedV * v) + (c.RedOffset * OffsetUnit)) >> Shift);
        o[1] = Clamp(((c.GreenY * y) + (c.GreenU * u) + (c.GreenV * v) + (c.GreenOffset * OffsetUnit)) >> Shift);
        o[2] = Clamp(((c.BlueY * y) + (c.BlueU * u) + (c.BlueV * v) + (c.BlueOffset * OffsetUnit)) >> Shift);
        o[3] = 255;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);

    private static Coefficients CoefficientsOf(ColorSpec color)
    {
        int index = ((int)color.Matrix * 2) + (int)color.Range;
        if ((uint)index >= (uint)Table.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(color), color, "Unknown colour spec.");
        }

        return Table[index];
    }

    private static Coefficients[] BuildTable()
    {
        var table = new Coefficients[4];
        foreach (YuvMatrix matrix in new[] { YuvMatrix.Bt601, YuvMatrix.Bt709 })
        {
            foreach (YuvRange range in new[] { YuvRange.Limited, YuvRange.Full })
            {
                table[((int)matrix * 2) + (int)range] = Coefficients.From(YuvToRgb.For(new ColorSpec(matrix, range)));
            }
        }

        return table;
    }

    private static Vector256<byte> Control(Func<int, int> lowByteOf16BitLane)
    {
        var control = new byte[32];
        for (int j = 0; j < 16; j++)
        {
            control[2 * j] = (byte)lowByteOf16BitLane(j % 8);
            control[(2 * j) + 1] = 0x80;
        }

        return Vector256.Create(control);
    }

    private static Vector256<byte> Control16(Func<int, int> sourceLaneOf)
    {
        var control = new byte[32];
        for (int j = 0; j < 16; j++)
        {
            int lane = sourceLaneOf(j % 8);
            control[2 * j] = (byte)(2 * lane);
            control[(2 * j) + 1] = (byte)((2 * lane) + 1);
        }

        return Vector256.Create(control);
    }

    /// <summary>
    /// One colour spec in fixed point over byte samples: channel = (cY·Y + cU·U + cV·V + offset·128) &gt;&gt; 13,
    /// the shader's matrix times 255 (the rounding half is folded into the offset).
    /// </summary>
    private readonly record struct Coefficients(
        int RedY, int RedU, int RedV, int RedOffset,
        int GreenY, int GreenU, int GreenV, int GreenOffset,
        int BlueY, int BlueU, int BlueV, int BlueOffset)
    {
        public static Coefficients From(YuvToRgb matrix)
        {
            float[] m = matrix.Rows;
            int[] q = new int[12];
            for (int row = 0; row < 3; row++)
            {
                for (int col = 0; col < 3; col++)
                {
                    q[(row * 4) + col] = checked((short)Math.Round(m[(row * 4) + col] * (1 << Shift)));
                }

                // The float offset is in 0..1 units: times 255 for byte samples, plus one half for rounding.
                double offset = ((255.0 * m[(row * 4) + 3]) + 0.5) * (1 << Shift) / OffsetUnit;
                q[(row * 4) + 3] = checked((short)Math.Round(offset));
            }

            return new Coefficients(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8], q[9], q[10], q[11]);
        }
    }

    /// <summary>The coefficients as pmaddwd operands: (cY, cU) against (Y, U) pairs, (cV, offset) against (V, 128).</summary>
    private readonly struct Avx2Coefficients(Coefficients c)
    {
        public readonly Vector256<short> RedYu = Pair(c.RedY, c.RedU);
        public readonly Vector256<short> RedVk = Pair(c.RedV, c.RedOffset);
        public readonly Vector256<short> GreenYu = Pair(c.GreenY, c.GreenU);
        public readonly Vector256<short> GreenVk = Pair(c.GreenV, c.GreenOffset);
        public readonly Vector256<short> BlueYu = Pair(c.BlueY, c.BlueU);
        public readonly Vector256<short> BlueVk = Pair(c.BlueV, c.BlueOffset);

        private static Vector256<short> Pair(int first, int second) => Vector256.Create((int)(ushort)first | (second << 16)).AsInt16();
    }
}
