using System.Numerics;
using SkinLive.Frames;

namespace SkinLive.Capture.Synthetic;

/// <summary>
/// One still picture to draw. The lesion (its class model and the patient's skin) comes from
/// <paramref name="LesionSeed"/>; everything about how it was photographed (pose, light, blur, hair, vignette,
/// sensor noise) comes from <paramref name="ViewSeed"/>, so several views of one lesion share a lesion seed.
/// Hair, blur and vignette are drawn at random unless forced on or off here.
/// </summary>
public readonly record struct StillRequest(int Width, int Height, int ClassIndex, ulong LesionSeed, ulong ViewSeed)
{
    public bool? Vignette { get; init; }

    public bool? Hair { get; init; }

    public bool? Blur { get; init; }

    /// <summary>False draws the same picture without the lesion (the ground-truth tests compare the two).</summary>
    public bool DrawLesion { get; init; } = true;
}

/// <summary>
/// The synthetic dermatoscope's still renderer: procedural skin, a lesion of a HAM10000 class and the nuisances of
/// a real photograph, deterministic for its seeds. Reuses its working buffers between calls; one instance per
/// thread.
/// </summary>
public sealed class SyntheticDermatoscope
{
    private readonly SceneCanvas _canvas = new();

    /// <summary>
    /// Draws <paramref name="request"/> into <paramref name="destination"/> (tightly packed <see cref="PixelFormat.Rgba8"/>
    /// or <see cref="PixelFormat.Rgb24"/>) and returns the ground truth: the class and the lesion's box in normalized
    /// units, which encloses every pixel the lesion changed.
    /// </summary>
    public GroundTruth RenderStill(in StillRequest request, Span<byte> destination, PixelFormat format)
    {
        if (format is not (PixelFormat.Rgba8 or PixelFormat.Rgb24))
        {
            throw new ArgumentException($"Stills are drawn as Rgba8 or Rgb24, not {format}.", nameof(format));
        }

        int width = request.Width;
        int height = request.Height;
        int bytes = PixelFormats.FrameBytes(format, width, height);
        if (destination.Length < bytes)
        {
            throw new ArgumentException($"A {width}x{height} {format} picture needs {bytes} bytes; the buffer has {destination.Length}.", nameof(destination));
        }

        SkinModel skin = SkinModel.Sample(request.LesionSeed);
        LesionModel lesion = LesionModel.Sample(request.ClassIndex, request.LesionSeed);

        // Every view draw happens in the same order whatever the request forces, so forcing one nuisance
        // leaves the others as they were.
        var rng = new SynthRandom(SynthRandom.Derive(request.ViewSeed, 0x71E));
        float side = Math.Min(width, height);
        float zoom = rng.Range(0.8f, 1.25f);
        float rotation = rng.Range(0, 2 * MathF.PI);
        float centreX = width * (0.5f + rng.Range(-0.12f, 0.12f));
        float centreY = height * (0.5f + rng.Range(-0.1f, 0.1f));
        var lighting = Lighting.Sample(ref rng);
        bool hair = rng.Chance(0.45f);
        int hairCount = rng.Next(2, 30);
        ulong hairSeed = rng.NextUInt64();
        bool blur = rng.Chance(0.35f);
        int blurRadius = Math.Max(1, (int)MathF.Round(rng.Range(0.6f, 2.2f) * side / 450f));
        bool vignette = rng.Chance(0.35f);
        var scope = new Vignette(
            (width * 0.5f) + (rng.Gaussian() * 0.03f * width),
            (height * 0.5f) + (rng.Gaussian() * 0.03f * height),
            rng.Range(0.47f, 0.6f) * Math.Max(width, height),
            rng.Range(0.03f, 0.1f),
            rng.Range(0f, 0.05f));
        float sensorNoise = rng.Range(0.004f, 0.02f);
        float blockNoise = rng.Range(0f, 0.012f);
        uint noiseSeed = rng.NextUInt32();

        // Keep the largest lesions from filling the frame; the softest border still fits.
        float scale = Math.Min(side * zoom, 0.42f * side / (lesion.Radius * lesion.Aspect));
        var view = new SceneView(scale, rotation, centreX, centreY);
        SceneRenderer.Render(_canvas, width, height, skin, request.DrawLesion ? lesion : null, view);
        lighting.Apply(_canvas);
        if (request.Hair ?? hair)
        {
            SceneRenderer.DrawHair(_canvas, hairSeed, hairCount, side);
        }

        bool blurred = request.Blur ?? blur;
        if (blurred)
        {
            _canvas.Blur(blurRadius);
        }

        if (request.Vignette ?? vignette)
        {
            scope.Apply(_canvas);
        }

        WritePixels(_canvas, destination, format, sensorNoise, blockNoise, noiseSeed);

        if (!request.DrawLesion || !SceneRenderer.LesionBounds(_canvas, out int minX, out int minY, out int maxX, out int maxY))
        {
            return GroundTruth.None;
        }

        int spread = blurred ? 2 * blurRadius : 0;
        int left = Math.Max(0, minX - spread);
        int top = Math.Max(0, minY - spread);
        int right = Math.Min(width, maxX + 1 + spread);
        int bottom = Math.Min(height, maxY + 1 + spread);
        var box = new RectangleF(left / (float)width, top / (float)height, (right - left) / (float)width, (bottom - top) / (float)height);
        return new GroundTruth(true, request.ClassIndex, box);
    }

