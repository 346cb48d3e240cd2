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
        int maxTaps = TapsFor((in1 - in0) / outSize);
        var kernel = new ResampleKernel(outSize, maxTaps);
        Fill(inSize, in0, in1, outSize, maxTaps, kernel.First, kernel.Count, kernel._exactWeights);
        for (int i = 0; i < kernel.Weights.Length; i++)
        {
            kernel.Weights[i] = (float)kernel._exactWeights[i];
        }

        return kernel;
    }

    /// <summary>Taps an output sample can need when <paramref name="scale"/> source samples map to one output sample.</summary>
    internal static int TapsFor(double scale) => ((int)Math.Ceiling(Math.Max(scale, 1.0)) * 2) + 1;

    /// <summary>
    /// <see cref="Compute"/> into caller-owned buffers (<paramref name="stride"/> ≥ <see cref="TapsFor"/> weights per
    /// output, unused ones zeroed), so a caller whose crop moves every frame recomputes without allocating.
    /// </summary>
    internal static void Fill(int inSize, double in0, double in1, int outSize, int stride, Span<int> first, Span<int> count, Span<double> weights)
    {
        double scale = (in1 - in0) / outSize;
        double support = Math.Max(scale, 1.0);
        double inverse = 1.0 / support;
        for (int i = 0; i < outSize; i++)
        {
            double center = in0 + ((i + 0.5) * scale);
            int start = Math.Max((int)(center - support + 0.5), 0);
            int end = Math.Min((int)(center + support + 0.5), inSize);
            int taps = Math.Max(end - start, 0);
            double sum = 0;
            Span<double> w = weights.Slice(i * stride, stride);
            w.Clear();
            for (int t = 0; t < taps; t++)
            {
                w[t] = Triangle((t + start - center + 0.5) * inverse);
                sum += w[t];
            }

            for (int t = 0; t < taps; t++)
            {
                w[t] = sum != 0 ? w[t] / sum : w[t];
            }

            first[i] = start;
            count[i] = taps;
        }
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
