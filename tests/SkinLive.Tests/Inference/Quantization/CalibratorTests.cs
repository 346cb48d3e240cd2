using SkinLive.Inference.Quantization;

namespace SkinLive.Tests.Inference.Quantization;

public class CalibratorTests
{
    [Fact]
    public void Ranges_of_the_input_and_an_intermediate_match_the_values_that_went_through()
    {
        OnnxGraph fp32 = OnnxGraph.Load(QuantizationFixtures.TinyPath);
        IReadOnlyList<float[]> inputs = QuantizationFixtures.Inputs(5, seed: 9);
        const string relu = "/expand/expand.2/Relu_output_0";
        Dictionary<string, TensorRange> ranges = Calibrator.Collect(fp32, ["input", relu, "logits"], QuantizationFixtures.TinyShape, inputs, CalibrationMethod.Percentile, threads: 1);

        // The input's range is exactly the min and max of the tensors handed in.
        Assert.Equal(inputs.Min(t => t.Min()), ranges["input"].Min);
        Assert.Equal(inputs.Max(t => t.Max()), ranges["input"].Max);
        Assert.Equal(5 * 3 * 32 * 32, ranges["input"].Count);

        // A ReLU output never goes below 0; the graph output is observed like any tensor.
        Assert.Equal(0f, ranges[relu].Min);
        Assert.True(ranges[relu].Max > 0);
        float[][] logits = QuantizationFixtures.Run(fp32.ToBytes(), inputs);
        Assert.Equal(logits.Min(l => l.Min()), ranges["logits"].Min, 1e-5f);
        Assert.Equal(logits.Max(l => l.Max()), ranges["logits"].Max, 1e-5f);
        Assert.Equal(5 * 7, ranges["logits"].Count);
    }
}
