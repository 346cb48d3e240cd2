using System.Text.Json.Nodes;
using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;

namespace SkinLive.Tests.Inference.Quantization;

public class ManifestQuantizationTests
{
    [Theory]
    [InlineData("""{"mode": "static", "kept_fp32": ["/stem/"], "agreement": 0.994}""", null)]
    [InlineData("""{"mode": "int4"}""", "quantization mode 'int4' is neither 'static' nor 'dynamic'")]
    [InlineData("""{"mode": "dynamic", "agreement": 1.5}""", "agreement 1.5 is not a fraction from 0 to 1")]
    public void Manifest_quantization_block_is_read_and_checked(string block, string? error)
    {
        using TempDir temp = InferenceFixtures.Temp();
        string model = temp.File("tiny.onnx");
        File.Copy(InferenceFixtures.File("tiny.onnx"), model);
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(InferenceFixtures.File("tiny.json")))!;
        manifest["quantization"] = JsonNode.Parse(block);
        File.WriteAllText(temp.File("tiny.json"), manifest.ToJsonString());

        if (error is null)
        {
            using OnnxClassifier classifier = OnnxClassifier.Load(model);
            Assert.Equal("static", classifier.Model.Quantization!.Mode);
            Assert.Equal(["/stem/"], classifier.Model.Quantization.KeptFp32);
            Assert.Equal(0.994, classifier.Model.Quantization.Agreement);
        }
        else
        {
            var ex = Assert.Throws<ModelLoadException>(() => OnnxClassifier.Load(model));
            Assert.Contains(error, ex.Message, StringComparison.Ordinal);
        }
    }
}
