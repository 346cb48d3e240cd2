using System.Diagnostics;

namespace SkinLive.Tests.Capture;

/// <summary>A temporary folder for media made at test time, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("skinlive-capture-test-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

internal static class CaptureTestSupport
{
    /// <summary>Runs a tool to completion; fails the test naming the Debian package when the tool is missing.</summary>
    public static string RunTool(string tool, string package, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail($"{tool} is missing; install the Debian package {package} (scripts/bootstrap.sh).");
            throw;
        }

        using (process)
        {
            Task<string> errors = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed: {errors.Result}");
            return output;
        }
    }

    public static void Ffmpeg(params string[] arguments) =>
        RunTool("ffmpeg", "ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. arguments]);

    /// <summary>Waits for a condition that must become true; a guard against hangs, not a timing assertion.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                Assert.Fail($"Gave up waiting: {what}.");
            }

            Thread.Sleep(2);
        }
    }
}
