using System.Globalization;

namespace SkinLive.Tests.Bench.Commands;

/// <summary><c>skinlive-bench preprocess</c>: a row per size and format, and every backend's tensor beside the reference's (never its times).</summary>
public sealed class BenchPreprocessCommandTests
{
    [Fact]
    public void Every_size_and_format_has_a_row_whose_gpu_and_simd_tensors_match_the_cpu_reference()
    {
        (int code, string stdout, string stderr) = SkinliveProcess.Run(["preprocess", "--iterations", "5"], timeoutSeconds: 300, program: SkinliveProcess.Bench);

        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        string[][] rows = [.. stdout.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && char.IsDigit(l[2]))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1..^1])];
        Assert.Equal(["640x480 Rgba8", "640x480 Yuyv", "1280x720 Rgba8", "1280x720 Yuyv", "1920x1080 Rgba8", "1920x1080 Yuyv"], rows.Select(r => $"{r[0]} {r[1]}"));
        foreach (string[] row in rows)
        {
            Assert.Equal(15, row.Length);
            Assert.True(double.Parse(row[13], CultureInfo.InvariantCulture) <= 1e-2, $"GPU tensor off the reference: {string.Join(" | ", row)}");
            Assert.True(double.Parse(row[14], CultureInfo.InvariantCulture) <= 1e-2, $"SIMD tensor off the reference: {string.Join(" | ", row)}");
            Assert.True(double.Parse(row[9].Trim('*'), CultureInfo.InvariantCulture) > 0, $"no SIMD time: {string.Join(" | ", row)}");
        }
    }
}
