using SkinLive.Frames;

namespace SkinLive.Tests.Localization;

/// <summary>
/// What a procedural localization map shows. Geometry is in isotropic map pixels: x is the map column times
/// <see cref="PixelAspect"/>, y the row, so a circle in the frame stays a circle here.
/// </summary>
internal sealed record MapScene
{
    public int Width { get; init; } = 160;
    public int Height { get; init; } = 120;
    public float PixelAspect { get; init; } = 1f;
    public int Seed { get; init; }

    public float SkinLuminance { get; init; } = 0.68f;

    /// <summary>Amplitude of the skin's fine texture (relative luminance), what sharpness measures.</summary>
    public float Texture { get; init; } = 0.04f;

    public bool HasLesion { get; init; } = true;
    public float LesionX { get; init; } = 80f;
    public float LesionY { get; init; } = 60f;
    public float LesionRadius { get; init; } = 18f;

    /// <summary>Major/minor ratio of the lesion's underlying ellipse.</summary>
    public float LesionElongation { get; init; } = 1.2f;
    public float LesionRotation { get; init; }

    /// <summary>Relative amplitude of the lobes that make the outline irregular.</summary>
    public float LesionIrregularity { get; init; } = 0.15f;
    public float LesionLuminance { get; init; } = 0.25f;

    /// <summary>A contact dermatoscope: black outside a circle, darkening towards its rim.</summary>
    public bool Scope { get; init; }
    public float ScopeX { get; init; } = 80f;
    public float ScopeY { get; init; } = 60f;
    public float ScopeRadius { get; init; } = 60f;
    public float VignetteStrength { get; init; } = 0.5f;

    public int Hairs { get; init; }
    public float HairWidth { get; init; } = 0.7f;
    public float HairLuminance { get; init; } = 0.12f;

    /// <summary>Sensor noise left after area averaging (standard deviation, luminance units).</summary>
    public float Noise { get; init; } = 0.004f;

    /// <summary>Exposure gain applied before clipping.</summary>
    public float Gain { get; init; } = 1f;

    /// <summary>Box blur radius in map pixels (0 = in focus).</summary>
    public int BlurRadius { get; init; }

    /// <summary>A plausible random scene: lesion fully in view; with a scope, vignette and hair when asked.</summary>
    public static MapScene Random(int seed, bool hairAndVignette, bool lesion = true)
    {
        var random = new Random(seed);
        float isoWidth = 160f;
        float scopeX = (isoWidth / 2) + Uniform(random, -5, 5), scopeY = 60 + Uniform(random, -4, 4);
        float scopeRadius = Uniform(random, 55, 64);
        float radius = Uniform(random, 12, 24);
        float elongation = Uniform(random, 1f, 1.4f);
        float extent = radius * elongation * 1.3f;

        // Keep the whole lesion inside the visible area (the scope's circle or the map).
        float centreX, centreY;
        if (hairAndVignette)
        {
            float reach = Math.Max(0, (scopeRadius * 0.8f) - extent);
            double angle = random.NextDouble() * 2 * Math.PI;
            double distance = reach * Math.Sqrt(random.NextDouble());
            centreX = scopeX + (float)(distance * Math.Cos(angle));
            centreY = Math.Clamp(scopeY + (float)(distance * Math.Sin(angle)), extent + 2, 118 - extent);
        }
        else
        {
            centreX = Uniform(random, extent + 4, isoWidth - extent - 4);
            centreY = Uniform(random, Math.Min(60, extent + 4), Math.Max(60, 120 - extent - 4));
        }

        return new MapScene
        {
            Seed = seed,
            SkinLuminance = Uniform(random, 0.55f, 0.78f),
            HasLesion = lesion,
            LesionX = centreX,
            LesionY = centreY,
            LesionRadius = radius,
            LesionElongation = elongation,
            LesionRotation = Uniform(random, 0, MathF.PI),
            LesionLuminance = Uniform(random, 0.15f, 0.35f),
            Scope = hairAndVignette,
            ScopeX = scopeX,
            ScopeY = scopeY,
            ScopeRadius = scopeRadius,
            Hairs = hairAndVignette ? random.Next(3, 7) : 0,
        };
    }

    private static float Uniform(Random random, float min, float max) => min + ((max - min) * (float)random.NextDouble());
}

/// <summary>Draws <see cref="MapScene"/>s the way the GPU pass reports them: area-averaged (supersampled) luminance and darkness = 1 - luminance.</summary>
internal sealed class SyntheticLesionMap
{
    private const int Supersampling = 3;

    private readonly MapScene _scene;
    private readonly float[] _clean;
    private readonly float[] _lobeAmplitude = new float[4];
    private readonly float[] _lobePhase = new float[4];
    private readonly List<(float X0, float Y0, float X1, float Y1)> _hairSegments = [];

