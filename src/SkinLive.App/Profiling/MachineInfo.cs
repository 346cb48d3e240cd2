namespace SkinLive.App.Profiling;

/// <summary>The header every benchmark prints: what ran, where, and the command that produced the numbers.</summary>
public static class MachineInfo
{
    public static string CpuModel()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    /// <summary>The 1, 5 and 15 minute load averages: benchmark numbers on a shared machine mean little without them.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The command that is running, as the user would type it.</summary>
    public static string CommandLine() => $"{ToolName()} {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}";

    /// <summary>skinlive-bench when the benchmark tool runs; otherwise the app (also when a test host calls the commands).</summary>
    private static string ToolName() => System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name is "skinlive-bench" ? "skinlive-bench" : "skinlive";

    public static void WriteHeader(TextWriter output, string title, string? gpu = null)
    {
        output.WriteLine($"# {title}");
        output.WriteLine($"machine: {CpuModel()}, {Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}");
        if (gpu is not null)
        {
            output.WriteLine($"gpu: {gpu}");
        }

        output.WriteLine($"command: {CommandLine()}");
        output.WriteLine($"date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    }
}