    private static void WritePixels(SceneCanvas canvas, Span<byte> destination, PixelFormat format, float sensorNoise, float blockNoise, uint seed)
    {
        int channels = format == PixelFormat.Rgba8 ? 4 : 3;
        float[] rgb = canvas.Rgb;
        for (int y = 0; y < canvas.Height; y++)
        {
            for (int x = 0; x < canvas.Width; x++)
            {
                int p = (y * canvas.Width) + x;
                // Sensor grain per pixel and a faint 8×8 block offset, like a compressed camera stream.
                float block = Noise.Signed(x >> 3, y >> 3, seed + 1) * blockNoise;
                int o = p * channels;
                for (int c = 0; c < 3; c++)
                {
                    float v = rgb[(p * 3) + c] + block + (Noise.Signed(x, y, seed + 2 + (uint)c) * sensorNoise);
                    destination[o + c] = ToByte(v);
                }

                if (channels == 4)
                {
                    destination[o + 3] = 255;
                }
            }
        }
    }

    internal static byte ToByte(float value) => (byte)Math.Clamp((int)((value * 255f) + 0.5f), 0, 255);

    /// <summary>Uneven illumination: a global gain, a linear gradient across the frame and a slight colour cast.</summary>
    private readonly record struct Lighting(float Gain, float GradientX, float GradientY, Vector3 Cast)
    {
        public static Lighting Sample(ref SynthRandom rng)
        {
            float gain = rng.Range(0.72f, 1.15f);
            float strength = rng.Range(0f, 0.3f);
            float direction = rng.Range(0, 2 * MathF.PI);
            var cast = new Vector3(1f + (rng.Gaussian() * 0.04f), 1f, 1f + (rng.Gaussian() * 0.05f));
            return new Lighting(gain, strength * MathF.Cos(direction), strength * MathF.Sin(direction), cast);
        }

        public void Apply(SceneCanvas canvas)
        {
            float side = Math.Min(canvas.Width, canvas.Height);
            float cx = canvas.Width * 0.5f;
            float cy = canvas.Height * 0.5f;
            float[] rgb = canvas.Rgb;
            for (int y = 0; y < canvas.Height; y++)
            {
                for (int x = 0; x < canvas.Width; x++)
                {
                    float g = Gain * (1f + ((((x - cx) * GradientX) + ((y - cy) * GradientY)) / side));
                    int i = ((y * canvas.Width) + x) * 3;
                    rgb[i] *= g * Cast.X;
                    rgb[i + 1] *= g * Cast.Y;
                    rgb[i + 2] *= g * Cast.Z;
                }
            }
        }
    }

    /// <summary>The dark circular border of a contact dermatoscope's lens; Softness is a fraction of the radius.</summary>
    private readonly record struct Vignette(float CentreX, float CentreY, float Radius, float Softness, float Floor)
    {
        public void Apply(SceneCanvas canvas)
        {
            float[] rgb = canvas.Rgb;
            float inner = Radius * (1f - Softness);
            for (int y = 0; y < canvas.Height; y++)
            {
                for (int x = 0; x < canvas.Width; x++)
                {
                    float dx = x + 0.5f - CentreX;
                    float dy = y + 0.5f - CentreY;
                    float d = MathF.Sqrt((dx * dx) + (dy * dy));
                    if (d <= inner)
                    {
                        continue;
                    }

                    float f = Floor + ((1f - Floor) * (1f - Noise.SmoothStep(inner, Radius, d)));
                    int i = ((y * canvas.Width) + x) * 3;
                    rgb[i] *= f;
                    rgb[i + 1] *= f;
                    rgb[i + 2] *= f;
                }
            }
        }
    }
}
