using System.Security.Cryptography;
using System.Text.Json;
using SkinLive.App;

namespace SkinLive.Tests.Models;

/// <summary>The model in models/: its manifest matches the file, and its card's numbers on the checked-in set are reproducible.</summary>
public sealed class ShippedModelTests
{
    private static readonly string ModelDirectory = Path.Combine(AppContext.BaseDirectory, "models");

    [Fact]
    public void Shipped_model_sha256_matches_its_manifest()
    {
        string onnx = Path.Combine(ModelDirectory, "skinlive-mnv3s-synthetic.onnx");
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(onnx, ".json")));
        string expected = manifest.RootElement.GetProperty("sha256").GetString()!;
        Assert.Equal(expected, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(onnx))));
        Assert.Equal(7, manifest.RootElement.GetProperty("labels").GetArrayLength());
    }

    [Fact]
    public void Eval_on_the_checked_in_synthetic_set_reproduces_the_model_card_numbers()
    {
        string data = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Models", "synth-small");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Cli.Run(["eval", "--data", data, "--json", "--threads", "1"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        using JsonDocument actual = JsonDocument.Parse(stdout.ToString());
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelDirectory, "synth-small-eval.json")));
        Assert.Equal(expected.RootElement.GetProperty("model").GetProperty("sha256").GetString(), actual.RootElement.GetProperty("model").GetProperty("sha256").GetString());
        Assert.Equal(expected.RootElement.GetProperty("samples").GetInt32(), actual.RootElement.GetProperty("samples").GetInt32());
        Assert.Equal(expected.RootElement.GetProperty("balanced_accuracy").GetDouble(), actual.RootElement.GetProperty("balanced_accuracy").GetDouble(), 6);
        Assert.Equal(expected.RootElement.GetProperty("confusion_matrix").GetRawText(), actual.RootElement.GetProperty("confusion_matrix").GetRawText());
    }
}
