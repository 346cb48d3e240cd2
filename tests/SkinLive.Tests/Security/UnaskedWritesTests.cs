using SkinLive.Tests.Inference;

namespace SkinLive.Tests.Security;

/// <summary>
/// A run writes what it was told to and nothing else: not in the working folder, not in the temp folder, not in
/// the home folder (ONNX Runtime's telemetry store and session file would land there unless SkinLive turned them
/// off). The one exception is Mesa's shader cache, the GL driver's own (README, Security).
/// </summary>
public sealed class UnaskedWritesTests
{
    [Fact]
    public void A_headless_run_asked_only_for_a_trace_writes_only_the_trace()
    {
        using TempDir temp = InferenceFixtures.Temp();
        string[] folders = ["cwd", "tmp", "home", "out"];
        foreach (string folder in folders)
        {
            Directory.CreateDirectory(temp.File(folder));
        }

        var environment = new Dictionary<string, string>
        {
            ["TMPDIR"] = temp.File("tmp"),
            ["HOME"] = temp.File("home"),
            ["XDG_CACHE_HOME"] = temp.File("home/.cache"),
            ["DOTNET_EnableDiagnostics"] = "0",
            ["ORT_DISABLE_TELEMETRY"] = "0",
        };
        (int code, _, string stderr) = SkinliveProcess.Run(
            ["run", "--headless", "--source", "testpattern:size=160x120", "--window", "160x120", "--frames", "20", "--trace", temp.File("out/trace.jsonl")],
            environment, timeoutSeconds: 300, workingDirectory: temp.File("cwd"));
        Assert.True(code == 0, $"exit {code}: {stderr}");

        string[] written = [.. Directory.EnumerateFileSystemEntries(temp.Path, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(temp.Path, path))
            .Where(path => !folders.Contains(path) && path != "home/.cache" && !path.StartsWith("home/.cache/mesa_shader_cache", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
        Assert.Equal(["out/trace.jsonl"], written);
    }
}
