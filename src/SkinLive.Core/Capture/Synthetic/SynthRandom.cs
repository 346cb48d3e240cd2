namespace SkinLive.Capture.Synthetic;

/// <summary>
/// SplitMix64. The generator owns its sequence (System.Random's seeded sequence is a runtime detail), so a seed
/// gives the same scene on every run.
/// </summary>
public struct SynthRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A seed for an independent stream: so that adding a draw to one part of a scene leaves the others unchanged.</summary>
    public static ulong Derive(ulong seed, ulong stream)
    {
        var mixer = new SynthRandom(seed ^ (stream * 0xD1B54A32D192ED03UL));
        return mixer.NextUInt64();
    }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public uint NextUInt32() => (uint)(NextUInt64() >> 32);

    /// <summary>Uniform in [0, 1).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    public float Range(float min, float max) => min + ((max - min) * NextFloat());

    /// <summary>Uniform integer in [min, maxExclusive).</summary>
    public int Next(int min, int maxExclusive) => min + (int)((NextUInt64() >> 11) % (ulong)(maxExclusive - min));

    public bool Chance(float probability) => NextFloat() < probability;

    /// <summary>Standard normal (Box–Muller).</summary>
    public float Gaussian()
    {
        float u = Math.Max(NextFloat(), 1e-7f);
        float v = NextFloat();
        return MathF.Sqrt(-2f * MathF.Log(u)) * MathF.Cos(2f * MathF.PI * v);
    }
}
