using System.Numerics;

namespace SkinLive.Capture.Synthetic;

/// <summary>A round primitive in lesion-local units (the lesion's border is near radius 1).</summary>
internal readonly record struct Blob(float X, float Y, float Radius, float Softness);

/// <summary>A stroke from (X0, Y0) to (X1, Y1) in lesion-local units, tapering from Width0 to Width1.</summary>
internal readonly record struct Stroke(float X0, float Y0, float X1, float Y1, float Width0, float Width1);

/// <summary>Primitives of one colour, stamped together and clipped to the lesion.</summary>
internal sealed class PrimitiveGroup(Vector3 colour, float opacity)
{
    public Vector3 Colour { get; } = colour;
    public float Opacity { get; } = opacity;
    public List<Blob> Blobs { get; } = [];
    public List<Stroke> Strokes { get; } = [];
}

/// <summary>
/// One procedurally drawn lesion: geometry, palette and class-typical structures, all sampled from a seed by
/// <see cref="Sample"/>. The lesion sits at the scene origin; scene units are frame heights (the smaller frame side).
/// Classes overlap on purpose (sizes, colours, structures borrowed from other classes) so that telling them
/// apart is learnable but not trivial.
/// </summary>
internal sealed class LesionModel
{
    private const int Harmonics = 6;

    private readonly float[] _harmonicCos = new float[Harmonics];
    private readonly float[] _harmonicSin = new float[Harmonics];
    private Vector3[] _palette = [];
    private float _cosAngle = 1;
    private float _sinAngle;
    private float _extent;

    private LesionModel(int classIndex, uint noiseSeed)
    {
        ClassIndex = classIndex;
        NoiseSeed = noiseSeed;
    }

    public int ClassIndex { get; }

    public uint NoiseSeed { get; }

    /// <summary>Semi-axis across the long direction is Radius × Aspect, in scene units.</summary>
    public float Radius { get; private set; }

    public float Aspect { get; private set; }

    public float Angle
    {
        get;
        private set
        {
            field = value;
            _cosAngle = MathF.Cos(value);
            _sinAngle = MathF.Sin(value);
        }
    }

    public float BorderWarp { get; private set; }

    public float BorderSoftness { get; private set; }

    public float Opacity { get; private set; }

    public List<PrimitiveGroup> Primitives { get; } = [];

    private float Variegation { get; set; }
    private float VariegationFrequency { get; set; }
    private float Asymmetry { get; set; }
    private float CentreDarkening { get; set; }
    private float Network { get; set; }
    private float NetworkFrequency { get; set; }
    private float NetworkIrregularity { get; set; }
    private float NetworkInner { get; set; }
    private float NetworkBorderFade { get; set; }
    private float NetworkAngle { get; set; }
    private Vector3 NetworkColour { get; set; }
    private float Veil { get; set; }
    private float Regression { get; set; }
    private float Strawberry { get; set; }
    private float StrawberryFrequency { get; set; }
    private float Scale { get; set; }
    private float CentralPatch { get; set; }
    private float CentralPatchRadius { get; set; }
    private float Ring { get; set; }
    private float Lacunae { get; set; }
    private float LacunaeFrequency { get; set; }
    private Vector3 LacunaColourA { get; set; }
    private float Fissures { get; set; }
    private float Gloss { get; set; }

    /// <summary>Largest local radius at which the mask can be non-zero (for a quick reject).</summary>
    public float Extent => _extent;

    /// <summary>Radius in scene units of a circle around the origin that holds the whole lesion.</summary>
    public float SceneExtent => _extent * Radius * Aspect;

    /// <summary>Converts a lesion-local point to scene units.</summary>
    public Vector2 LocalToScene(float lx, float ly)
    {
        float ax = lx * Radius * Aspect;
        float ay = ly * Radius;
        return new Vector2((ax * _cosAngle) - (ay * _sinAngle), (ax * _sinAngle) + (ay * _cosAngle));
    }

    /// <summary>Local lengths to scene lengths (geometric mean of the two axes).</summary>
    public float LocalLengthToScene => Radius * MathF.Sqrt(Aspect);