    public SyntheticLesionMap(MapScene scene)
    {
        _scene = scene;
        var random = new Random(scene.Seed * 7919 + 17);
        for (int k = 0; k < _lobeAmplitude.Length; k++)
        {
            _lobeAmplitude[k] = scene.LesionIrregularity * (float)random.NextDouble() / (k + 1);
            _lobePhase[k] = (float)(random.NextDouble() * 2 * Math.PI);
        }

        for (int h = 0; h < scene.Hairs; h++)
        {
            AddHair(random, crossLesion: h == 0 && scene.HasLesion);
        }

        TruthBox = scene.HasLesion ? MeasureTruth() : default;
        _clean = Draw(random);
    }

    public MapScene Scene => _scene;

    /// <summary>The lesion's exact bounding box, normalized to the frame.</summary>
    public RectangleF TruthBox { get; }

    /// <summary>Luminance before sensor noise.</summary>
    public ReadOnlySpan<float> Clean => _clean;

    /// <summary>Fills both planes with this scene plus fresh sensor noise from <paramref name="noiseSeed"/>.</summary>
    public void Render(int noiseSeed, Span<float> darkness, Span<float> luminance)
    {
        var random = new Random(noiseSeed);
        for (int i = 0; i < _clean.Length; i++)
        {
            float value = Math.Clamp(_clean[i] + (_scene.Noise * Gaussian(random)), 0, 1);
            luminance[i] = value;
            darkness[i] = 1 - value;
        }
    }

    private static float Gaussian(Random random)
    {
        double u = 1 - random.NextDouble(), v = random.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
    }

    private void AddHair(Random random, bool crossLesion)
    {
        float isoWidth = _scene.Width * _scene.PixelAspect;
        float angle = (float)(random.NextDouble() * Math.PI * 2);
        float length = 60 + (100 * (float)random.NextDouble());
        float x, y;
        if (crossLesion)
        {
            x = _scene.LesionX - (MathF.Cos(angle) * length / 2);
            y = _scene.LesionY - (MathF.Sin(angle) * length / 2);
        }
        else
        {
            x = (float)random.NextDouble() * isoWidth;
            y = (float)random.NextDouble() * _scene.Height;
        }

        const int segments = 6;
        for (int s = 0; s < segments; s++)
        {
            angle += (float)((random.NextDouble() - 0.5) * 0.4);
            float nx = x + (MathF.Cos(angle) * length / segments), ny = y + (MathF.Sin(angle) * length / segments);
            _hairSegments.Add((x, y, nx, ny));
            x = nx;
            y = ny;
        }
    }

    private float LesionBoundary(float theta)
    {
        float r = 1;
        for (int k = 0; k < _lobeAmplitude.Length; k++)
        {
            r += _lobeAmplitude[k] * MathF.Cos(((k + 2) * theta) + _lobePhase[k]);
        }

        return _scene.LesionRadius * r;
    }

    /// <summary>Lesion-local polar coordinates of a point: angle and radius in the unstretched shape.</summary>
    private (float Theta, float Radius) ToLesion(float u, float v)
    {
        float dx = u - _scene.LesionX, dy = v - _scene.LesionY;
        float cos = MathF.Cos(_scene.LesionRotation), sin = MathF.Sin(_scene.LesionRotation);
        float lx = ((dx * cos) + (dy * sin)) / _scene.LesionElongation;
        float ly = (-dx * sin) + (dy * cos);
        return (MathF.Atan2(ly, lx), MathF.Sqrt((lx * lx) + (ly * ly)));
    }

    private RectangleF MeasureTruth()
    {
        float isoWidth = _scene.Width * _scene.PixelAspect;
        float cos = MathF.Cos(_scene.LesionRotation), sin = MathF.Sin(_scene.LesionRotation);
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        for (int i = 0; i < 2048; i++)
        {
            float theta = i * 2 * MathF.PI / 2048;
            float r = LesionBoundary(theta);
            float lx = r * MathF.Cos(theta) * _scene.LesionElongation, ly = r * MathF.Sin(theta);
            float x = _scene.LesionX + (lx * cos) - (ly * sin), y = _scene.LesionY + (lx * sin) + (ly * cos);
            minX = Math.Min(minX, x);
            maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y);
            maxY = Math.Max(maxY, y);
        }

