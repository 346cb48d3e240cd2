namespace SkinLive.App.Commands;

/// <summary><c>skinlive model SUBCOMMAND</c>: tools that make models (today: <c>quantize</c>).</summary>
public static class ModelCommand
{
    public static readonly string Usage = """
          model quantize IN.onnx --calib DIR --out OUT.onnx [--mode static|dynamic] [--calibration minmax|percentile]
                [--percentile 99.99] [--calib-count N] [--keep-fp32 PREFIX,...] [--auto] [--eval DIR] [--eval-count N]
                [--profile] [--runs N] [--threads N]
              INT8 post-training quantization in QDQ form (static, calibrated on a HAM10000-layout folder) or the
              dynamic ConvInteger recipe; with --eval, a report of every variant against FP32
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            throw new UsageException("needs a subcommand: quantize.");
        }

        return args[0] switch
        {
            "quantize" => QuantizeCommand.Run(args[1..], stdout, stderr),
            _ => throw new UsageException($"unknown subcommand '{args[0]}'; the model subcommand is quantize."),
        };
    }
}
