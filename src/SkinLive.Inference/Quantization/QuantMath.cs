namespace SkinLive.Inference.Quantization;

/// <summary>Scale and zero point of one quantized tensor or channel: real = (q - ZeroPoint) * Scale.</summary>
public readonly record struct QuantParams(float Scale, int ZeroPoint);

/// <summary>
/// The arithmetic of ONNX QuantizeLinear/DequantizeLinear: weights per output channel as symmetric int8
/// ([-127, 127], zero point 0, so integer kernels need no weight offset), activations per tensor as asymmetric uint8,
/// bias as int32 at scale input-scale × weight-scale. Rounding is half to even, as QuantizeLinear does.
/// </summary>
public static class QuantMath
{
    public const int Int8SymmetricMax = 127;

    /// <summary>Per-channel symmetric int8 parameters (scale = max |w| / 127 over the channel, zero point 0).</summary>
    /// <param name="weights">The weight in row-major order.</param>
    /// <param name="dims">The weight's shape.</param>
    /// <param name="axis">The output-channel axis (0 for Conv, the column axis for a Gemm/MatMul weight).</param>
    public static QuantParams[] Int8PerChannel(ReadOnlySpan<float> weights, long[] dims, int axis)
    {
        int channels = checked((int)dims[axis]);
        var absMax = new float[channels];
        long inner = 1;
        for (int d = axis + 1; d < dims.Length; d++)
        {
            inner *= dims[d];
        }

        for (int i = 0; i < weights.Length; i++)
        {
            int channel = (int)(i / inner % channels);
            absMax[channel] = Math.Max(absMax[channel], Math.Abs(weights[i]));
        }

        var result = new QuantParams[channels];
        for (int c = 0; c < channels; c++)
        {
            // An all-zero channel still needs a positive scale; any value dequantizes 0 to 0.
            result[c] = new QuantParams(absMax[c] > 0 ? absMax[c] / Int8SymmetricMax : 1f, 0);
        }

        return result;
    }

    /// <summary>Quantizes a weight with per-channel parameters along <paramref name="axis"/>.</summary>
    public static sbyte[] QuantizeInt8PerChannel(ReadOnlySpan<float> weights, long[] dims, int axis, QuantParams[] channels)
    {
        long inner = 1;
        for (int d = axis + 1; d < dims.Length; d++)
        {
            inner *= dims[d];
        }

        var q = new sbyte[weights.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            QuantParams p = channels[(int)(i / inner % channels.Length)];
            q[i] = (sbyte)Math.Clamp(MathF.Round(weights[i] / p.Scale) + p.ZeroPoint, -Int8SymmetricMax, Int8SymmetricMax);
        }

        return q;
    }

    /// <summary>
    /// Asymmetric uint8 parameters covering [<paramref name="low"/>, <paramref name="high"/>] widened to include 0,
    /// so that 0 (padding, ReLU) is exact.
    /// </summary>
    public static QuantParams UInt8Asymmetric(float low, float high)
    {
        float rmin = Math.Min(low, 0f), rmax = Math.Max(high, 0f);
        if (rmax - rmin <= 0f || !float.IsFinite(rmax - rmin))
        {
            return new QuantParams(1f, 0);
        }

        float scale = (rmax - rmin) / byte.MaxValue;
        int zeroPoint = (int)Math.Clamp(MathF.Round(-rmin / scale), 0, byte.MaxValue);
        return new QuantParams(scale, zeroPoint);
    }

    /// <summary>Asymmetric uint8 parameters of a whole weight tensor (the dynamic recipe's per-tensor QUInt8).</summary>
    public static QuantParams UInt8Asymmetric(ReadOnlySpan<float> values)
    {
        float low = 0f, high = 0f;
        foreach (float v in values)
        {
            low = Math.Min(low, v);
            high = Math.Max(high, v);
        }

        return UInt8Asymmetric(low, high);
    }

    public static byte[] QuantizeUInt8(ReadOnlySpan<float> values, QuantParams p)
    {
        var q = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            q[i] = (byte)Math.Clamp(MathF.Round(values[i] / p.Scale) + p.ZeroPoint, 0, byte.MaxValue);
        }

        return q;
    }

    /// <summary>Bias as int32 at scale <paramref name="inputScale"/> × the channel's weight scale (zero point 0).</summary>
    public static int[] QuantizeBias(ReadOnlySpan<float> bias, float inputScale, QuantParams[] weightChannels, out float[] scales)
    {
        scales = new float[bias.Length];
        var q = new int[bias.Length];
        for (int c = 0; c < bias.Length; c++)
        {
            scales[c] = inputScale * weightChannels[weightChannels.Length == 1 ? 0 : c].Scale;
            q[c] = (int)Math.Clamp(Math.Round((double)bias[c] / scales[c], MidpointRounding.ToEven), int.MinValue, int.MaxValue);
        }

        return q;
    }
}
