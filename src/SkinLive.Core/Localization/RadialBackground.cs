namespace SkinLive.Localization;

/// <summary>
/// The skin's darkness as a function of the distance from the view's centre: a low percentile per ring, then made
/// non-decreasing outwards. Vignetting darkens rings, so it is modelled and subtracted; a lesion covers only part of
/// the outer rings, and where it covers whole inner rings the outward minimum replaces it by the skin around it.
/// </summary>
internal sealed class RadialBackground
{
    private const int Rings = 32;
    private const int Levels = 128;

    // Rings with fewer in-view pixels are too small for a percentile; they take their outer neighbour's level.
    private const int MinRingPixels = 8;

    private readonly int[] _histogram = new int[Rings * Levels];
    private readonly int[] _ringPixels = new int[Rings];
    private readonly float[] _level = new float[Rings];

    public void Build(ReadOnlySpan<float> darkness, ReadOnlySpan<float> depth, ReadOnlySpan<float> radius, float percentile)
    {
        Array.Clear(_histogram);
        Array.Clear(_ringPixels);
        for (int i = 0; i < darkness.Length; i++)
        {
            if (depth[i] > 0)
            {
                int ring = Math.Min(Rings - 1, (int)(radius[i] * Rings));
                int level = Math.Clamp((int)(darkness[i] * Levels), 0, Levels - 1);
                _histogram[(ring * Levels) + level]++;
                _ringPixels[ring]++;
            }
        }

        float outer = float.PositiveInfinity;
        for (int ring = Rings - 1; ring >= 0; ring--)
        {
            if (_ringPixels[ring] >= MinRingPixels)
            {
                outer = Math.Min(outer, Percentile(ring, percentile));
            }

            _level[ring] = outer;
        }

        // Outer rings with no pixels (beyond the view) take the outermost measured level.
        float fill = 0;
        for (int ring = 0; ring < Rings; ring++)
        {
            if (float.IsFinite(_level[ring]))
            {
                fill = _level[ring];
            }
            else
            {
                _level[ring] = fill;
            }
        }
    }

    /// <summary>Skin darkness at a normalized radius, linear between ring centres.</summary>
    public float At(float radius)
    {
        float position = (radius * Rings) - 0.5f;
        if (position <= 0)
        {
            return _level[0];
        }

        int ring = (int)position;
        if (ring >= Rings - 1)
        {
            return _level[Rings - 1];
        }

        float t = position - ring;
        return _level[ring] + (t * (_level[ring + 1] - _level[ring]));
    }

    private float Percentile(int ring, float percentile)
    {
        ReadOnlySpan<int> histogram = _histogram.AsSpan(ring * Levels, Levels);
        float rank = percentile * _ringPixels[ring];
        int seen = 0;
        for (int level = 0; level < Levels; level++)
        {
            int here = histogram[level];
            if (here > 0 && seen + here >= rank)
            {
                return (level + ((rank - seen) / here)) / Levels;
            }

            seen += here;
        }

        return 1f;
    }
}
