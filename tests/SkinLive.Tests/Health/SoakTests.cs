using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SkinLive.Tests.Capture;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.Health;

/// <summary>
/// A short soak of the real app (a child process, so the counts are its own): headless and uncapped, health sampled
/// every 0.5 s, ended by SIGTERM once it has shown 3,000 frames and written 6 samples (so neither a fast nor a slow
/// machine changes what is compared). After warm-up our threads, descriptors and GL objects must not change, nothing
/// may raise a GL error or go unhandled, and memory may only grow within a generous bound.
/// </summary>
public sealed class SoakTests
{
    private const int Frames = 3000, Samples = 6;

    [Fact]
    public async Task Short_soak_keeps_threads_descriptors_and_GL_objects_constant_with_no_errors()
    {
        using TempDir folder = InferenceFixtures.Temp();
        string profile = folder.File("profile");
        string csv = Path.Combine(profile, "health.csv");
        using Process app = Start(
            ["run", "--headless", "--seconds", "600", "--max-fps", "0", "--window", "160x120", "--source", "synthetic:size=160x120,fps=0",
             "--health-interval", "0.5", "--profile", profile, "--model", InferenceFixtures.File("tiny.onnx")]);
        Task<string> output = app.StandardOutput.ReadToEndAsync();
        Task<string> errors = app.StandardError.ReadToEndAsync();
        try
        {
            WaitForSamples(app, csv);
            CaptureTestSupport.RunTool("kill", "procps", "-TERM", app.Id.ToString(CultureInfo.InvariantCulture));
            Assert.True(app.WaitForExit(TimeSpan.FromSeconds(60)), "the app did not exit after SIGTERM");
        }
        finally
        {
            if (!app.HasExited)
            {
                app.Kill(entireProcessTree: true);
            }
        }

        string stdout = await output, stderr = await errors;
        Assert.True(app.ExitCode == 0, $"exit {app.ExitCode}: {stderr}\n{stdout}");

        string[] lines = File.ReadAllLines(csv);
        string[] header = lines[0].Split(',');
        long[][] rows = lines.Skip(1).Select(l => l.Split(',').Select(v => (long)double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        double[] seconds = lines.Skip(1).Select(l => double.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToArray();
        long[] Column(string name) => rows.Select(r => r[Array.IndexOf(header, name)]).ToArray();
        // The samples the test waited for, and the last one, taken as the signal ended the run.
        Assert.True(rows.Length > Samples, $"only {rows.Length} health samples");
        Assert.True(Column("frames")[^1] >= Frames, $"the last sample counts {Column("frames")[^1]} frames");
        Assert.Equal(Column("frames").Order(), Column("frames"));

        // Warm-up: the first third of the run, as the summary defines it.
        int warm = Array.FindIndex(seconds, s => s >= seconds[^1] / 3);
        long[] Steady(string name) => Column(name)[warm..];
        // The last sample is taken as SIGTERM ends the run, while the thread the runtime runs signal handlers on
        // (".NET Signal Handler") may still be alive: the threads are compared up to the one before it.
        long[] ours = Steady("threads").Zip(Steady("runtime_pool_threads"), (all, pool) => all - pool).ToArray()[..^1];
        Assert.True(ours.Min() == ours.Max(), $"threads changed after warm-up: {string.Join(' ', ours)}");
        long[] files = Steady("fds").Zip(Steady("assembly_fds"), (all, dll) => all - dll).ToArray();
        Assert.True(files.Min() == files.Max(), $"descriptors changed after warm-up: {string.Join(' ', files)}");
        foreach (string kind in new[] { "gl_textures", "gl_buffers", "gl_framebuffers", "gl_vertex_arrays", "gl_programs", "gl_queries" })
        {
            Assert.True(Steady(kind).Min() == Steady(kind).Max() && Steady(kind)[0] > 0, $"{kind} changed after warm-up: {string.Join(' ', Steady(kind))}");
        }

        Assert.True(Steady("gl_syncs").Max() <= 16, "fences in flight exceed the readback rings");
        Assert.Equal(0, Column("gl_errors")[^1]);
        Assert.Equal(0, Column("unhandled_exceptions")[^1]);
        long residentGrowth = Steady("rss_bytes")[^1] - Steady("rss_bytes")[0];
        long managedGrowth = Steady("managed_bytes")[^1] - Steady("managed_bytes")[0];
        Assert.True(residentGrowth < 96L << 20, $"resident memory grew {residentGrowth >> 20} MB after warm-up");
        Assert.True(managedGrowth < 64L << 20, $"the managed heap grew {managedGrowth >> 20} MB after warm-up");

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(profile, "summary.json")));
        JsonElement health = summary.RootElement.GetProperty("health");
        Assert.Equal(0, health.GetProperty("gl_errors").GetInt64());
        Assert.Equal(rows.Length, health.GetProperty("samples").GetInt32());
        Assert.Equal(health.GetProperty("gl_objects").GetProperty("texture")[0].GetInt64(), health.GetProperty("gl_objects").GetProperty("texture")[1].GetInt64());
    }

    /// <summary>Waits until the CSV holds <see cref="Samples"/> samples, the latest counting <see cref="Frames"/> frames or more.</summary>
    private static void WaitForSamples(Process app, string csv)
    {
        var guard = Stopwatch.StartNew();
        while (true)
        {
            string[] rows = [.. CompleteLines(csv).Skip(1)];
            if (rows.Length >= Samples && double.Parse(rows[^1].Split(',')[1], CultureInfo.InvariantCulture) >= Frames)
            {
                return;
            }

            if (app.HasExited)
            {
                Assert.Fail($"the app exited ({app.ExitCode}) after {rows.Length} health samples");
            }

            Assert.True(guard.Elapsed < TimeSpan.FromMinutes(5), $"gave up waiting for {Samples} health samples and {Frames} frames (a guard against hangs)");
            Thread.Sleep(50);
        }
    }

    /// <summary>The lines of a file another process is appending to, without a last line it has not finished.</summary>
    private static string[] CompleteLines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file);
        string text = reader.ReadToEnd();
        return text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static Process Start(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "skinlive.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
