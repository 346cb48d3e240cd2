using System.Globalization;
using System.Text.Json;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.Health;

/// <summary>
/// A short soak of the real app (a child process, so the counts are its own): 3,000 frames headless and uncapped,
/// health sampled every 0.5 s. After warm-up our threads, descriptors and GL objects must not change, nothing may
/// raise a GL error or go unhandled, and memory may only grow within a generous bound.
/// </summary>
public sealed class SoakTests
{
    [Fact]
    public void Short_soak_keeps_threads_descriptors_and_GL_objects_constant_with_no_errors()
    {
        using TempDir folder = InferenceFixtures.Temp();
        string profile = folder.File("profile");
        (int code, string stdout, string stderr) = SkinliveProcess.Run(
            ["run", "--headless", "--frames", "3000", "--max-fps", "0", "--window", "160x120", "--source", "synthetic:size=160x120,fps=0",
             "--health-interval", "0.5", "--profile", profile, "--model", InferenceFixtures.File("tiny.onnx")], timeoutSeconds: 300);
        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");

        string[] lines = File.ReadAllLines(Path.Combine(profile, "health.csv"));
        string[] header = lines[0].Split(',');
        long[][] rows = lines.Skip(1).Select(l => l.Split(',').Select(v => (long)double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        double[] seconds = lines.Skip(1).Select(l => double.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToArray();
        long[] Column(string name) => rows.Select(r => r[Array.IndexOf(header, name)]).ToArray();
        Assert.True(rows.Length >= 6, $"only {rows.Length} health samples");
        Assert.Equal(3000, Column("frames")[^1]);

        // Warm-up: the first third of the run, as the summary defines it.
        int warm = Array.FindIndex(seconds, s => s >= seconds[^1] / 3);
        long[] Steady(string name) => Column(name)[warm..];
        long[] ours = Steady("threads").Zip(Steady("runtime_pool_threads"), (all, pool) => all - pool).ToArray();
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
}
