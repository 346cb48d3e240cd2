using System.Text.Json;
using SkinLive.App;

namespace SkinLive.Tests.App;

public sealed class ClassifyGpuTests
{
    [Fact]
    public void Gpu_preprocessing_gives_the_cpu_reference_probabilities()
    {
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures");
        string model = Path.Combine(fixtures, "Inference", "mean_colour.onnx");
        string image = Path.Combine(fixtures, "Gpu", "lesion_600x450.png");
        JsonElement cpu = Classify(model, image);
        JsonElement gpu = Classify(model, image, "--gpu");
        Assert.Equal(cpu.GetProperty("top_class").GetString(), gpu.GetProperty("top_class").GetString());
        foreach (JsonProperty p in cpu.GetProperty("probabilities").EnumerateObject())
        {
            Assert.InRange(gpu.GetProperty("probabilities").GetProperty(p.Name).GetSingle(), p.Value.GetSingle() - 1e-3f, p.Value.GetSingle() + 1e-3f);
        }
    }

    private static JsonElement Classify(string model, string image, params string[] extra)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Cli.Run(["classify", image, "--json", "--model", model, .. extra], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        using JsonDocument document = JsonDocument.Parse(stdout.ToString());
        return document.RootElement.GetProperty("results")[0].Clone();
    }
}
