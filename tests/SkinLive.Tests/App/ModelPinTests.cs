using System.Security.Cryptography;
using System.Text.Json;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.App;

/// <summary><c>--model-sha256</c>: a kiosk refuses a model whose file does not match, visibly, and keeps the video.</summary>
public sealed class ModelPinTests
{
    private static readonly string s_model = InferenceFixtures.File("tiny.onnx");
    private static readonly string s_wrong = new('0', 64);

    [Fact]
    public void Kiosk_refuses_a_model_that_does_not_match_its_pin_shows_why_and_keeps_the_video()
    {
        using TempDir folder = InferenceFixtures.Temp();
        string trace = folder.File("trace.jsonl"), config = folder.File("kiosk.json");
        // The pin as a kiosk sets it: in the config file.
        File.WriteAllText(config, $$"""{ "kiosk": true, "model-sha256": "{{s_wrong}}" }""");
        (int code, string stdout, string stderr) = CliRunner.Run(
            ["run", "--headless", "--source", "testpattern:size=160x120,fps=30", "--window", "160x120", "--frames", "60", "--model", s_model, "--trace", trace, "--config", config]);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.Contains($"model refused: the model {s_model} has sha256 {Sha256(s_model)}, not the pinned {s_wrong}", stderr, StringComparison.Ordinal);
        (string?[] statuses, int withProbabilities, long lastFrame) = Read(trace);
        Assert.Contains("Model refused: it does not match the pinned sha256", statuses);
        Assert.Equal(0, withProbabilities);
        Assert.True(lastFrame > 5, "the video did not keep running");
    }

    [Fact]
    public void Outside_kiosk_a_mismatched_pin_is_one_sentence_and_exit_1()
    {
        (int code, _, string stderr) = CliRunner.Run(Args("/dev/null", s_wrong));
        Assert.Equal(1, code);
        Assert.Contains("not the pinned", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Kiosk_classifies_with_a_model_that_matches_its_pin()
    {
        using TempDir folder = InferenceFixtures.Temp();
        string trace = folder.File("trace.jsonl");
        (int code, _, string stderr) = CliRunner.Run(Args(trace, Sha256(s_model).ToUpperInvariant(), "--kiosk"));
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.DoesNotContain("refused", stderr, StringComparison.Ordinal);
        Assert.True(Read(trace).WithProbabilities > 0, "no classification reached the screen");
    }

    [Fact]
    public void A_pin_that_is_not_a_sha256_is_a_usage_error()
    {
        (int code, _, string stderr) = CliRunner.Run(Args("/dev/null", "abc"));
        Assert.Equal(2, code);
        Assert.Contains("64 hex digits", stderr, StringComparison.Ordinal);
    }

    private static string[] Args(string trace, string pin, params string[] more) =>
        ["run", "--headless", "--source", "testpattern:size=160x120,fps=30", "--window", "160x120", "--frames", "60", "--model", s_model,
         "--model-sha256", pin, "--trace", trace, .. more];

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static (string?[] Statuses, int WithProbabilities, long LastFrame) Read(string trace)
    {
        var statuses = new List<string?>();
        int withProbabilities = 0;
        long lastFrame = -1;
        foreach (string line in File.ReadAllLines(trace))
        {
            using JsonDocument entry = JsonDocument.Parse(line);
            statuses.Add(entry.RootElement.GetProperty("status").GetString());
            withProbabilities += entry.RootElement.GetProperty("probabilities").ValueKind == JsonValueKind.Object ? 1 : 0;
            lastFrame = entry.RootElement.GetProperty("frame").GetInt64();
        }

        return ([.. statuses], withProbabilities, lastFrame);
    }
}
