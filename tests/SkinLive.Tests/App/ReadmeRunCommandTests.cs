using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SkinLive.Tests.App;

/// <summary>
/// The README's run command as a new user types it: default source, shipped model, 10 s headless, from the App
/// project's own output folder (its copied models/ and shaders/, none of the benchmark's files), in an empty folder.
/// </summary>
public sealed partial class ReadmeRunCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("skinlive-readme-").FullName;

    [Fact]
    public async Task Readme_run_command_writes_the_recording_trace_and_report_it_names_and_never_loads_opencv()
    {
        string[] args = ReadmeRunArguments();
        string app = RepositoryPaths.AppOutput();
        Assert.True(File.Exists(Path.Combine(app, "skinlive.dll")), $"the App project's build output is missing at {app}");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _directory };
        start.ArgumentList.Add(Path.Combine(app, "skinlive.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // As on a machine without a display (CI, a fresh server): the run goes headless by itself.
        start.Environment.Remove("DISPLAY");
        start.Environment.Remove("WAYLAND_DISPLAY");
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();

        // What the running process has mapped, sampled until it ends: ONNX Runtime shows the samples saw the pipeline.
        bool sawOnnxRuntime = false;
        var openCv = new List<string>();
        var deadline = Stopwatch.StartNew();
        while (!process.WaitForExit(200))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(4), "skinlive run did not end (a 10 s headless run)");
            string maps;
            try
            {
                maps = File.ReadAllText($"/proc/{process.Id}/maps");
            }
            catch (IOException)
            {
                continue;
            }

            sawOnnxRuntime |= maps.Contains("libonnxruntime.so", StringComparison.Ordinal);
            openCv.AddRange(maps.Split('\n').Where(l => l.Contains("OpenCv", StringComparison.OrdinalIgnoreCase)));
        }

        string output = await stdout, errors = await stderr;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {errors}\n{output}");
        Assert.True(sawOnnxRuntime, "no sample of /proc/<pid>/maps was taken while the model was loaded");
        Assert.True(openCv.Count == 0, $"the app mapped OpenCV: {string.Join("; ", openCv.Distinct())}");
        Assert.DoesNotContain(Directory.EnumerateFiles(app, "*", SearchOption.AllDirectories), f => f.Contains("OpenCv", StringComparison.OrdinalIgnoreCase));

        // It says where it wrote, and each file it names is there: one video frame and one trace line per frame it
        // says it rendered (headless runs wait for the encoder), the shipped model's verdicts on them.
        string recording = Named(output, "recording"), trace = Named(output, "trace"), profile = Named(output, "profile");
        Assert.All([recording, trace, profile], p => Assert.True(File.Exists(p) || Directory.Exists(p), $"the run named {p}, which is not there"));
        Assert.StartsWith(Path.Combine(_directory, "skinlive-output"), recording);
        Match rendered = RenderedLine().Match(output);
        Assert.True(rendered.Success, $"the run did not say how many frames it rendered:\n{output}");
        int frames = int.Parse(rendered.Groups["frames"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(frames > 0, "the run rendered no frame");
        Assert.Equal(frames, Ffmpeg.CountVideoFrames(recording));
        string[] lines = File.ReadAllLines(trace);
        Assert.Equal(frames, lines.Length);
        Assert.True(JsonDocument.Parse(lines[^1]).RootElement.GetProperty("result_frame").GetInt64() >= 0, "the last frame showed no classification from the shipped model");
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(profile, "summary.json")));
        Assert.Equal(JsonValueKind.Object, summary.RootElement.ValueKind);
        Assert.Contains("synthetic", File.ReadAllText(Path.Combine(profile, "summary.json")), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The arguments after <c>--</c> of the README's <c>dotnet run</c> line, so the test runs what it says.</summary>
    private static string[] ReadmeRunArguments()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root(), "README.md"));
        Match line = RunLine().Match(readme);
        Assert.True(line.Success, "README.md has no 'scripts/bootstrap.sh && dotnet run ... --project src/SkinLive.App -- ...' line");
        return line.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    [GeneratedRegex(@"^frames rendered: (?<frames>\d+) in ", RegexOptions.Multiline)]
    private static partial Regex RenderedLine();

    [GeneratedRegex(@"^    scripts/bootstrap\.sh && dotnet run -c Release --project src/SkinLive\.App -- (?<args>.+)$", RegexOptions.Multiline)]
    private static partial Regex RunLine();

    /// <summary>The path after "<paramref name="what"/>: " in the run's report (e.g. "recording: /x/recording.mp4 (300 frames, 0 lost)").</summary>
    private string Named(string output, string what)
    {
        string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith(what + ": ", StringComparison.Ordinal));
        Assert.True(line is not null, $"the run did not say where its {what} went:\n{output}");
        string path = line[(what.Length + 2)..].Trim();
        int note = path.IndexOf(" (", StringComparison.Ordinal);
        return Path.GetFullPath(note > 0 ? path[..note] : path, _directory);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
