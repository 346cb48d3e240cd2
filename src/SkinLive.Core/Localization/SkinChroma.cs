namespace SkinLive.Localization;

/// <summary>
/// The skin's colour in the view as log-chromaticity (ln R/G, ln B/G): a robust centre (median) and spread (median
/// absolute deviation) per axis, and each pixel's distance from it in those deviations. Chromaticity ignores
/// multiplicative shading (vignetting, mottle, creases), which is most of skin's variation, so a pink lesion on
/// tanned skin that barely differs in darkness stands out by many deviations. Medians hold while the lesion covers
/// less than half the skin, even before it has been found. Buffers are allocated once.
/// </summary>
internal sealed class SkinChroma
{
    // Histogram of each chromaticity over ±Range with this many bins (0.004 per bin) for the medians.
    private const float Range = 2f;
    private const int Bins = 1000;

    // The median absolute deviation of a normal distribution times this is its standard deviation.
    private const float MadToSigma = 1.4826f;

    private readonly int[] _histogramU = new int[Bins];
    private readonly int[] _histogramV = new int[Bins];
    private float _centreU, _centreV;
    private float _inverseSigmaU, _inverseSigmaV;

    /// <summary>Whether enough skin was seen to judge colour (false: <see cref="Distance"/> is 0 everywhere).</summary>
    public bool Valid { get; private set; }

    /// <param name="u">ln(R/G) per map pixel.</param>
    /// <param name="v">ln(B/G) per map pixel.</param>
    /// <param name="usable">Per pixel: in view and bright enough for its colour to mean something.</param>
    /// <param name="width">Map width.</param>
    /// <param name="exclude">Where the lesion was last seen: left out of the skin.</param>
    /// <param name="minSigmaU">Floor of the ln(R/G) deviation: redness varies across healthy skin (flush, erythema).</param>
    /// <param name="minSigmaV">Floor of the ln(B/G) deviation: sensor noise on real cameras, flat synthetic skin.</param>
    public void Build(ReadOnlySpan<float> u, ReadOnlySpan<float> v, ReadOnlySpan<bool> usable, int width, in MapBox exclude, float minSigmaU, float minSigmaV)
    {
        Array.Clear(_histogramU);
        Array.Clear(_histogramV);
        int count = 0;
        for (int i = 0; i < u.Length; i++)
        {
            if (IsSkin(usable, i, width, exclude))
            {
                _histogramU[Bin(u[i])]++;
                _histogramV[Bin(v[i])]++;
                count++;
            }
        }

        Valid = count >= 64;
        if (!Valid)
        {
            return;
        }

        _centreU = Median(_histogramU, count);
        _centreV = Median(_histogramV, count);
        Array.Clear(_histogramU);
        Array.Clear(_histogramV);
        for (int i = 0; i < u.Length; i++)
        {
            if (IsSkin(usable, i, width, exclude))
            {
                _histogramU[Bin(Math.Abs(u[i] - _centreU))]++;
                _histogramV[Bin(Math.Abs(v[i] - _centreV))]++;
            }
        }

        _inverseSigmaU = 1 / Math.Max(MadToSigma * Median(_histogramU, count), minSigmaU);
        _inverseSigmaV = 1 / Math.Max(MadToSigma * Median(_histogramV, count), minSigmaV);
    }

    /// <summary>Distance of a pixel's chromaticity from the skin's, in standard deviations per axis.</summary>
    public float Distance(float u, float v)
    {
        if (!Valid)
        {
            return 0;
        }

        float du = (u - _centreU) * _inverseSigmaU, dv = (v - _centreV) * _inverseSigmaV;
        return MathF.Sqrt((du * du) + (dv * dv));
    }

    private static bool IsSkin(ReadOnlySpan<bool> usable, int i, int width, in MapBox exclude) =>
        usable[i] && !exclude.Contains(i % width, i / width);

    private static int Bin(float value) => Math.Clamp((int)((value + Range) * (Bins / (2 * Range))), 0, Bins - 1);

    private static float Median(int[] histogram, int count)
    {
        float rank = 0.5f * count;
        int seen = 0;
        for (int bin = 0; bin < Bins; bin++)
        {
            int here = histogram[bin];
            if (here > 0 && seen + here >= rank)
            {
                return ((bin + ((rank - seen) / here)) * (2 * Range) / Bins) - Range;
            }

            seen += here;
        }

        return 0;
    }
}

/// <summary>A half-open rectangle of map pixels [X0, X1) × [Y0, Y1); empty when X1 ≤ X0.</summary>
internal readonly record struct MapBox(int X0, int Y0, int X1, int Y1)
{
    public static MapBox Empty => default;

    public bool Contains(int x, int y) => x >= X0 && x < X1 && y >= Y0 && y < Y1;
}
