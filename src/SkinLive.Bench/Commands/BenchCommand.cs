namespace SkinLive.Bench.Commands;

/// <summary><c>skinlive-bench &lt;what&gt;</c>: benchmarks that print measured numbers with the machine and the command.</summary>
public static class BenchCommand
{
    public static string Usage => BenchPreprocessCommand.Usage + "\n  synthetic [--seconds S] [QUERY]   frames/s of the synthetic dermatoscope"
        + "\n  inference [--model PATH] [--runs N] [--warmup N]   worker vs plain InferenceSession.Run, 1 and 2 threads"
        + "\n  capture [--frames N]   MJPEG decode and ffmpeg file source frames/s"
        + "\n" + BenchPipelineCommand.Usage.TrimEnd();

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string what = args.Length > 0 ? args[0] : string.Empty;
        return what switch
        {
            "preprocess" => BenchPreprocessCommand.Run(args[1..], stdout, stderr),
            "synthetic" => BenchSyntheticCommand.Run(args[1..], stdout, stderr),
            "inference" => BenchInferenceCommand.Run(args[1..], stdout, stderr),
            "capture" => BenchCaptureCommand.Run(args[1..], stdout, stderr),
            "pipeline" => BenchPipelineCommand.Run(args[1..], stdout, stderr),
            _ => throw new UsageException($"skinlive-bench needs one of: preprocess, inference, capture, synthetic, pipeline (got '{what}')."),
        };
    }
}
