using System.Diagnostics;

namespace SkinLive.Tests;

/// <summary>Runs the real <c>skinlive</c> CLI (the App build next to the tests) as a child process.</summary>
internal static class SkinliveProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(IEnumerable<string> args, IDictionary<string, string>? environment = null, int timeoutSeconds = 120, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "skinlive.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"skinlive {string.Join(' ', args)} did not finish in {timeoutSeconds} s.");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
