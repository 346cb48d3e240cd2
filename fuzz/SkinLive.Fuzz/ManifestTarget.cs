using System.Text;
using Microsoft.ML.OnnxRuntime;
using SkinLive.Inference.Models;

namespace SkinLive.Fuzz;

/// <summary>
/// The model manifest reader: parse, then resolve against a real (tiny, 7-class) model as loading does, then read
/// every field the live view shows. Only <see cref="ModelLoadException"/> is a bad manifest.
/// </summary>
internal static class ManifestTarget
{
    private static readonly string s_modelPath = Path.Combine(AppContext.BaseDirectory, "tiny.onnx");
    private static readonly InferenceSession s_session = new(s_modelPath);

    public static void Run(byte[] input)
    {
        string json = Encoding.UTF8.GetString(input);
        ModelDescription model;
        try
        {
            ModelManifest manifest = ModelManifest.Parse(json, "fuzz.json");
            model = ModelResolver.Resolve(s_modelPath, "0", manifest, "sidecar", s_session);
        }
        catch (ModelLoadException)
        {
            return;
        }

        int shown = model.Name.Length + model.Version.Length + model.Preprocess.ElementCount;
        foreach (ClassLabel label in model.Labels)
        {
            shown += label.Code.Length + label.Name.Length + label.Risk.Length + (label.IsMalignant ? 1 : 0);
        }

        if (model.Labels.Count != model.ClassCount || shown < 0)
        {
            throw new InvalidOperationException($"The manifest resolved to {model.Labels.Count} labels for {model.ClassCount} classes.");
        }
    }
}
