using SkinLive.App;
using SkinLive.App.Health;
using SkinLive.Bench.Commands;
using SkinLive.Platform;

namespace SkinLive.Bench;

/// <summary>
/// <c>skinlive-bench</c>: the benchmarks, with the OpenCvSharp peers they compare against. Bad input is one sentence
/// and exit 2; any other failure (a peer whose native library cannot load included) one sentence and exit 1.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // As the app does (see SkinLive.App.Program): no ONNX Runtime telemetry.
        _ = NativeLibc.setenv("ORT_DISABLE_TELEMETRY", "1", overwrite: 1);
        CrashLog.Install(Console.Error);
        return Run(args, Console.Out, Console.Error);
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            return BenchCommand.Run(args, stdout, stderr);
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"skinlive-bench {args[0]}: {ex.Message}");
            return 2;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"skinlive-bench {args[0]}: {CommandFailure.Describe(ex)}");
            return CommandFailure.ExitCode;
        }
    }

    public static string Usage => $"""
        skinlive-bench — SkinLive's benchmarks against the synchronous OpenCvSharp + ONNX Runtime peer
        (a development tool: the shipping app, skinlive, does not carry OpenCV)

        usage: skinlive-bench <benchmark> [options]

        benchmarks:
        {BenchCommand.Usage}
        """;
}
