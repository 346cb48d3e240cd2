using SkiaSharp;
using SkinLive.Frames;
using SkinLive.Preprocessing;

namespace SkinLive.Tests.Gpu;

/// <summary>
/// The GPU tensor against torchvision's own preprocessing (PIL bilinear resize of the uint8 image, ÷255,
/// ImageNet normalize). Fixtures are made by Fixtures/Gpu/make_pil_fixtures.py with Debian's python3-pil.
/// </summary>
public sealed class PilParityTests
{
    private const double MaxTolerance = 0.03;
    private const double MeanTolerance = 0.008;

    [Theory]
    [InlineData("lesion_600x450")]
    [InlineData("hairy_1920x1080")]
    [InlineData("small_97x61")]
    public void Gpu_tensor_matches_pil_bilinear_resize(string name)
    {
        (Frame frame, float[] pil) = Load(name);
        float[] gpu = GpuPreprocessingTests.GpuTensor(frame, RectangleF.Unit, PreprocessSpec.ImageNet());
        (double max, double mean) = TensorDiff.Compare(gpu, pil);
        Assert.True(max <= MaxTolerance && mean <= MeanTolerance, $"{name}: max {max:G4}, mean {mean:G4} from PIL");
    }

    [Theory]
    [InlineData("lesion_600x450")]
    [InlineData("hairy_1920x1080")]
    [InlineData("small_97x61")]
    public void Cpu_reference_in_pil_uint8_mode_reproduces_pil_exactly(string name)
    {
        (Frame frame, float[] pil) = Load(name);
        var tensor = new float[pil.Length];
        new CpuPreprocessor(PreprocessSpec.ImageNet(), pilUint8: true).Process(frame, RectangleF.Unit, tensor);
        (double max, _) = TensorDiff.Compare(tensor, pil);
        Assert.True(max < 1e-5, $"{name}: max {max:G4} from PIL");
    }

    [Fact]
    public void Single_tap_bilinear_resize_misses_pil_on_a_1080p_downscale()
    {
        (Frame frame, float[] pil) = Load("hairy_1920x1080");
        float[] singleTap = SingleTapBilinear(frame, PreprocessSpec.ImageNet());
        (double max, double mean) = TensorDiff.Compare(singleTap, pil);
        Assert.True(max > MaxTolerance || mean > MeanTolerance, $"single-tap bilinear unexpectedly within tolerance: max {max:G4}, mean {mean:G4}");
    }

    internal static (Frame Frame, float[] Pil) Load(string name)
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Gpu");
        using SKBitmap decoded = SKBitmap.Decode(Path.Combine(directory, name + ".png"))
            ?? throw new InvalidOperationException($"Fixture {name}.png does not decode.");
        using var rgba = new SKBitmap(new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Assert.True(decoded.CopyTo(rgba, SKColorType.Rgba8888));
        Frame frame = Frame.Create(PixelFormat.Rgba8, decoded.Width, decoded.Height);
        rgba.GetPixelSpan().CopyTo(frame.Data);
        byte[] bytes = File.ReadAllBytes(Path.Combine(directory, name + ".pil.f32"));
        float[] pil = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, pil, 0, bytes.Length);
        return (frame, pil);
    }

    /// <summary>What a plain GPU texture() lookup does: one bilinear sample at each output pixel's centre.</summary>
    private static float[] SingleTapBilinear(Frame frame, PreprocessSpec spec)
    {
        int w = frame.Width, h = frame.Height;
        var rgb = new float[w * h * 3];
        CpuPreprocessor.ConvertToRgb(frame.ReadOnlyData, frame.Format, w, h, frame.Color, rgb);
        var tensor = new float[spec.ElementCount];
        for (int y = 0; y < spec.Height; y++)
        {
            float sy = Math.Clamp((((y + 0.5f) * h) / spec.Height) - 0.5f, 0, h - 1);
            int y0 = (int)sy, y1 = Math.Min(y0 + 1, h - 1);
            float fy = sy - y0;
            for (int x = 0; x < spec.Width; x++)
            {
                float sx = Math.Clamp((((x + 0.5f) * w) / spec.Width) - 0.5f, 0, w - 1);
                int x0 = (int)sx, x1 = Math.Min(x0 + 1, w - 1);
                float fx = sx - x0;
                for (int c = 0; c < 3; c++)
                {
                    float top = (rgb[(((y0 * w) + x0) * 3) + c] * (1 - fx)) + (rgb[(((y0 * w) + x1) * 3) + c] * fx);
                    float bottom = (rgb[(((y1 * w) + x0) * 3) + c] * (1 - fx)) + (rgb[(((y1 * w) + x1) * 3) + c] * fx);
                    float v = (top * (1 - fy)) + (bottom * fy);
                    tensor[spec.IndexOf(c, y, x)] = ((v * 255f * spec.Scale) - spec.Mean[c]) / spec.Std[c];
                }
            }
        }

        return tensor;
    }
}
