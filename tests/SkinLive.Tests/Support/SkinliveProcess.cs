using System.Diagnostics;

namespace SkinLive.Tests;

/// <summary>Runs the real <c>skinlive</c> CLI (the App build next to the tests), or another program built beside it, as a child process.</summary>
internal static class SkinliveProcess
{
    public const string App = "skinlive.dll";
    public const string Bench = "skinlive-bench.dll";

    public static (int ExitCode, string Stdout, string Stderr) Run(IEnumerable<string> args, IDictionary<string, string>? environment = null, int timeoutSeconds = 120, string? workingDirectory = null, string program = App)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        start.ArgumentList.Add(Path.IsPathRooted(program) ? program : Path.Combine(AppContext.BaseDirectory, program));
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
            throw new TimeoutException($"{Path.GetFileNameWithoutExtension(program)} {string.Join(' ', args)} did not finish in {timeoutSeconds} s.");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
