using System.Text.Json.Nodes;
using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Preprocessing;

namespace SkinLive.Tests.Inference;

public class ModelLoadingTests
{
    private static readonly ClassifierOptions s_fast = new() { IntraOpThreads = 1, WarmUpRuns = 1 };

    [Fact]
    public void Sidecar_manifest_describes_the_model()
    {
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("tiny.onnx"), s_fast);
        ModelDescription model = classifier.Model;
        Assert.Equal("skinlive-test-tiny", model.Name);
        Assert.Equal("sidecar", model.ManifestSource);
        Assert.Equal("input", model.InputName);
        Assert.Equal([1L, 3, 32, 32], model.InputShape);
        Assert.Equal(7, model.ClassCount);
        Assert.Equal(["akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"], model.Labels.Select(l => l.Code));
        Assert.Equal(["akiec", "bcc", "mel"], model.Labels.Where(l => l.IsMalignant).Select(l => l.Code));
        Assert.True(model.OutputIsLogits);
        Assert.Empty(model.AssumedDefaults);
        Assert.Equal(32, model.Preprocess.Width);
        Assert.Equal(TensorLayout.Nchw, model.Preprocess.Layout);
        Assert.Equal(0.229f, model.Preprocess.Std[0]);
        string manifestSha = JsonNode.Parse(File.ReadAllText(InferenceFixtures.File("tiny.json")))!["sha256"]!.GetValue<string>();
        Assert.Equal(manifestSha, model.Sha256);
    }

    [Fact]
    public void Output_matches_pytorch_logits_on_the_reference_tensor()
    {
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("tiny.onnx"), s_fast);
        InferenceFixtures.FillPattern(classifier.Input(0));
        Assert.True(classifier.Run(0));
        float[] expected = JsonNode.Parse(File.ReadAllText(InferenceFixtures.File("tiny_reference.json")))!["logits"]!
            .AsArray().Select(v => v!.GetValue<float>()).ToArray();
        Assert.Equal(expected.Length, classifier.Output.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], classifier.Output[i], 1e-4f);
        }
    }

    [Fact]
    public void Manifest_in_metadata_props_is_used_without_a_sidecar()
    {
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("embedded.onnx"), s_fast);
        Assert.Equal("metadata", classifier.Model.ManifestSource);
        Assert.Equal("skinlive-test-embedded", classifier.Model.Name);
        Assert.Empty(classifier.Model.AssumedDefaults);
    }

    [Fact]
    public void Sidecar_wins_over_metadata_props()
    {
        using TempDir temp = InferenceFixtures.Temp();
        File.Copy(InferenceFixtures.File("embedded.onnx"), temp.File("m.onnx"));
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(InferenceFixtures.File("tiny.json")))!;
        manifest["name"] = "from-sidecar";
        manifest.AsObject().Remove("sha256");
        File.WriteAllText(temp.File("m.json"), manifest.ToJsonString());
        using OnnxClassifier classifier = OnnxClassifier.Load(temp.File("m.onnx"), s_fast);
        Assert.Equal("sidecar", classifier.Model.ManifestSource);
        Assert.Equal("from-sidecar", classifier.Model.Name);
    }

    [Fact]
    public void Plain_torch_export_with_dynamic_batch_and_odd_input_name_loads_with_reported_defaults()
    {
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("dynamic_batch.onnx"), s_fast);
        ModelDescription model = classifier.Model;
        Assert.Equal("none", model.ManifestSource);
        Assert.Equal("pixel_values", model.InputName);
        Assert.Equal([1L, 3, 32, 32], model.InputShape);
        Assert.Equal(ClassLabel.Ham10000, model.Labels);
        Assert.Contains("ImageNet mean/std normalization", model.AssumedDefaults);
        Assert.Contains("HAM10000 labels (7 classes)", model.AssumedDefaults);
        Assert.Contains(model.AssumedDefaults, a => a.StartsWith("no manifest", StringComparison.Ordinal));
        Assert.Equal(0.485f, model.Preprocess.Mean[0]);

        // Same weights as tiny.onnx, so the same logits.
        InferenceFixtures.FillPattern(classifier.Input(0));
        Assert.True(classifier.Run(0));
        using OnnxClassifier tiny = OnnxClassifier.Load(InferenceFixtures.File("tiny.onnx"), s_fast);
        InferenceFixtures.FillPattern(tiny.Input(0));
        tiny.Run(0);
        Assert.Equal(tiny.Output.ToArray(), classifier.Output.ToArray());
    }

    [Fact]
    public void Missing_file_is_one_sentence()
    {
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxClassifier.Load(InferenceFixtures.File("nope.onnx"), s_fast));
        AssertOneSentence(ex, "does not exist");
    }

    [Fact]
    public void Text_file_is_not_an_onnx_model()
    {
        using TempDir temp = InferenceFixtures.Temp();
        File.WriteAllText(temp.File("fake.onnx"), "this is not a model\n");
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxClassifier.Load(temp.File("fake.onnx"), s_fast));
        AssertOneSentence(ex, "is not a valid ONNX model");
    }

    [Fact]
    public void Truncated_model_is_rejected()
    {
        using TempDir temp = InferenceFixtures.Temp();
        byte[] bytes = File.ReadAllBytes(InferenceFixtures.File("tiny.onnx"));
        File.WriteAllBytes(temp.File("cut.onnx"), bytes[..(bytes.Length / 2)]);
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxClassifier.Load(temp.File("cut.onnx"), s_fast));
        AssertOneSentence(ex, "is not a valid ONNX model");
    }

    [Fact]
    public void Rank_two_input_is_rejected()
    {
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxClassifier.Load(InferenceFixtures.File("wrong_rank.onnx"), s_fast));
        AssertOneSentence(ex, "has rank 2");
    }

    [Fact]
    public void Label_count_must_equal_output_size()
    {
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxClassifier.Load(InferenceFixtures.File("five_outputs.onnx"), s_fast));
        AssertOneSentence(ex, "has 5 output classes but its manifest lists 7 labels");
    }

    [Fact]
    public void Sha256_mismatch_is_rejected()
    {
        using TempDir temp = InferenceFixtures.Temp();
        File.Copy(InferenceFixtures.File("tiny.onnx"), temp.File("m.onnx"));
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(InferenceFixtures.File("tiny.json")))!;
        manifest["sha256"] = new string('0', 64);
        File.WriteAllText(temp.File("m.json"), manifest.ToJsonString());
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxClassifier.Load(temp.File("m.onnx"), s_fast));
        AssertOneSentence(ex, "does not match its manifest");
    }

    [Theory]
    [InlineData("mean", "[0.5, 0.5]", "one value per channel")]
    [InlineData("name", "\"pixels\"", "has no input named 'pixels'")]
    [InlineData("width", "64", "input width 64 differs from the model's 32")]
    [InlineData("layout", "\"CHWN\"", "neither NCHW nor NHWC")]
    public void Manifest_input_that_contradicts_the_model_is_rejected(string key, string json, string expected)
    {
        using TempDir temp = InferenceFixtures.Temp();
        File.Copy(InferenceFixtures.File("tiny.onnx"), temp.File("m.onnx"));
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(InferenceFixtures.File("tiny.json")))!;
        manifest["input"]![key] = JsonNode.Parse(json);
        File.WriteAllText(temp.File("m.json"), manifest.ToJsonString());
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxClassifier.Load(temp.File("m.onnx"), s_fast));
        AssertOneSentence(ex, expected);
    }

    [Fact]
    public void Probabilities_output_kind_turns_softmax_off()
    {
        using TempDir temp = InferenceFixtures.Temp();
        File.Copy(InferenceFixtures.File("tiny.onnx"), temp.File("m.onnx"));
        JsonNode manifest = JsonNode.Parse(File.ReadAllText(InferenceFixtures.File("tiny.json")))!;
        manifest["output"]!["kind"] = "probabilities";
        File.WriteAllText(temp.File("m.json"), manifest.ToJsonString());
        using OnnxClassifier classifier = OnnxClassifier.Load(temp.File("m.onnx"), s_fast);
        Assert.False(classifier.Model.OutputIsLogits);
        Assert.Empty(classifier.Model.AssumedDefaults);
    }

    [Fact]
    public void Broken_manifest_json_is_rejected()
    {
        using TempDir temp = InferenceFixtures.Temp();
        File.Copy(InferenceFixtures.File("tiny.onnx"), temp.File("m.onnx"));
        File.WriteAllText(temp.File("m.json"), "{ \"name\": ");
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() => OnnxClassifier.Load(temp.File("m.onnx"), s_fast));
        Assert.Contains("is not valid JSON", ex.Message);
    }

    [Fact]
    public void Nan_output_is_detected_per_run()
    {
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("nan_output.onnx"), s_fast);
        InferenceFixtures.FillPattern(classifier.Input(0));
        Assert.False(classifier.Run(0));
        Assert.Contains(classifier.Output.ToArray(), float.IsNaN);
    }

    [Fact]
    public void Cuda_request_without_cuda_build_says_so()
    {
        ModelLoadException ex = Assert.Throws<ModelLoadException>(() =>
            OnnxClassifier.Load(InferenceFixtures.File("tiny.onnx"), s_fast with { Device = ExecutionDevice.Cuda }));
        AssertOneSentence(ex, "CUDA execution provider is not available");
    }

    [Fact]
    public void Buffers_of_the_wrong_size_are_refused()
    {
        float[][] buffers = [new float[10]];
        Assert.Throws<ArgumentException>(() => OnnxClassifier.Load(InferenceFixtures.File("tiny.onnx"), s_fast, buffers));
    }

    private static void AssertOneSentence(Exception ex, string expected)
    {
        Assert.Contains(expected, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
