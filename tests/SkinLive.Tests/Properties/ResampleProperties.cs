using CsCheck;
using SkinLive.Frames;
using SkinLive.Preprocessing;

namespace SkinLive.Tests.Properties;

/// <summary>PIL's bilinear kernel (<see cref="ResampleKernel"/>) and the resize built on it, for random sizes and crops.</summary>
public sealed class ResampleProperties
{
    /// <summary>An axis of 1..2000 samples, a crop of it at least one sample wide (as PixelBox makes), 1..300 outputs.</summary>
    private static readonly Gen<(int InSize, double In0, double In1, int OutSize)> Axes =
        Gen.Select(Gen.Int[1, 2000], Gen.Double[0, 1], Gen.Double[0, 1], Gen.Int[1, 300], (inSize, a, b, outSize) =>
        {
            double in0 = Math.Min(a, b) * (inSize - 1);
            double in1 = Math.Max(in0 + 1, Math.Max(a, b) * inSize);
            return (inSize, in0, in1, outSize);
        });

    [Fact]
    public void Every_output_sample_has_taps_inside_the_axis_with_non_negative_weights_summing_to_one() =>
        Axes.Sample((inSize, in0, in1, outSize) =>
        {
            ResampleKernel kernel = ResampleKernel.Compute(inSize, in0, in1, outSize);
            for (int i = 0; i < outSize; i++)
            {
                int first = kernel.First[i], count = kernel.Count[i];
                Assert.True(count >= 1 && count <= kernel.MaxTaps, $"output {i} has {count} taps (max {kernel.MaxTaps})");
                Assert.True(first >= 0 && first + count <= inSize, $"output {i} reads [{first}, {first + count}) of {inSize}");
                double sum = 0;
                for (int t = 0; t < count; t++)
                {
                    float weight = kernel.Weights[(i * kernel.MaxTaps) + t];
                    Assert.True(weight >= 0, $"output {i} tap {t} weighs {weight}");
                    sum += weight;
                }

                Assert.True(Math.Abs(sum - 1) < 1e-5, $"output {i} weights sum to {sum}");
            }
        }, iter: 300);

    [Fact]
    public void A_constant_image_stays_constant_through_crop_resize_and_normalization() =>
        Gen.Select(Gen.Int[1, 64], Gen.Int[1, 64], Gen.Int[1, 40], Gen.Int[1, 40], Gen.Byte.Array[3], Gen.Float[0, 1].Array[4], Gen.Bool)
            .Sample((width, height, outWidth, outHeight, colour, roi, pilUint8) =>
            {
                var spec = new PreprocessSpec(outWidth, outHeight, TensorLayout.Nchw, ChannelOrder.Rgb, 1f / 255f, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
                Frame frame = Frame.Create(PixelFormat.Rgb24, width, height);
                for (int p = 0; p < width * height; p++)
                {
                    colour.CopyTo(frame.Data.Slice(3 * p, 3));
                }

                float[] tensor = new float[spec.ElementCount];
                new CpuPreprocessor(spec, pilUint8).Process(frame, new RectangleF(roi[0], roi[1], roi[2], roi[3]), tensor);
                for (int c = 0; c < 3; c++)
                {
                    float expected = ((colour[c] / 255f) - spec.Mean[c]) / spec.Std[c];
                    for (int y = 0; y < outHeight; y++)
                    {
                        for (int x = 0; x < outWidth; x++)
                        {
                            float value = tensor[spec.IndexOf(c, y, x)];
                            Assert.True(Math.Abs(value - expected) < 1e-4, $"channel {c} ({x},{y}) is {value}, the constant {expected} (pil {pilUint8})");
                        }
                    }
                }
            }, iter: 200);
}
