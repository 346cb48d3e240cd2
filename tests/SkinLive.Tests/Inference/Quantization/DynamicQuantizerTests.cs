using SkinLive.Inference.Quantization;

namespace SkinLive.Tests.Inference.Quantization;

public class DynamicQuantizerTests
{
    [Fact]
    public void Every_conv_becomes_conv_integer_and_the_model_agrees_with_fp32()
    {
        OnnxGraph fp32 = OnnxGraph.Load(QuantizationFixtures.TinyPath);
        OnnxGraph dynamic = DynamicQuantizer.Quantize(fp32, []);

        Assert.Equal(4, dynamic.Graph.Node.Count(n => n.OpType == "ConvInteger"));
        Assert.Equal(4, dynamic.Graph.Node.Count(n => n.OpType == "DynamicQuantizeLinear"));
        Assert.DoesNotContain(dynamic.Graph.Node, n => n.OpType == "Conv");
        Assert.Single(dynamic.Graph.Node, n => n.OpType == "Gemm");
        Assert.All(dynamic.Graph.Initializer.Where(t => t.Dims.Count == 4 && t.Name.EndsWith("_quantized", StringComparison.Ordinal)),
            t => Assert.Equal((int)Onnx.TensorProto.Types.DataType.Uint8, t.DataType));

        // Weight-only uint8 with per-run activation ranges: top-1 matches FP32 on these inputs, logits within 10 %
        // of their spread.
        IReadOnlyList<float[]> test = QuantizationFixtures.Inputs(16, seed: 3);
        float[][] expected = QuantizationFixtures.Run(fp32.ToBytes(), test);
        float[][] actual = QuantizationFixtures.Run(dynamic.ToBytes(), test);
        for (int i = 0; i < test.Count; i++)
        {
            float spread = expected[i].Max() - expected[i].Min();
            Assert.All(expected[i].Zip(actual[i]), p => Assert.InRange(p.Second, p.First - (0.1f * spread), p.First + (0.1f * spread)));
        }
    }
}
