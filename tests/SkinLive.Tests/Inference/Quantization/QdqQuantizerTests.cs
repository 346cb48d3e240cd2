using SkinLive.Inference.Quantization;

namespace SkinLive.Tests.Inference.Quantization;

public class QdqQuantizerTests
{
    /// <summary>
    /// Tolerance for the tiny model's logits: 8-bit activations through five quantized layers should keep each
    /// logit within 5 % of the spread of the FP32 logits; a wrong scale, zero point or axis is far outside it.
    /// </summary>
    private const float RelativeTolerance = 0.05f;

    [Fact]
    public void Static_model_loads_in_ort_fuses_to_integer_kernels_and_agrees_with_fp32()
    {
        OnnxGraph fp32 = OnnxGraph.Load(QuantizationFixtures.TinyPath);
        IReadOnlyList<float[]> calibration = QuantizationFixtures.Inputs(16, seed: 1);
        IReadOnlyList<float[]> test = QuantizationFixtures.Inputs(16, seed: 2);
        OnnxGraph int8 = QdqQuantizer.Quantize(fp32, QuantizationFixtures.MinMaxRanges(fp32, calibration), []);

        HashSet<string> written = [.. int8.Graph.Node.Select(n => n.OpType)];
        Assert.Contains("QuantizeLinear", written);
        Assert.Contains("DequantizeLinear", written);
        Assert.Contains("HardSwish", written);
        Assert.DoesNotContain(int8.Graph.Initializer, t => t.DataType == (int)Onnx.TensorProto.Types.DataType.Float && t.Dims.Count == 4);

        HashSet<string> executed = QuantizationFixtures.OptimizedOpTypes(int8.ToBytes());
        Assert.Contains("QLinearConv", executed);
        Assert.DoesNotContain("Conv", executed);

        float[][] expected = QuantizationFixtures.Run(fp32.ToBytes(), test);
        float[][] actual = QuantizationFixtures.Run(int8.ToBytes(), test);
        for (int i = 0; i < test.Count; i++)
        {
            float spread = expected[i].Max() - expected[i].Min();
            for (int c = 0; c < expected[i].Length; c++)
            {
                Assert.InRange(actual[i][c], expected[i][c] - (RelativeTolerance * spread), expected[i][c] + (RelativeTolerance * spread));
            }
        }
    }

    [Fact]
    public void Kept_prefix_leaves_that_conv_fp32_with_its_float_weight()
    {
        OnnxGraph fp32 = OnnxGraph.Load(QuantizationFixtures.TinyPath);
        var ranges = QuantizationFixtures.MinMaxRanges(fp32, QuantizationFixtures.Inputs(4, seed: 1));
        OnnxGraph mixed = QdqQuantizer.Quantize(fp32, ranges, ["/stem/"]);

        Onnx.NodeProto stem = mixed.Graph.Node.Single(n => n.Name == "/stem/stem.0/Conv");
        Assert.NotNull(mixed.Initializer(stem.Input[1]));
        Assert.Equal(["/expand/expand.0/Conv", "/depthwise/depthwise.0/Conv", "/project/project.0/Conv", "/Add", "/head/Gemm"], QdqQuantizer.QuantizedNodes(fp32, ["/stem/"]));
        Assert.Equal(QuantizationFixtures.Run(fp32.ToBytes(), [new float[3 * 32 * 32]])[0].Length, QuantizationFixtures.Run(mixed.ToBytes(), [new float[3 * 32 * 32]])[0].Length);
    }

    [Fact]
    public void Missing_range_is_one_sentence()
    {
        OnnxGraph fp32 = OnnxGraph.Load(QuantizationFixtures.TinyPath);
        var ex = Assert.Throws<QuantizationException>(() => QdqQuantizer.Quantize(fp32, new Dictionary<string, (float, float)>(), []));
        Assert.StartsWith("no calibrated range for tensor input", ex.Message);
    }
}
