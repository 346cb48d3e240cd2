using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;

namespace SkinLive.App.Commands;

/// <summary>The <c>--model</c> option shared by the inference commands: default path and loading with one-sentence errors.</summary>
internal static class ModelOption
{
    public const string DefaultFileName = "skinlive-mnv3s-synthetic.onnx";

    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "models", DefaultFileName);

    /// <summary>Loads the model or throws <see cref="ModelLoadException"/> with a sentence that names the missing default model.</summary>
    public static OnnxClassifier Load(string? path, ClassifierOptions? options = null)
    {
        string resolved = path ?? DefaultPath;
        if (path is null && !File.Exists(resolved))
        {
            throw new ModelLoadException($"The shipped model {resolved} is not there yet; pass --model PATH to an ONNX classifier.");
        }

        return OnnxClassifier.Load(resolved, options);
    }

    /// <summary>Prints, on <paramref name="stderr"/>, every default the loader had to assume.</summary>
    public static void ReportAssumptions(ModelDescription model, TextWriter stderr)
    {
        if (model.AssumedDefaults.Count > 0)
        {
            stderr.WriteLine($"note: model {model.Name}: assumed {string.Join("; ", model.AssumedDefaults)}.");
        }
    }
}