        minX = Math.Max(minX, 0);
        minY = Math.Max(minY, 0);
        maxX = Math.Min(maxX, isoWidth);
        maxY = Math.Min(maxY, _scene.Height);
        return new RectangleF(minX / isoWidth, minY / _scene.Height, (maxX - minX) / isoWidth, (maxY - minY) / _scene.Height);
    }

    private float[] Draw(Random random)
    {
        int width = _scene.Width, height = _scene.Height;
        float aspect = _scene.PixelAspect;
        var waves = new (float Kx, float Ky, float Phase, float Amplitude)[8];
        for (int w = 0; w < waves.Length; w++)
        {
            // Skin furrows and pigment network: wavelengths of 2.5..6 map pixels (30..70 pixels of a 1080p frame).
            float wavelength = 2.5f + (3.5f * (float)random.NextDouble()), direction = (float)(random.NextDouble() * Math.PI);
            float k = 2 * MathF.PI / wavelength;
            waves[w] = (k * MathF.Cos(direction), k * MathF.Sin(direction), (float)(random.NextDouble() * 2 * Math.PI), _scene.Texture / 2);
        }

        float lesionReach = _scene.LesionRadius * _scene.LesionElongation * 1.6f;
        float hairReach = _scene.HairWidth + 1.5f;
        var image = new float[width * height];
        var nearHairs = new List<int>();
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float pu = (x + 0.5f) * aspect, pv = y + 0.5f;
                nearHairs.Clear();
                for (int s = 0; s < _hairSegments.Count; s++)
                {
                    (float x0, float y0, float x1, float y1) = _hairSegments[s];
                    if (pu >= Math.Min(x0, x1) - hairReach - aspect && pu <= Math.Max(x0, x1) + hairReach + aspect
                        && pv >= Math.Min(y0, y1) - hairReach - 1 && pv <= Math.Max(y0, y1) + hairReach + 1)
                    {
                        nearHairs.Add(s);
                    }
                }

                bool nearLesion = _scene.HasLesion && MathF.Abs(pu - _scene.LesionX) < lesionReach && MathF.Abs(pv - _scene.LesionY) < lesionReach;
                float sum = 0;
                for (int sy = 0; sy < Supersampling; sy++)
                {
                    for (int sx = 0; sx < Supersampling; sx++)
                    {
                        float u = (x + ((sx + 0.5f) / Supersampling)) * aspect, v = y + ((sy + 0.5f) / Supersampling);
                        sum += Sample(u, v, waves, nearLesion, nearHairs);
                    }
                }

                image[(y * width) + x] = sum / (Supersampling * Supersampling);
            }
        }

        BoxBlur(image, width, height, _scene.BlurRadius);
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = Math.Clamp(image[i] * _scene.Gain, 0, 1);
        }

        return image;
    }

    private float Sample(float u, float v, (float Kx, float Ky, float Phase, float Amplitude)[] waves, bool nearLesion, List<int> nearHairs)
    {
        float texture = 1;
        foreach ((float kx, float ky, float phase, float amplitude) in waves)
        {
            texture += amplitude * MathF.Sin((kx * u) + (ky * v) + phase);
        }

        float value = _scene.SkinLuminance * texture;
        if (nearLesion)
        {
            (float theta, float radius) = ToLesion(u, v);
            if (radius <= LesionBoundary(theta))
            {
                value = _scene.LesionLuminance * texture * (1 + (0.1f * MathF.Sin((0.7f * u) + (0.5f * v))));
            }
        }

        foreach (int s in nearHairs)
        {
            (float x0, float y0, float x1, float y1) = _hairSegments[s];
            if (DistanceToSegment(u, v, x0, y0, x1, y1) <= _scene.HairWidth / 2)
            {
                value = _scene.HairLuminance;
                break;
            }
        }

        if (_scene.Scope)
        {
            float dx = u - _scene.ScopeX, dy = v - _scene.ScopeY;
            float d = MathF.Sqrt((dx * dx) + (dy * dy));
            if (d > _scene.ScopeRadius)
            {
                return 0.02f;
            }

            float t = Math.Clamp((d - (0.7f * _scene.ScopeRadius)) / (0.3f * _scene.ScopeRadius), 0, 1);
            value *= 1 - (_scene.VignetteStrength * t * t * (3 - (2 * t)));
        }

        return value;
    }

    private static float DistanceToSegment(float u, float v, float x0, float y0, float x1, float y1)
    {
        float dx = x1 - x0, dy = y1 - y0;
        float t = Math.Clamp((((u - x0) * dx) + ((v - y0) * dy)) / Math.Max((dx * dx) + (dy * dy), 1e-6f), 0, 1);
        float ex = u - (x0 + (t * dx)), ey = v - (y0 + (t * dy));
        return MathF.Sqrt((ex * ex) + (ey * ey));
    }

    private static void BoxBlur(float[] image, int width, int height, int radius)
    {
        if (radius <= 0)
        {
            return;
        }

        var temp = new float[image.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    sum += image[(y * width) + Math.Clamp(x + k, 0, width - 1)];
                }

                temp[(y * width) + x] = sum / ((2 * radius) + 1);
            }
        }

        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    sum += temp[(Math.Clamp(y + k, 0, height - 1) * width) + x];
                }

                image[(y * width) + x] = sum / ((2 * radius) + 1);
            }
        }
    }
}
