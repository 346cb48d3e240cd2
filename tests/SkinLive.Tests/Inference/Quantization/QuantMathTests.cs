using SkinLive.Inference.Quantization;

namespace SkinLive.Tests.Inference.Quantization;

public class QuantMathTests
{
    [Fact]
    public void Conv_weight_gets_exact_symmetric_scales_and_zero_points_per_output_channel()
    {
        // Conv weight [2 out, 1 in, 2, 1]: channel 0 = {0.5, -1.27}, channel 1 = {0.254, 0.1}.
        float[] weight = [0.5f, -1.27f, 0.254f, 0.1f];
        long[] dims = [2, 1, 2, 1];
        QuantParams[] channels = QuantMath.Int8PerChannel(weight, dims, axis: 0);

        Assert.Equal([new QuantParams(1.27f / 127, 0), new QuantParams(0.254f / 127, 0)], channels);
        sbyte[] q = QuantMath.QuantizeInt8PerChannel(weight, dims, 0, channels);
        Assert.Equal(new sbyte[] { 50, -127, 127, 50 }, q);
    }

    [Fact]
    public void Gemm_weight_without_transpose_is_quantized_per_column()
    {
        // B is [K = 2, N = 3]; output channels are its columns (axis 1).
        float[] weight = [1f, -2f, 0f, -0.25f, 0.5f, 0f];
        QuantParams[] channels = QuantMath.Int8PerChannel(weight, [2, 3], axis: 1);
        Assert.Equal([new QuantParams(1f / 127, 0), new QuantParams(2f / 127, 0), new QuantParams(1f, 0)], channels);
        Assert.Equal(new sbyte[] { 127, -127, 0, -32, 32, 0 }, QuantMath.QuantizeInt8PerChannel(weight, [2, 3], 1, channels));
    }

    [Fact]
    public void Activation_range_is_widened_to_hold_zero_exactly()
    {
        // [-1, 3]: scale 4/255, zero point round(1 / (4/255)) = round(63.75) = 64.
        Assert.Equal(new QuantParams(4f / 255, 64), QuantMath.UInt8Asymmetric(-1f, 3f));

        // [0.5, 2] becomes [0, 2]: zero point 0 (a ReLU output).
        Assert.Equal(new QuantParams(2f / 255, 0), QuantMath.UInt8Asymmetric(0.5f, 2f));
        Assert.Equal(new QuantParams(1f, 0), QuantMath.UInt8Asymmetric(0f, 0f));
        Assert.Equal(new byte[] { 0, 64, 255, 255 }, QuantMath.QuantizeUInt8([-1f, 0f, 3f, 10f], new QuantParams(4f / 255, 64)));
    }

    [Fact]
    public void Bias_is_int32_at_input_scale_times_weight_scale()
    {
        int[] q = QuantMath.QuantizeBias([0.3f, -0.05f], 0.1f, [new QuantParams(0.01f, 0), new QuantParams(0.5f, 0)], out float[] scales);
        Assert.Equal([0.1f * 0.01f, 0.1f * 0.5f], scales);
        Assert.Equal([300, -1], q);
    }
}
