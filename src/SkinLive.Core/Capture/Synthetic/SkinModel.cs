using System.Numerics;

namespace SkinLive.Capture.Synthetic;

/// <summary>Skin around a lesion: a tone from very light to brown, low-frequency mottling, fine grain and faint creases.</summary>
internal sealed class SkinModel
{
    private readonly Vector3 _tone;
    private readonly Vector3 _flush;
    private readonly float _mottle;
    private readonly float _grain;
    private readonly float _creases;
    private readonly float _creaseCos;
    private readonly float _creaseSin;
    private readonly uint _seed;

    private SkinModel(ref SynthRandom rng)
    {
        var light = new Vector3(0.94f, 0.79f, 0.71f);
        var medium = new Vector3(0.8f, 0.6f, 0.48f);
        var dark = new Vector3(0.56f, 0.39f, 0.29f);
        float t = rng.NextFloat();
        Vector3 tone = t < 0.7f ? Vector3.Lerp(light, medium, t / 0.7f) : Vector3.Lerp(medium, dark, (t - 0.7f) / 0.3f);
        float brightness = 1f + (rng.Gaussian() * 0.04f);
        _tone = Vector3.Clamp(tone * brightness * new Vector3(1f + (rng.Gaussian() * 0.02f), 1f, 1f + (rng.Gaussian() * 0.02f)), Vector3.Zero, Vector3.One);
        _flush = _tone * new Vector3(1.04f, 0.84f, 0.86f);
        _mottle = rng.Range(0.02f, 0.08f);
        _grain = rng.Range(0.01f, 0.04f);
        _creases = rng.Range(0f, 0.08f);
        float angle = rng.Range(0, MathF.PI);
        _creaseCos = MathF.Cos(angle);
        _creaseSin = MathF.Sin(angle);
        _seed = rng.NextUInt32();
    }

    public static SkinModel Sample(ulong seed)
    {
        var rng = new SynthRandom(SynthRandom.Derive(seed, 0x5C1));
        return new SkinModel(ref rng);
    }

    public Vector3 Shade(float sx, float sy)
    {
        float mottle = Noise.Fbm(sx * 5f, sy * 5f, _seed, 3);
        float flush = Noise.SmoothStep(0.1f, 0.5f, Noise.Value((sx * 2.5f) + 7f, sy * 2.5f, _seed + 1));
        float grain = Noise.Value(sx * 70f, sy * 70f, _seed + 2);
        float along = (sx * _creaseCos) + (sy * _creaseSin);
        float across = (-sx * _creaseSin) + (sy * _creaseCos);
        float crease = 1f - Noise.SmoothStep(0.02f, 0.08f, MathF.Abs(Noise.Value(along * 4f, across * 16f, _seed + 3)));
        Vector3 colour = Vector3.Lerp(_tone, _flush, flush * 0.45f);
        return colour * (1f + (_mottle * mottle) + (_grain * grain) - (_creases * crease));
    }
}
