using System.Text.Json.Nodes;
using SkinLive.App.Commands;
using SkinLive.Frames;
using SkinLive.Inference.Metrics;
using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Preprocessing;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.App;

public class QuantizeCommandTests
{
    private static readonly string s_data = InferenceFixtures.File("ham_tiny");
    private static readonly string s_tiny = InferenceFixtures.File("tiny.onnx");

    [Fact]
    public void Static_quantization_with_a_report_writes_a_model_the_app_loads_with_its_quantization_block()
    {
        using TempDir temp = InferenceFixtures.Temp();
        string output = temp.File("tiny.int8.onnx");
        (int code, string stdout, string stderr) = CliRunner.Run(
            "model", "quantize", s_tiny, "--calib", s_data, "--out", output, "--eval", s_data, "--runs", "20", "--threads", "1", "--keep-fp32", "/head/");
        Assert.True(code == 0, stderr);

        // One row per variant, FP32 first, each with a size and an agreement.
        string[] rows = [.. stdout.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| variant", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal))];
        Assert.Equal(["fp32", "dynamic", "static-int8", "static-mixed"], rows.Select(r => r.Split('|')[1].Trim()));
        Assert.Contains("100.0 %", rows[0], StringComparison.Ordinal);
        Assert.Contains("command: skinlive", stdout, StringComparison.Ordinal);

        using OnnxClassifier classifier = OnnxClassifier.Load(output);
        ManifestQuantization quantization = classifier.Model.Quantization!;
        Assert.Equal("static", quantization.Mode);
        Assert.Equal(["/head/"], quantization.KeptFp32);

        // The agreement is measured, and the model is the FP32 one in INT8: on every image of the evaluation set its
        // probabilities are close to FP32's (a wrong scale or zero point moves them), so its top class can differ only
        // where FP32's top two are closer than that.
        Comparison[] images = CompareWithFp32(output, s_tiny, s_data);
        Assert.Equal(14, images.Length);
        Assert.Equal(images.Count(i => i.SameTop) / (double)images.Length, quantization.Agreement!.Value, 1e-9);
        foreach (Comparison image in images)
        {
            Assert.True(image.LargestDifference <= MaxProbabilityDifference, $"{image.Name}: a probability differs from FP32's by {image.LargestDifference:0.0000}");
            Assert.True(image.SameTop || image.Fp32Margin <= 2 * MaxProbabilityDifference, $"{image.Name}: the top class differs from FP32's, whose top two are {image.Fp32Margin:0.0000} apart");
        }

        Assert.Equal(classifier.Model.Sha256, JsonNode.Parse(File.ReadAllText(temp.File("tiny.int8.json")))!["sha256"]!.GetValue<string>());
        Assert.Equal(OnnxClassifier.Inspect(s_tiny).Sha256, quantization.SourceSha256);
    }

    /// <summary>How far an INT8 probability may be from FP32's; the tiny model's are within 0.001 (they lie 0.17 to 0.23).</summary>
    private const float MaxProbabilityDifference = 0.005f;

    private readonly record struct Comparison(string Name, bool SameTop, float LargestDifference, float Fp32Margin);

    /// <summary>Each image of the evaluation set in <paramref name="folder"/> through both models, preprocessed as the command does.</summary>
    private static Comparison[] CompareWithFp32(string quantizedPath, string fp32Path, string folder)
    {
        var options = new ClassifierOptions { IntraOpThreads = 1 };
        using OnnxClassifier quantized = OnnxClassifier.Load(quantizedPath, options), fp32 = OnnxClassifier.Load(fp32Path, options);
        return [.. Directory.EnumerateFiles(folder, "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(image =>
        {
            float[] expected = Probabilities(fp32, image), actual = Probabilities(quantized, image);
            float[] ranked = [.. expected.OrderDescending()];
            return new Comparison(
                Path.GetFileName(image),
                Array.IndexOf(expected, expected.Max()) == Array.IndexOf(actual, actual.Max()),
                expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max(),
                ranked[0] - ranked[1]);
        })];
    }

    private static float[] Probabilities(OnnxClassifier classifier, string image)
    {
        Frame frame = StillImage.Load(image);
        new CpuPreprocessor(classifier.Model.Preprocess, pilUint8: true).Process(frame, RectangleF.Unit, classifier.Input(0));
        Assert.True(classifier.Run(0));
        var probabilities = new float[classifier.Model.ClassCount];
        ClassScores.Softmax(classifier.Output, probabilities);
        return probabilities;
    }

    [Fact]
    public void Dynamic_mode_needs_no_calibration_set()
    {
        using TempDir temp = InferenceFixtures.Temp();
        string output = temp.File("tiny.dynamic.onnx");
        (int code, _, string stderr) = CliRunner.Run("model", "quantize", s_tiny, "--mode", "dynamic", "--out", output);
        Assert.True(code == 0, stderr);
        using OnnxClassifier classifier = OnnxClassifier.Load(output);
        Assert.Equal("dynamic", classifier.Model.Quantization!.Mode);
        Assert.Null(classifier.Model.Quantization.Agreement);
    }

    [Fact]
    public void Auto_writes_the_model_only_with_the_reason_it_may_and_otherwise_says_why_and_writes_nothing()
    {
        using TempDir temp = InferenceFixtures.Temp();
        string output = temp.File("tiny.auto.onnx");
        (int code, string stdout, string stderr) = CliRunner.Run(
            "model", "quantize", s_tiny, "--calib", s_data, "--out", output, "--eval", s_data, "--auto", "--runs", "20", "--threads", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("sensitivity: only", stderr, StringComparison.Ordinal);
        Assert.Contains("| block | fp32 µs | static-int8 µs |", stdout, StringComparison.Ordinal);

        // Which way it goes depends on timing on this machine; the contract holds either way.
        if (stdout.Contains("wrote nothing", StringComparison.Ordinal))
        {
            Assert.Contains("--auto: keeping FP32:", stdout, StringComparison.Ordinal);
            Assert.False(File.Exists(output));
        }
        else
        {
            Assert.Contains("writing it.", stdout, StringComparison.Ordinal);
            using OnnxClassifier classifier = OnnxClassifier.Load(output);
            Assert.InRange(classifier.Model.Quantization!.Agreement!.Value, 0.99, 1);
        }
    }

    [Theory]
    [InlineData(2, "needs the FP32 model", "model", "quantize")]
    [InlineData(2, "does not exist", "model", "quantize", "missing.onnx", "--calib", "x", "--out", "y.onnx")]
    [InlineData(2, "--out OUT.onnx is required", "model", "quantize", "TINY")]
    [InlineData(2, "--mode must be static or dynamic", "model", "quantize", "TINY", "--out", "o.onnx", "--mode", "int4")]
    [InlineData(2, "--calibration must be minmax or percentile", "model", "quantize", "TINY", "--out", "o.onnx", "--calib", "DATA", "--calibration", "mse")]
    [InlineData(2, "--calib DIR", "model", "quantize", "TINY", "--out", "o.onnx")]
    [InlineData(2, "--calib nowhere is not a folder", "model", "quantize", "TINY", "--out", "o.onnx", "--calib", "nowhere")]
    [InlineData(2, "--eval nowhere is not a folder", "model", "quantize", "TINY", "--out", "o.onnx", "--calib", "DATA", "--eval", "nowhere")]
    [InlineData(2, "--auto needs --eval", "model", "quantize", "TINY", "--out", "o.onnx", "--calib", "DATA", "--auto")]
    [InlineData(2, "matches no node", "model", "quantize", "TINY", "--out", "OUT", "--mode", "dynamic", "--keep-fp32", "/nothing/")]
    [InlineData(2, "unknown option '--fast'", "model", "quantize", "TINY", "--out", "o.onnx", "--fast")]
    [InlineData(2, "unknown subcommand 'shrink'", "model", "shrink")]
    [InlineData(1, "is not a valid ONNX model", "model", "quantize", "NOT_ONNX", "--mode", "dynamic", "--out", "OUT")]
    public void Bad_input_is_refused_with_one_sentence(int expectedCode, string message, params string[] args)
    {
        using TempDir temp = InferenceFixtures.Temp();
        string notOnnx = temp.File("not.onnx");
        File.WriteAllText(notOnnx, "not a model");
        string[] resolved = [.. args.Select(a => a switch
        {
            "TINY" => s_tiny,
            "DATA" => s_data,
            "NOT_ONNX" => notOnnx,
            "OUT" => temp.File("out.onnx"),
            _ => a,
        })];
        (int code, string stdout, string stderr) = CliRunner.Run(resolved);
        Assert.Equal(expectedCode, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", stdout);
        Assert.False(File.Exists(temp.File("out.onnx")));
    }
}
