namespace SkinLive.Preprocessing;

/// <summary>
/// PIL's bilinear resampling coefficients (Resample.c, precompute_coeffs): a triangle filter whose support
/// grows with the downscale factor, taps clamped to the image and normalized to sum 1. This is what
/// torchvision's Resize does to a PIL image; the preprocess shader evaluates the same formula.
/// </summary>
public sealed class ResampleKernel
{
    private readonly double[] _exactWeights;

    private ResampleKernel(int outSize, int maxTaps)
    {
        First = new int[outSize];
        Count = new int[outSize];
        MaxTaps = maxTaps;
        Weights = new float[outSize * maxTaps];
        _exactWeights = new double[outSize * maxTaps];
    }

    /// <summary>First source index of each output sample.</summary>
    public int[] First { get; }

    /// <summary>Number of taps of each output sample.</summary>
    public int[] Count { get; }

    /// <summary>Weights, <see cref="MaxTaps"/> per output sample.</summary>
    public float[] Weights { get; }

    public int MaxTaps { get; }

    /// <summary>Coefficients to resample source span [<paramref name="in0"/>, <paramref name="in1"/>) of an axis of
    /// <paramref name="inSize"/> samples into <paramref name="outSize"/> samples.</summary>
    public static ResampleKernel Compute(int inSize, double in0, double in1, int outSize)
    {
        double scale = (in1 - in0) / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = filterScale;
        int maxTaps = ((int)Math.Ceiling(support) * 2) + 1;
        var kernel = new ResampleKernel(outSize, maxTaps);
        double inverse = 1.0 / filterScale;
        for (int i = 0; i < outSize; i++)
        {
            double center = in0 + ((i + 0.5) * scale);
            int first = Math.Max((int)(center - support + 0.5), 0);
            int last = Math.Min((int)(center + support + 0.5), inSize);
            int count = Math.Max(last - first, 0);
            double sum = 0;
            Span<double> w = kernel._exactWeights.AsSpan(i * maxTaps, maxTaps);
            for (int t = 0; t < count; t++)
            {
                w[t] = Triangle((t + first - center + 0.5) * inverse);
                sum += w[t];
            }

            for (int t = 0; t < count; t++)
            {
                w[t] = sum != 0 ? w[t] / sum : w[t];
                kernel.Weights[(i * maxTaps) + t] = (float)w[t];
            }

            kernel.First[i] = first;
            kernel.Count[i] = count;
        }

        return kernel;
    }

    /// <summary>
    /// The weights in fixed point with <paramref name="precisionBits"/> fraction bits, rounded half away from zero
    /// from the double coefficients, as PIL's normalize_coeffs_8bpc does for 8-bit images.
    /// </summary>
    public int[] ToFixedPoint(int precisionBits)
    {
        var fixedPoint = new int[_exactWeights.Length];
        double one = 1 << precisionBits;
        for (int i = 0; i < fixedPoint.Length; i++)
        {
            double w = _exactWeights[i] * one;
            fixedPoint[i] = (int)(w < 0 ? w - 0.5 : w + 0.5);
        }

        return fixedPoint;
    }

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }
}
