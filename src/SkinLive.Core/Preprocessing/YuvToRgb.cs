using System.Runtime.Intrinsics;
using SkinLive.Frames;

namespace SkinLive.Preprocessing;

/// <summary>
/// The YUV→RGB transform as one 3×4 matrix over (Y, U, V, 1) with every sample in 0..1 (byte / 255), so the CPU
/// reference and the convert shader apply literally the same numbers.
/// </summary>
public readonly struct YuvToRgb
{
    private YuvToRgb(float[] rows) => Rows = rows;

    /// <summary>Row-major 3×4: R, G, B rows, columns Y, U, V, offset.</summary>
    public float[] Rows { get; }

    public static YuvToRgb For(ColorSpec color)
    {
        (double kr, double kb) = color.Matrix == YuvMatrix.Bt709 ? (0.2126, 0.0722) : (0.299, 0.114);
        double kg = 1 - kr - kb;
        bool limited = color.Range == YuvRange.Limited;
        double yScale = limited ? 255.0 / 219.0 : 1.0;
        double yOffset = limited ? -16.0 / 219.0 : 0.0;
        double cScale = limited ? 255.0 / 224.0 : 1.0;
        double cOffset = 128.0 / 255.0;

        // Columns for Cb and Cr after centring: Cb = (u - 128/255) * cScale.
        double rCr = 2 * (1 - kr);
        double gCb = -2 * kb * (1 - kb) / kg;
        double gCr = -2 * kr * (1 - kr) / kg;
        double bCb = 2 * (1 - kb);
        double[] m =
        [
            yScale, 0, rCr * cScale, yOffset - (rCr * cScale * cOffset),
            yScale, gCb * cScale, gCr * cScale, yOffset - (((gCb * cScale) + (gCr * cScale)) * cOffset),
            yScale, bCb * cScale, 0, yOffset - (bCb * cScale * cOffset),
        ];
        return new YuvToRgb(m.Select(v => (float)v).ToArray());
    }

    /// <summary>
    /// Converts planar Y'CbCr samples (0..1) to planar RGB clamped to 0..1 (in place if the spans are the same), eight at a time, with the arithmetic of
    /// <see cref="CpuPreprocessor"/>'s per-sample conversion (same products, same order).
    /// </summary>
    internal void Apply(ReadOnlySpan<float> y, ReadOnlySpan<float> u, ReadOnlySpan<float> v, Span<float> r, Span<float> g, Span<float> b)
    {
        int n = y.Length;
        if (u.Length < n || v.Length < n || r.Length < n || g.Length < n || b.Length < n)
        {
            throw new ArgumentException($"Planes of {n} samples need outputs and chroma of at least that length.");
        }

        float[] m = Rows;
        int x = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; x <= n - Vector256<float>.Count; x += Vector256<float>.Count)
            {
                Vector256<float> yy = Vector256.Create(y.Slice(x));
                Vector256<float> uu = Vector256.Create(u.Slice(x));
                Vector256<float> vv = Vector256.Create(v.Slice(x));
                Row(m, 0, yy, uu, vv).CopyTo(r.Slice(x));
                Row(m, 4, yy, uu, vv).CopyTo(g.Slice(x));
                Row(m, 8, yy, uu, vv).CopyTo(b.Slice(x));
            }
        }

        for (; x < n; x++)
        {
            // Read before writing: the outputs may be the inputs.
            float yy = y[x], uu = u[x], vv = v[x];
            r[x] = Math.Clamp((m[0] * yy) + (m[1] * uu) + (m[2] * vv) + m[3], 0f, 1f);
            g[x] = Math.Clamp((m[4] * yy) + (m[5] * uu) + (m[6] * vv) + m[7], 0f, 1f);
            b[x] = Math.Clamp((m[8] * yy) + (m[9] * uu) + (m[10] * vv) + m[11], 0f, 1f);
        }
    }

    private static Vector256<float> Row(float[] m, int o, Vector256<float> y, Vector256<float> u, Vector256<float> v)
    {
        Vector256<float> value = (Vector256.Create(m[o]) * y) + (Vector256.Create(m[o + 1]) * u) + (Vector256.Create(m[o + 2]) * v) + Vector256.Create(m[o + 3]);
        return Vector256.Min(Vector256.Max(value, Vector256<float>.Zero), Vector256.Create(1f));
    }
}
