using System.Diagnostics;
using SkiaSharp;

namespace SkinLive.Tests.Gpu;

/// <summary>The real GLFW window path, under a virtual X server (Debian package xvfb).</summary>
public sealed class WindowedSmokeTests
{
    [Fact]
    public void Window_under_xvfb_renders_the_test_pattern()
    {
        Assert.True(File.Exists("/usr/bin/Xvfb"), "Xvfb is missing: install the Debian package xvfb (scripts/bootstrap.sh does).");
        using Process xvfb = StartXvfb(out string display);
        string snapshot = Path.Combine(Path.GetTempPath(), $"skinlive-window-{Environment.ProcessId}.png");
        try
        {
            (int code, string stdout, string stderr) = SkinliveProcess.Run(
                ["run", "--source", "testpattern:size=640x360,fps=30", "--window", "640x360", "--frames", "40", "--snapshot", snapshot],
                new Dictionary<string, string> { ["DISPLAY"] = display });
            Assert.True(code == 0, $"exit {code}: {stderr}");
            Assert.Contains("frames rendered: 40", stdout);

            using SKBitmap image = SKBitmap.Decode(snapshot);
            Assert.Equal(640, image.Width);
            Assert.Equal(360, image.Height);
            (byte R, byte G, byte B)[] expected =
            [
                (235, 235, 235), (235, 235, 16), (16, 235, 235), (16, 235, 16), (235, 16, 235), (235, 16, 16), (16, 16, 235), (16, 16, 16),
            ];
            int matching = 0;
            for (int bar = 0; bar < 8; bar++)
            {
                SKColor pixel = image.GetPixel((int)((bar + 0.5) * 640 / 8), 100);
                bool close = Math.Abs(pixel.Red - expected[bar].R) < 24 && Math.Abs(pixel.Green - expected[bar].G) < 24 && Math.Abs(pixel.Blue - expected[bar].B) < 24;
                matching += close ? 1 : 0;
            }

            // The sweeping white band may cover one bar.
            Assert.True(matching >= 7, $"only {matching} of 8 colour bars visible in the window");
            SKColor rampLeft = image.GetPixel(20, 330), rampRight = image.GetPixel(620, 330);
            Assert.True(rampRight.Red - rampLeft.Red > 150, $"grey ramp missing: {rampLeft} .. {rampRight}");
        }
        finally
        {
            File.Delete(snapshot);
            xvfb.Kill();
            xvfb.WaitForExit();
        }
    }

    [Fact]
    public void Windowed_run_without_a_display_says_so_and_suggests_headless()
    {
        (int code, _, string stderr) = SkinliveProcess.Run(
            ["run", "--frames", "2"],
            new Dictionary<string, string> { ["DISPLAY"] = ":1999" });
        Assert.Equal(1, code);
        Assert.Contains("No display", stderr);
        Assert.Contains("--headless", stderr);
    }

    private static Process StartXvfb(out string display)
    {
        var start = new ProcessStartInfo("/usr/bin/Xvfb") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-displayfd", "1", "-screen", "0", "1024x768x24", "-nolisten", "tcp" })
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("Xvfb did not start.");
        string? number = process.StandardOutput.ReadLine();
        Assert.False(string.IsNullOrWhiteSpace(number), "Xvfb did not report its display number.");
        display = ":" + number!.Trim();
        return process;
    }
}
