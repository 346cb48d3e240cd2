using SkinLive.Inference.Quantization;

namespace SkinLive.Tests.Inference.Quantization;

public class HardSwishFusionTests
{
    [Fact]
    public void Hard_sigmoid_times_input_becomes_one_hard_swish_with_the_same_output()
    {
        OnnxGraph fp32 = OnnxGraph.Load(QuantizationFixtures.TinyPath);
        OnnxGraph fused = fp32.Clone();
        Assert.Equal(1, HardSwishFusion.Apply(fused));

        Onnx.NodeProto hardSwish = fused.Graph.Node.Single(n => n.OpType == "HardSwish");
        Assert.Equal("/stem/stem.2/HardSwish", hardSwish.Name);
        Assert.DoesNotContain(fused.Graph.Node, n => n.OpType is "HardSigmoid" or "Mul");
        Assert.Equal(14, fused.Opset);

        IReadOnlyList<float[]> inputs = QuantizationFixtures.Inputs(4, seed: 5);
        float[][] expected = QuantizationFixtures.Run(fp32.ToBytes(), inputs);
        float[][] actual = QuantizationFixtures.Run(fused.ToBytes(), inputs);
        for (int i = 0; i < inputs.Count; i++)
        {
            Assert.All(expected[i].Zip(actual[i]), p => Assert.Equal(p.First, p.Second, 1e-4f));
        }
    }
}
