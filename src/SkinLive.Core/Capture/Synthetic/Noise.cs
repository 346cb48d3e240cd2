namespace SkinLive.Capture.Synthetic;

/// <summary>Hash-based value and cellular noise: stateless, seeded, the same for the same inputs everywhere.</summary>
internal static class Noise
{
    public static uint Hash(int x, int y, uint seed)
    {
        uint h = seed ^ ((uint)x * 0x27D4EB2Du) ^ ((uint)y * 0x165667B1u);
        h ^= h >> 15;
        h *= 0x2C1B3C6Du;
        h ^= h >> 12;
        h *= 0x297A2D39u;
        h ^= h >> 15;
        return h;
    }

    /// <summary>Uniform in [-1, 1] per lattice point.</summary>
    public static float Signed(int x, int y, uint seed) => (Hash(x, y, seed) * (2f / uint.MaxValue)) - 1f;

    /// <summary>Uniform in [0, 1] per lattice point.</summary>
    public static float Unit(uint hash) => hash * (1f / uint.MaxValue);

    /// <summary>Smooth value noise in [-1, 1].</summary>
    public static float Value(float x, float y, uint seed)
    {
        float fx = MathF.Floor(x);
        float fy = MathF.Floor(y);
        int ix = (int)fx;
        int iy = (int)fy;
        float tx = x - fx;
        float ty = y - fy;
        tx = tx * tx * (3f - (2f * tx));
        ty = ty * ty * (3f - (2f * ty));
        float a = Signed(ix, iy, seed);
        float b = Signed(ix + 1, iy, seed);
        float c = Signed(ix, iy + 1, seed);
        float d = Signed(ix + 1, iy + 1, seed);
        float top = a + ((b - a) * tx);
        float bottom = c + ((d - c) * tx);
        return top + ((bottom - top) * ty);
    }

    /// <summary>Fractal sum of <paramref name="octaves"/> value-noise octaves, normalized to about [-1, 1].</summary>
    public static float Fbm(float x, float y, uint seed, int octaves)
    {
        float sum = 0;
        float amplitude = 1;
        float total = 0;
        for (int o = 0; o < octaves; o++)
        {
            sum += amplitude * Value(x, y, seed + (uint)(o * 7919));
            total += amplitude;
            amplitude *= 0.5f;
            x = (x * 2.03f) + 17.1f;
            y = (y * 2.03f) - 5.3f;
        }

        return sum / total;
    }

    /// <summary>
    /// Cellular (Worley) noise: distances to the nearest and second-nearest jittered feature point, in cell units,
    /// and a hash of the nearest point's cell (so each cell can have its own colour).
    /// </summary>
    public static float Cellular(float x, float y, uint seed, out float secondDistance, out uint cellHash)
    {
        int cx = (int)MathF.Floor(x);
        int cy = (int)MathF.Floor(y);
        float best = float.MaxValue;
        float second = float.MaxValue;
        uint bestHash = 0;
        for (int j = -1; j <= 1; j++)
        {
            for (int i = -1; i <= 1; i++)
            {
                uint h = Hash(cx + i, cy + j, seed);
                float px = cx + i + 0.15f + (0.7f * (h & 0xFFFF) * (1f / 65535f));
                float py = cy + j + 0.15f + (0.7f * (h >> 16) * (1f / 65535f));
                float dx = px - x;
                float dy = py - y;
                float d = (dx * dx) + (dy * dy);
                if (d < best)
                {
                    second = best;
                    best = d;
                    bestHash = h;
                }
                else if (d < second)
                {
                    second = d;
                }
            }
        }

        secondDistance = MathF.Sqrt(second);
        cellHash = bestHash;
        return MathF.Sqrt(best);
    }

    public static float SmoothStep(float edge0, float edge1, float x)
    {
        float t = Math.Clamp((x - edge0) / (edge1 - edge0), 0f, 1f);
        return t * t * (3f - (2f * t));
    }
}