    public static LesionModel Sample(int classIndex, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, HamClasses.Count);
        var rng = new SynthRandom(SynthRandom.Derive(seed, 0x1E5));
        var lesion = new LesionModel(classIndex, rng.NextUInt32());
        switch (HamClasses.Codes[classIndex])
        {
            case "akiec": lesion.SampleActinicKeratosis(ref rng); break;
            case "bcc": lesion.SampleBasalCellCarcinoma(ref rng); break;
            case "bkl": lesion.SampleKeratosis(ref rng); break;
            case "df": lesion.SampleDermatofibroma(ref rng); break;
            case "mel": lesion.SampleMelanoma(ref rng); break;
            case "nv": lesion.SampleNevus(ref rng); break;
            default: lesion.SampleVascular(ref rng); break;
        }

        lesion.Angle = rng.Range(0, MathF.PI);
        lesion.BorrowAtypicalStructure(ref rng);
        float harmonicSum = 0;
        for (int k = 0; k < Harmonics; k++)
        {
            harmonicSum += MathF.Abs(lesion._harmonicCos[k]) + MathF.Abs(lesion._harmonicSin[k]);
        }

        // The noise warp is at most ±BorderWarp (Fbm stays within [-1, 1]), hence the division.
        lesion._extent = (1f + harmonicSum) * (1f + lesion.BorderSoftness) / (1f - lesion.BorderWarp);
        return lesion;
    }

    /// <summary>
    /// The lesion at a scene point: <paramref name="mask"/> is its geometric coverage in [0, 1] (0 outside, exactly),
    /// <paramref name="colour"/> its colour there; blend with Opacity × mask over the skin.
    /// </summary>
    public Vector3 Shade(float sx, float sy, out float mask)
    {
        float lx = ((sx * _cosAngle) + (sy * _sinAngle)) / (Radius * Aspect);
        float ly = ((-sx * _sinAngle) + (sy * _cosAngle)) / Radius;
        float rho = MathF.Sqrt((lx * lx) + (ly * ly));
        if (rho >= _extent)
        {
            mask = 0;
            return Vector3.Zero;
        }

        float border = Border(lx, ly, rho);
        float warped = rho * (1f + (BorderWarp * Noise.Fbm(lx * 3f, ly * 3f, NoiseSeed + 11, 2)));
        float d = warped / border;
        float w = BorderSoftness;
        mask = d >= 1f + w ? 0f : 1f - Noise.SmoothStep(1f - w, 1f + w, d);
        if (mask <= 0f)
        {
            mask = 0f;
            return Vector3.Zero;
        }

        return Colour(lx, ly, Math.Min(d, 1.2f));
    }

    private float Border(float lx, float ly, float rho)
    {
        if (rho < 1e-6f)
        {
            return 1f;
        }

        float cos1 = lx / rho;
        float sin1 = ly / rho;
        float ck = cos1;
        float sk = sin1;
        float sum = 1f;
        for (int k = 0; k < Harmonics; k++)
        {
            sum += (_harmonicCos[k] * ck) + (_harmonicSin[k] * sk);
            float next = (ck * cos1) - (sk * sin1);
            sk = (sk * cos1) + (ck * sin1);
            ck = next;
        }

        return sum;
    }

    private Vector3 Colour(float lx, float ly, float d)
    {
        uint seed = NoiseSeed;
        float t = 0.5f + (Variegation * Noise.Fbm((lx * VariegationFrequency) + 11.3f, (ly * VariegationFrequency) - 7.1f, seed + 1, 3)) + (Asymmetry * lx * 0.5f);
        Vector3 colour = PaletteAt(Math.Clamp(t, 0f, 1f));
        float radial = Math.Clamp(d, 0f, 1f);
        colour *= 1f - (CentreDarkening * (1f - (radial * radial)));

        if (Network > 0)
        {
            float nc = MathF.Cos(NetworkAngle);
            float ns = MathF.Sin(NetworkAngle);
            float rx = (lx * nc) + (ly * ns);
            float ry = (-lx * ns) + (ly * nc);
            // Even a regular network is a honeycomb, not a grid: a fixed small warp plus the irregular one.
            float warp = 0.3f + (NetworkIrregularity * 1.6f);
            float px = (rx * NetworkFrequency) + (warp * Noise.Value(rx * 2.2f, ry * 2.2f, seed + 2)) + (0.12f * Noise.Value(rx * 7f, ry * 7f, seed + 17));
            float py = (ry * NetworkFrequency) + (warp * Noise.Value(rx * 2.2f, ry * 2.2f, seed + 3)) + (0.12f * Noise.Value(rx * 7f, ry * 7f, seed + 18));
            float dist = MathF.Min(MathF.Abs(px - MathF.Round(px)), MathF.Abs(py - MathF.Round(py)));
            float thickness = 0.1f + (NetworkIrregularity * 0.08f * (1f + Noise.Value(rx * 3f, ry * 3f, seed + 4)));
            float line = 1f - Noise.SmoothStep(thickness, thickness + 0.1f, dist);
            float fade = Noise.SmoothStep(NetworkInner - 0.15f, NetworkInner + 0.05f, d) * (1f - (NetworkBorderFade * Noise.SmoothStep(0.7f, 1.05f, d)));
            if (NetworkIrregularity > 0.5f)
            {
                fade *= Noise.SmoothStep(-0.25f, 0.15f, Noise.Value((lx * 2.5f) + 3f, ly * 2.5f, seed + 5));
            }

            colour = Vector3.Lerp(colour, NetworkColour, Network * line * fade);
        }

        if (Veil > 0)
        {
            float v = Noise.SmoothStep(0.05f, 0.3f, Noise.Fbm((lx * 1.5f) + 3f, ly * 1.5f, seed + 6, 2));
            colour = Vector3.Lerp(colour, new Vector3(0.42f, 0.48f, 0.6f), Veil * v);
        }

        if (Regression > 0)
        {
            float r = Noise.SmoothStep(0.1f, 0.32f, Noise.Fbm((lx * 1.8f) - 5f, ly * 1.8f, seed + 7, 2));
            colour = Vector3.Lerp(colour, new Vector3(0.86f, 0.81f, 0.79f), Regression * r);
            float pepper = Noise.SmoothStep(0.45f, 0.7f, Noise.Value(lx * 38f, ly * 38f, seed + 8));
            colour = Vector3.Lerp(colour, new Vector3(0.42f, 0.43f, 0.52f), Regression * r * pepper * 0.8f);
        }

        if (Strawberry > 0)
        {
            float fx = (lx * StrawberryFrequency) + (0.35f * Noise.Value(lx * 3f, ly * 3f, seed + 9));
            float fy = (ly * StrawberryFrequency) + (0.35f * Noise.Value(lx * 3f, ly * 3f, seed + 10));
            float dx = fx - MathF.Round(fx);
            float dy = fy - MathF.Round(fy);
            float dd = MathF.Sqrt((dx * dx) + (dy * dy));
            colour = Vector3.Lerp(colour, new Vector3(0.84f, 0.3f, 0.3f), Strawberry * 0.45f * Noise.SmoothStep(0.2f, 0.45f, dd));
            colour = Vector3.Lerp(colour, new Vector3(0.95f, 0.9f, 0.8f), Strawberry * (1f - Noise.SmoothStep(0.1f, 0.2f, dd)));
        }

        if (Scale > 0)
        {
            float flakes = Noise.SmoothStep(0.2f, 0.42f, Noise.Fbm(lx * 6f, ly * 6f, seed + 12, 2));
            colour = Vector3.Lerp(colour, new Vector3(0.94f, 0.92f, 0.86f), Scale * flakes);
        }

        if (CentralPatch > 0)
        {
            float rr = d + (0.12f * Noise.Value(lx * 4f, ly * 4f, seed + 13));
            float patch = 1f - Noise.SmoothStep(CentralPatchRadius * 0.55f, CentralPatchRadius, rr);
            colour = Vector3.Lerp(colour, new Vector3(0.93f, 0.87f, 0.82f), CentralPatch * patch);
        }

        if (Ring > 0)
        {
            float ring = Noise.SmoothStep(0.4f, 0.72f, d) * (1f - Noise.SmoothStep(0.92f, 1.1f, d));
            colour = Vector3.Lerp(colour, colour * 0.62f, Ring * ring);
        }

        if (Lacunae > 0)
        {
            float f1 = Noise.Cellular(lx * LacunaeFrequency, ly * LacunaeFrequency, seed + 14, out float f2, out uint cell);
            float shade = Noise.Unit(cell);
            Vector3 lacuna = Vector3.Lerp(LacunaColourA, new Vector3(0.34f, 0.1f, 0.3f), shade) * (0.8f + (0.35f * Noise.Unit(cell * 2654435761u)));
            float septa = 1f - Noise.SmoothStep(0.04f, 0.16f, f2 - f1);
            Vector3 pattern = Vector3.Lerp(lacuna, new Vector3(0.84f, 0.7f, 0.7f), septa);
            colour = Vector3.Lerp(colour, pattern, Lacunae);
        }

        if (Fissures > 0)
        {
            float n = MathF.Abs(Noise.Value(lx * 5f, ly * 5f, seed + 15));
            float fissure = 1f - Noise.SmoothStep(0.03f, 0.1f, n);
            colour = Vector3.Lerp(colour, colour * 0.55f, Fissures * fissure);
        }

        if (Gloss > 0)
        {
            colour *= 1f + (Gloss * 0.18f * Noise.Value((lx * 1.7f) + 9f, ly * 1.7f, seed + 16));
        }

        return colour;
    }

    private Vector3 PaletteAt(float t)
    {
        if (_palette.Length == 1)
        {
            return _palette[0];
        }

        float position = t * (_palette.Length - 1);
        int i = Math.Min((int)position, _palette.Length - 2);
        return Vector3.Lerp(_palette[i], _palette[i + 1], position - i);
    }

    private void SetShape(ref SynthRandom rng, float minRadius, float maxRadius, float maxAspect, float irregularity, float lowOrderBias)
    {
        Radius = rng.Range(minRadius, maxRadius);
        Aspect = rng.Range(1f, maxAspect);
        float budget = 0;
        for (int k = 0; k < Harmonics; k++)
        {
            // Low orders (k = 1, 2) shift and stretch the outline: that is asymmetry; higher orders make it wavy.
            float weight = k < 2 ? lowOrderBias : 1f / (k + 1);
            _harmonicCos[k] = rng.Gaussian() * irregularity * weight * 0.5f;
            _harmonicSin[k] = rng.Gaussian() * irregularity * weight * 0.5f;
            budget += MathF.Abs(_harmonicCos[k]) + MathF.Abs(_harmonicSin[k]);
        }

        // Keep the border radius positive in every direction.
        if (budget > 0.5f)
        {
            for (int k = 0; k < Harmonics; k++)
            {
                _harmonicCos[k] *= 0.5f / budget;
                _harmonicSin[k] *= 0.5f / budget;
            }
        }
    }

    private static Vector3 Jitter(ref SynthRandom rng, Vector3 colour, float amount)
    {
        float brightness = 1f + (rng.Gaussian() * amount);
        var tint = new Vector3(1f + (rng.Gaussian() * amount * 0.5f), 1f + (rng.Gaussian() * amount * 0.5f), 1f + (rng.Gaussian() * amount * 0.5f));
        return Vector3.Clamp(colour * tint * brightness, Vector3.Zero, Vector3.One);
    }

    private static Vector3 Between(ref SynthRandom rng, Vector3 a, Vector3 b) => Vector3.Lerp(a, b, rng.NextFloat());

    private void SampleNevus(ref SynthRandom rng)
    {
        SetShape(ref rng, 0.11f, 0.3f, 1.45f, rng.Range(0.03f, 0.14f), 0.6f);
        BorderWarp = rng.Range(0.0f, 0.06f);
        BorderSoftness = rng.Range(0.05f, 0.18f);
        Opacity = rng.Range(0.75f, 1f);
        Vector3 brown = Between(ref rng, new Vector3(0.64f, 0.44f, 0.3f), new Vector3(0.32f, 0.2f, 0.13f));
        if (rng.Chance(0.08f))
        {
            // Blue nevus: steel blue-grey and uniform, easily confused with melanoma's veil.
            brown = Between(ref rng, new Vector3(0.36f, 0.38f, 0.48f), new Vector3(0.26f, 0.28f, 0.38f));
        }

        brown = Jitter(ref rng, brown, 0.08f);
        _palette = [brown * 1.1f, brown, brown * rng.Range(0.75f, 0.92f)];
        Variegation = rng.Range(0.1f, 0.32f);
        VariegationFrequency = rng.Range(1.2f, 2.5f);
        CentreDarkening = rng.Range(0f, 0.3f);
        if (rng.Chance(0.75f))
        {
            Network = rng.Range(0.35f, 0.8f);
            NetworkFrequency = rng.Range(6f, 11f);
            NetworkIrregularity = rng.Range(0f, 0.3f);
            NetworkInner = 0f;
            NetworkBorderFade = rng.Range(0.5f, 1f);
            NetworkColour = brown * 0.55f;
        }

        if (rng.Chance(0.3f))
        {
            var globules = new PrimitiveGroup(brown * 0.6f, rng.Range(0.5f, 0.9f));
            AddBlobs(ref rng, globules, rng.Next(6, 25), 0f, 0.6f, 0.035f, 0.06f, 0.5f);
            Primitives.Add(globules);
        }

        if (rng.Chance(0.08f))
        {
            AddCysts(ref rng, rng.Next(2, 6));
        }
    }

    private void SampleMelanoma(ref SynthRandom rng)
    {
        bool featureless = rng.Chance(0.15f);
        SetShape(ref rng, 0.14f, 0.36f, 1.8f, featureless ? rng.Range(0.08f, 0.18f) : rng.Range(0.14f, 0.4f), 1.6f);
        BorderWarp = rng.Range(0.04f, 0.16f);
        BorderSoftness = rng.Range(0.03f, 0.12f);
        Opacity = rng.Range(0.85f, 1f);
        Vector3[] candidates =
        [
            new Vector3(0.3f, 0.18f, 0.12f),
            new Vector3(0.12f, 0.09f, 0.09f),
            new Vector3(0.38f, 0.42f, 0.54f),
            new Vector3(0.6f, 0.42f, 0.3f),
            new Vector3(0.66f, 0.32f, 0.28f),
        ];
        int colours = featureless ? 2 : rng.Next(3, 5);
        var palette = new Vector3[colours];
        palette[0] = Jitter(ref rng, candidates[3], 0.08f);
        for (int i = 1; i < colours; i++)
        {
            palette[i] = Jitter(ref rng, candidates[i == 1 ? 0 : rng.Next(0, candidates.Length)], 0.08f);
        }

        // Shuffle so the darkest colour is not always at the same end of the variegation field.
        for (int i = colours - 1; i > 0; i--)
        {
            int j = rng.Next(0, i + 1);
            (palette[i], palette[j]) = (palette[j], palette[i]);
        }

        _palette = palette;
        Variegation = featureless ? rng.Range(0.15f, 0.3f) : rng.Range(0.45f, 0.95f);
        VariegationFrequency = rng.Range(1.5f, 3.5f);
        Asymmetry = featureless ? 0f : rng.Range(0.2f, 0.8f) * (rng.Chance(0.5f) ? 1f : -1f);
        CentreDarkening = rng.Range(0f, 0.2f);
        if (rng.Chance(0.5f))
        {
            Network = rng.Range(0.4f, 0.85f);
            NetworkFrequency = rng.Range(5f, 10f);
            NetworkIrregularity = rng.Range(0.55f, 1f);
            NetworkBorderFade = rng.Range(0f, 0.4f);
            NetworkColour = new Vector3(0.14f, 0.1f, 0.09f);
        }

        if (!featureless && rng.Chance(0.55f))
        {
            Veil = rng.Range(0.35f, 0.85f);
        }

        if (!featureless && rng.Chance(0.45f))
        {
            Regression = rng.Range(0.35f, 0.85f);
        }

        if (rng.Chance(0.55f))
        {
            var dots = new PrimitiveGroup(new Vector3(0.1f, 0.08f, 0.08f), rng.Range(0.6f, 0.95f));
            AddBlobs(ref rng, dots, rng.Next(5, 30), 0.45f, 0.95f, 0.015f, 0.06f, 0.4f);
            Primitives.Add(dots);
        }
    }

    private void SampleKeratosis(ref SynthRandom rng)
    {
        SetShape(ref rng, 0.12f, 0.34f, 1.6f, rng.Range(0.08f, 0.26f), 1f);
        BorderWarp = rng.Range(0.02f, 0.08f);
        BorderSoftness = rng.Range(0.02f, 0.08f);
        Opacity = rng.Range(0.8f, 1f);
        Vector3 tan = Between(ref rng, new Vector3(0.7f, 0.55f, 0.4f), new Vector3(0.46f, 0.33f, 0.22f));
        if (rng.Chance(0.25f))
        {
            tan = Between(ref rng, new Vector3(0.38f, 0.27f, 0.19f), new Vector3(0.28f, 0.2f, 0.15f));
        }

        tan = Jitter(ref rng, tan, 0.08f);
        _palette = [tan * 1.12f, tan, tan * rng.Range(0.7f, 0.88f)];
        Variegation = rng.Range(0.2f, 0.5f);
        VariegationFrequency = rng.Range(1.5f, 3f);
        Gloss = rng.Range(0.4f, 1f);
        if (rng.Chance(0.55f))
        {
            Fissures = rng.Range(0.3f, 0.8f);
        }

        if (rng.Chance(0.8f))
        {
            AddCysts(ref rng, rng.Next(3, 16));
        }

        if (rng.Chance(0.3f))
        {
            // Comedo-like openings: dark plugs.
            var openings = new PrimitiveGroup(tan * 0.4f, rng.Range(0.5f, 0.9f));
            AddBlobs(ref rng, openings, rng.Next(3, 12), 0f, 0.85f, 0.025f, 0.05f, 0.5f);
            Primitives.Add(openings);
        }

        if (rng.Chance(0.15f))
        {
            Scale = rng.Range(0.3f, 0.6f);
        }
    }

    private void SampleBasalCellCarcinoma(ref SynthRandom rng)
    {
        SetShape(ref rng, 0.1f, 0.3f, 1.6f, rng.Range(0.08f, 0.25f), 1f);
        BorderWarp = rng.Range(0.02f, 0.1f);
        BorderSoftness = rng.Range(0.06f, 0.18f);
        bool pigmented = rng.Chance(0.2f);
        Opacity = pigmented ? rng.Range(0.7f, 0.9f) : rng.Range(0.45f, 0.8f);
        Vector3 pink = Jitter(ref rng, Between(ref rng, new Vector3(0.88f, 0.62f, 0.6f), new Vector3(0.76f, 0.48f, 0.48f)), 0.06f);
        _palette = [pink, Vector3.Lerp(pink, new Vector3(0.93f, 0.85f, 0.83f), rng.Range(0.3f, 0.7f))];
        Variegation = rng.Range(0.2f, 0.45f);
        VariegationFrequency = rng.Range(1.5f, 3f);
        Gloss = rng.Range(0.3f, 0.8f);
        if (rng.Chance(0.8f))
        {
            var vessels = new PrimitiveGroup(Jitter(ref rng, new Vector3(0.72f, 0.1f, 0.16f), 0.08f), rng.Range(0.65f, 0.95f));
            int trees = rng.Next(2, 6);
            for (int i = 0; i < trees; i++)
            {
                float a = rng.Range(0, 2 * MathF.PI);
                float r = rng.Range(0.1f, 0.75f);
                AddBranch(ref rng, vessels, r * MathF.Cos(a), r * MathF.Sin(a), rng.Range(0, 2 * MathF.PI), rng.Range(0.018f, 0.035f), 0);
            }

            Primitives.Add(vessels);
        }

        if (pigmented || rng.Chance(0.55f))
        {
            var nests = new PrimitiveGroup(Jitter(ref rng, new Vector3(0.36f, 0.4f, 0.5f), 0.06f), rng.Range(0.55f, 0.9f));
            AddBlobs(ref rng, nests, rng.Next(1, pigmented ? 10 : 5), 0f, 0.75f, 0.06f, 0.16f, 0.7f);
            Primitives.Add(nests);
        }

        if (rng.Chance(0.3f))
        {
            var ulcer = new PrimitiveGroup(Jitter(ref rng, new Vector3(0.45f, 0.16f, 0.12f), 0.08f), rng.Range(0.7f, 0.95f));
            AddBlobs(ref rng, ulcer, 1, 0f, 0.4f, 0.1f, 0.25f, 0.5f);
            Primitives.Add(ulcer);
        }
    }

    private void SampleActinicKeratosis(ref SynthRandom rng)
    {
        SetShape(ref rng, 0.12f, 0.32f, 1.7f, rng.Range(0.1f, 0.3f), 1.2f);
        BorderWarp = rng.Range(0.05f, 0.15f);
        BorderSoftness = rng.Range(0.12f, 0.25f);
        Opacity = rng.Range(0.55f, 0.9f);
        Vector3 red = Jitter(ref rng, Between(ref rng, new Vector3(0.84f, 0.44f, 0.42f), new Vector3(0.72f, 0.36f, 0.34f)), 0.07f);
        Vector3 second = rng.Chance(0.3f) ? new Vector3(0.6f, 0.4f, 0.3f) : new Vector3(0.88f, 0.6f, 0.56f);
        _palette = [red, Jitter(ref rng, second, 0.06f)];
        Variegation = rng.Range(0.25f, 0.55f);
        VariegationFrequency = rng.Range(1.5f, 3.5f);
        if (rng.Chance(0.8f))
        {
            Strawberry = rng.Range(0.45f, 0.9f);
            StrawberryFrequency = rng.Range(6f, 11f);
        }

        if (rng.Chance(0.7f))
        {
            Scale = rng.Range(0.35f, 0.85f);
        }

        if (rng.Chance(0.4f))
        {
            var dotted = new PrimitiveGroup(new Vector3(0.7f, 0.12f, 0.16f), rng.Range(0.5f, 0.85f));
            AddBlobs(ref rng, dotted, rng.Next(10, 40), 0f, 0.85f, 0.01f, 0.02f, 0.3f);
            Primitives.Add(dotted);
        }
    }

    private void SampleDermatofibroma(ref SynthRandom rng)
    {
        SetShape(ref rng, 0.07f, 0.2f, 1.35f, rng.Range(0.02f, 0.1f), 0.6f);
        BorderWarp = rng.Range(0.02f, 0.08f);
        BorderSoftness = rng.Range(0.12f, 0.25f);
        Opacity = rng.Range(0.6f, 0.9f);
        Vector3 brown = Jitter(ref rng, Between(ref rng, new Vector3(0.66f, 0.48f, 0.36f), new Vector3(0.46f, 0.31f, 0.22f)), 0.08f);
        _palette = [brown * 1.08f, brown];
        Variegation = rng.Range(0.1f, 0.3f);
        VariegationFrequency = rng.Range(1.5f, 3f);
        if (rng.Chance(0.85f))
        {
            Ring = rng.Range(0.4f, 0.9f);
        }

        if (rng.Chance(0.6f))
        {
            Network = rng.Range(0.3f, 0.7f);
            NetworkFrequency = rng.Range(7f, 12f);
            NetworkIrregularity = rng.Range(0f, 0.3f);
            NetworkInner = rng.Range(0.45f, 0.65f);
            NetworkBorderFade = 1f;
            NetworkColour = brown * 0.55f;
        }

        if (rng.Chance(0.9f))
        {
            CentralPatch = rng.Range(0.5f, 0.95f);
            CentralPatchRadius = rng.Range(0.35f, 0.65f);
        }
    }

    private void SampleVascular(ref SynthRandom rng)
    {
        SetShape(ref rng, 0.07f, 0.22f, 1.5f, rng.Range(0.04f, 0.16f), 0.8f);
        BorderWarp = rng.Range(0.02f, 0.08f);
        BorderSoftness = rng.Range(0.03f, 0.1f);
        Opacity = rng.Range(0.8f, 1f);
        Vector3 red = Jitter(ref rng, Between(ref rng, new Vector3(0.74f, 0.16f, 0.22f), new Vector3(0.5f, 0.14f, 0.3f)), 0.08f);
        if (rng.Chance(0.15f))
        {
            // Thrombosed angioma: nearly black, easily taken for a melanoma.
            red = Jitter(ref rng, Between(ref rng, new Vector3(0.3f, 0.1f, 0.16f), new Vector3(0.16f, 0.07f, 0.1f)), 0.08f);
        }

        _palette = [red, Jitter(ref rng, new Vector3(0.3f, 0.09f, 0.2f), 0.08f)];
        Variegation = rng.Range(0.2f, 0.5f);
        VariegationFrequency = rng.Range(1.5f, 3f);
        LacunaColourA = red;
        if (rng.Chance(0.85f))
        {
            Lacunae = rng.Range(0.4f, 1f);
            LacunaeFrequency = rng.Range(3.5f, 7f);
        }

        Gloss = rng.Range(0f, 0.6f);
    }

    /// <summary>One structure of another class, weakly, on some lesions: real lesions do not read the textbook.</summary>
    private void BorrowAtypicalStructure(ref SynthRandom rng)
    {
        if (!rng.Chance(0.25f))
        {
            return;
        }

        float strength = rng.Range(0.2f, 0.55f);
        switch (rng.Next(0, 7))
        {
            case 0 when Veil == 0: Veil = strength; break;
            case 1 when Regression == 0: Regression = strength; break;
            case 2 when Scale == 0: Scale = strength; break;
            case 3 when CentralPatch == 0:
                CentralPatch = strength;
                CentralPatchRadius = rng.Range(0.3f, 0.5f);
                break;
            case 4: AddCysts(ref rng, rng.Next(1, 5)); break;
            case 5 when Ring == 0: Ring = strength; break;
            case 6:
                var dots = new PrimitiveGroup(new Vector3(0.2f, 0.13f, 0.11f), strength + 0.3f);
                AddBlobs(ref rng, dots, rng.Next(3, 12), 0.2f, 0.9f, 0.015f, 0.04f, 0.4f);
                Primitives.Add(dots);
                break;
        }
    }

    private void AddCysts(ref SynthRandom rng, int count)
    {
        var cysts = new PrimitiveGroup(new Vector3(0.95f, 0.92f, 0.8f), rng.Range(0.6f, 0.95f));
        AddBlobs(ref rng, cysts, count, 0f, 0.8f, 0.02f, 0.05f, 0.6f);
        Primitives.Add(cysts);
    }

    private static void AddBlobs(ref SynthRandom rng, PrimitiveGroup group, int count, float minRadius, float maxRadius, float minSize, float maxSize, float softness)
    {
        for (int i = 0; i < count; i++)
        {
            float a = rng.Range(0, 2 * MathF.PI);
            float r = rng.Range(minRadius, maxRadius);
            group.Blobs.Add(new Blob(r * MathF.Cos(a), r * MathF.Sin(a), rng.Range(minSize, maxSize), softness));
        }
    }

    /// <summary>An arborizing vessel: a wandering trunk that forks into thinner branches.</summary>
    private static void AddBranch(ref SynthRandom rng, PrimitiveGroup group, float x, float y, float direction, float width, int depth)
    {
        int segments = rng.Next(3, 7);
        for (int i = 0; i < segments; i++)
        {
            float length = rng.Range(0.05f, 0.12f);
            direction += rng.Range(-0.45f, 0.45f);
            float nx = x + (length * MathF.Cos(direction));
            float ny = y + (length * MathF.Sin(direction));
            float next = width * 0.9f;
            group.Strokes.Add(new Stroke(x, y, nx, ny, width, next));
            x = nx;
            y = ny;
            width = next;
            if (depth < 3 && rng.Chance(0.3f))
            {
                AddBranch(ref rng, group, x, y, direction + (rng.Chance(0.5f) ? 0.7f : -0.7f), width * 0.7f, depth + 1);
            }
        }
    }
}
