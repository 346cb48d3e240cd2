using Microsoft.ML.OnnxRuntime;
using SkinLive.Preprocessing;

namespace SkinLive.Inference.Models;

/// <summary>Checks a manifest against the graph's own inputs and outputs and fills in what the manifest leaves out.</summary>
internal static class ModelResolver
{
    public const string MetadataKey = "skinlive.manifest";
    private const int DefaultSize = 224;

    public static ModelDescription Resolve(string path, string sha256, ModelManifest? manifest, string manifestSource, InferenceSession session)
    {
        var assumed = new List<string>();
        ManifestInput input = manifest?.Input ?? new ManifestInput();
        string file = System.IO.Path.GetFileName(path);

        string inputName = PickName(input.Name, session.InputMetadata, "input", file);
        NodeMetadata inputMeta = session.InputMetadata[inputName];
        if (inputMeta.ElementType != typeof(float))
        {
            throw new ModelLoadException($"Model {file} input '{inputName}' is {inputMeta.ElementType.Name}; only float32 image inputs are supported.");
        }

        int[] dims = inputMeta.Dimensions;
        if (dims.Length != 4)
        {
            throw new ModelLoadException($"Model {file} input '{inputName}' has rank {dims.Length}; an image classifier needs a rank-4 input (NCHW or NHWC).");
        }

        TensorLayout layout = ResolveLayout(input.Layout, dims, file, assumed);
        (int hAxis, int wAxis, int cAxis) = layout == TensorLayout.Nchw ? (2, 3, 1) : (1, 2, 3);
        if (dims[cAxis] > 0 && dims[cAxis] != 3)
        {
            throw new ModelLoadException($"Model {file} input '{inputName}' has {dims[cAxis]} channels in {layout} layout; 3 (colour) are needed.");
        }

        if (dims[0] > 1)
        {
            throw new ModelLoadException($"Model {file} input '{inputName}' has a fixed batch of {dims[0]}; batch 1 or a dynamic batch is needed.");
        }

        int width = ResolveSize(input.Width, dims[wAxis], "width", file, assumed);
        int height = ResolveSize(input.Height, dims[hAxis], "height", file, assumed);

        ChannelOrder order = ChannelOrder.Rgb;
        if (input.Color is null)
        {
            assumed.Add("colour order RGB");
        }
        else if (string.Equals(input.Color, "BGR", StringComparison.OrdinalIgnoreCase))
        {
            order = ChannelOrder.Bgr;
        }
        else if (!string.Equals(input.Color, "RGB", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelLoadException($"Model {file} manifest colour '{input.Color}' is neither RGB nor BGR.");
        }

        float scale = input.Scale ?? 1f / 255f;
        if (input.Scale is null)
        {
            assumed.Add("pixel scale 1/255");
        }

        float[] mean = input.Mean ?? [0.485f, 0.456f, 0.406f];
        float[] std = input.Std ?? [0.229f, 0.224f, 0.225f];
        if (input.Mean is null || input.Std is null)
        {
            assumed.Add("ImageNet mean/std normalization");
        }

        if (mean.Length != 3 || std.Length != 3)
        {
            throw new ModelLoadException($"Model {file} manifest mean/std need one value per channel (3); got {mean.Length} and {std.Length}.");
        }

        if (input.Resize is not null && input.Resize != "bilinear-antialias")
        {
            throw new ModelLoadException($"Model {file} manifest resize '{input.Resize}' is not supported; only 'bilinear-antialias' (torchvision on PIL) is.");
        }

        PreprocessSpec spec;
        try
        {
            spec = new PreprocessSpec(width, height, layout, order, scale, mean, std);
        }
        catch (ArgumentException ex)
        {
            throw new ModelLoadException($"Model {file} preprocessing is invalid: {ex.Message}");
        }

        long[] inputShape = layout == TensorLayout.Nchw ? [1, 3, height, width] : [1, height, width, 3];

        ManifestOutput output = manifest?.Output ?? new ManifestOutput();
        string outputName = PickName(output.Name, session.OutputMetadata, "output", file);
        NodeMetadata outputMeta = session.OutputMetadata[outputName];
        if (outputMeta.ElementType != typeof(float))
        {
            throw new ModelLoadException($"Model {file} output '{outputName}' is {outputMeta.ElementType.Name}; float32 scores are needed.");
        }

        int[] outDims = outputMeta.Dimensions;
        if (outDims.Length < 1 || outDims.Skip(1).Any(d => d < 1) || outDims[0] > 1)
        {
            throw new ModelLoadException($"Model {file} output '{outputName}' has shape [{string.Join(',', outDims)}]; a batch of one score vector ([1, classes]) is needed.");
        }

        long[] outputShape = [1, .. outDims.Skip(1).Select(d => (long)d)];
        int classCount = outDims.Length == 1 ? 1 : outDims.Skip(1).Aggregate(1, (a, d) => a * d);
        if (classCount < 2)
        {
            throw new ModelLoadException($"Model {file} output '{outputName}' has {classCount} value; a classifier needs at least 2 classes.");
        }

        bool logits = true;
        if (output.Kind is null)
        {
            assumed.Add("output is logits (softmax applied)");
        }
        else if (string.Equals(output.Kind, "probabilities", StringComparison.OrdinalIgnoreCase))
        {
            logits = false;
        }
        else if (!string.Equals(output.Kind, "logits", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelLoadException($"Model {file} manifest output kind '{output.Kind}' is neither 'logits' nor 'probabilities'.");
        }

        IReadOnlyList<ClassLabel> labels;
        if (manifest is not null && manifest.Labels.Count > 0)
        {
            if (manifest.Labels.Count != classCount)
            {
                throw new ModelLoadException($"Model {file} has {classCount} output classes but its manifest lists {manifest.Labels.Count} labels.");
            }

            labels = manifest.Labels;
        }
        else if (classCount == ClassLabel.Ham10000.Count)
        {
            labels = ClassLabel.Ham10000;
            assumed.Add("HAM10000 labels (7 classes)");
        }
        else
        {
            labels = [.. Enumerable.Range(0, classCount).Select(i => new ClassLabel($"class_{i}", $"Class {i}", "unknown"))];
            assumed.Add($"generic labels class_0..class_{classCount - 1}");
        }

        CheckQuantization(manifest?.Quantization, file);
        if (manifest is null)
        {
            assumed.Insert(0, "no manifest (neither a .json sidecar nor skinlive.manifest metadata)");
        }

        return new ModelDescription
        {
            Path = path,
            Name = string.IsNullOrWhiteSpace(manifest?.Name) ? System.IO.Path.GetFileNameWithoutExtension(path) : manifest.Name,
            Version = manifest?.Version ?? "",
            Sha256 = sha256,
            ManifestSource = manifestSource,
            InputName = inputName,
            InputShape = inputShape,
            Preprocess = spec,
            OutputName = outputName,
            OutputShape = outputShape,
            ClassCount = classCount,
            OutputIsLogits = logits,
            Labels = labels,
            AssumedDefaults = assumed,
            IntendedUse = manifest?.IntendedUse,
            TrainingData = manifest?.TrainingData,
            Quantization = manifest?.Quantization,
        };
    }

    private static void CheckQuantization(ManifestQuantization? quantization, string file)
    {
        if (quantization is null)
        {
            return;
        }

        if (quantization.Mode is not ("static" or "dynamic"))
        {
            throw new ModelLoadException($"Model {file} manifest quantization mode '{quantization.Mode}' is neither 'static' nor 'dynamic'.");
        }

        if (quantization.Agreement is < 0 or > 1)
        {
            throw new ModelLoadException($"Model {file} manifest quantization agreement {quantization.Agreement} is not a fraction from 0 to 1.");
        }
    }

    private static string PickName(string? wanted, IReadOnlyDictionary<string, NodeMetadata> nodes, string what, string file)
    {
        if (wanted is not null)
        {
            return nodes.ContainsKey(wanted)
                ? wanted
                : throw new ModelLoadException($"Model {file} has no {what} named '{wanted}' (it has: {string.Join(", ", nodes.Keys)}).");
        }

        return nodes.Count == 1
            ? nodes.Keys.First()
            : throw new ModelLoadException($"Model {file} has {nodes.Count} {what}s ({string.Join(", ", nodes.Keys)}); a manifest must name the one to use.");
    }

    private static TensorLayout ResolveLayout(string? layout, int[] dims, string file, List<string> assumed)
    {
        if (layout is not null)
        {
            return layout.ToUpperInvariant() switch
            {
                "NCHW" => TensorLayout.Nchw,
                "NHWC" => TensorLayout.Nhwc,
                _ => throw new ModelLoadException($"Model {file} manifest layout '{layout}' is neither NCHW nor NHWC."),
            };
        }

        if (dims[3] == 3 && dims[1] != 3)
        {
            assumed.Add("layout NHWC (3 channels in the last axis)");
            return TensorLayout.Nhwc;
        }

        assumed.Add("layout NCHW");
        return TensorLayout.Nchw;
    }

    private static int ResolveSize(int? manifestValue, int modelValue, string what, string file, List<string> assumed)
    {
        if (modelValue > 0)
        {
            if (manifestValue is not null && manifestValue != modelValue)
            {
                throw new ModelLoadException($"Model {file} manifest input {what} {manifestValue} differs from the model's {modelValue}.");
            }

            return modelValue;
        }

        if (manifestValue is not null)
        {
            return manifestValue.Value;
        }

        assumed.Add($"input {what} {DefaultSize} (the model's is dynamic)");
        return DefaultSize;
    }
}
