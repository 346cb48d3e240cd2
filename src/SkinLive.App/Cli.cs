namespace SkinLive.App;

/// <summary>
/// Command dispatch. Each command returns its exit code; bad input is one sentence on stderr and exit 2; any other
/// exception that escapes a command is one sentence (<see cref="CommandFailure"/>) and exit 1.
/// </summary>
public static class Cli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            stdout.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            switch (args[0])
            {
                case "run": return Commands.RunCommand.Run(args[1..], stdout, stderr);
                case "bench":
                    stderr.WriteLine("skinlive: the benchmarks are the separate tool skinlive-bench, which the app does not ship: run 'dotnet run -c Release --project src/SkinLive.Bench -- --help'.");
                    return 2;
                case "synth-dataset": return Commands.SynthDatasetCommand.Run(args[1..], stdout, stderr);
                case "classify": return Commands.ClassifyCommand.Run(args[1..], stdout, stderr);
                case "eval": return Commands.EvalCommand.Run(args[1..], stdout, stderr);
                case "devices": return Commands.DevicesCommand.Run(args[1..], stdout, stderr);
                case "model": return Commands.ModelCommand.Run(args[1..], stdout, stderr);
                default:
                    stderr.WriteLine($"skinlive: unknown command '{args[0]}'. Run 'skinlive --help' for the list.");
                    return 2;
            }
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"skinlive {args[0]}: {ex.Message}");
            return 2;
        }
        catch (Exception ex)
        {
            stderr.WriteLine($"skinlive {args[0]}: {CommandFailure.Describe(ex)}");
            return CommandFailure.ExitCode;
        }
    }

    public static readonly string Usage = """
        skinlive — real-time skin-lesion screening pipeline (not a medical device)

        usage: skinlive <command> [options]

        commands:
        """ + Commands.RunCommand.Usage + "\n" + """
          synth-dataset --out DIR --count N [--seed S] [--size 600x450] [--mix nv=6705,...]
              write a synthetic dataset in HAM10000's layout
          classify IMAGE... [--model PATH] [--json] [--dump-tensor out.npy] [--roi x,y,w,h] [--threads N] [--gpu]
          eval --data DIR [--model PATH] [--json] [--out DIR] [--split FILE] [--threshold P] [--threads N]
          devices    list V4L2 cameras with their formats, sizes and frame rates
        """ + "\n" + Commands.ModelCommand.Usage;
}

/// <summary>A user error on the command line: its message is the one sentence the user sees.</summary>
public sealed class UsageException(string message) : Exception(message);
