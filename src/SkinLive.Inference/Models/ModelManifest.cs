using System.Text.Json;

namespace SkinLive.Inference.Models;

/// <summary>The model contract (DESIGN.md §4) as written in <c>name.json</c> or the <c>skinlive.manifest</c> metadata entry.</summary>
public sealed record ModelManifest
{
    public string Name { get; init; } = "";
    public string Version { get; init; } = "";
    public ManifestInput? Input { get; init; }
    public ManifestOutput? Output { get; init; }
    public IReadOnlyList<ClassLabel> Labels { get; init; } = [];
    public string? Sha256 { get; init; }
    public string? IntendedUse { get; init; }
    public string? TrainingData { get; init; }

    /// <summary>How an INT8 model was made from its FP32 source (absent for an FP32 model).</summary>
    public ManifestQuantization? Quantization { get; init; }

    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,

        // A manifest is untrusted input: "labels": null or a label without a code must be a load error, not a
        // null that surfaces later as a NullReferenceException in the live view.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Parses manifest JSON; <paramref name="source"/> names where it came from for the error sentence.</summary>
    public static ModelManifest Parse(string json, string source)
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(json, s_options);
        }
        catch (JsonException ex)
        {
            throw new ModelLoadException($"The model manifest {source} is not valid JSON ({ex.Message}).");
        }

        if (manifest is null)
        {
            throw new ModelLoadException($"The model manifest {source} is empty.");
        }

        // Nullable annotations are not enforced on collection elements, so "labels": [null] still parses.
        for (int i = 0; i < manifest.Labels.Count; i++)
        {
            if (manifest.Labels[i] is null)
            {
                throw new ModelLoadException($"The model manifest {source} has a null entry at labels[{i}]; each label needs a code, name and risk.");
            }
        }

        return manifest;
    }
}

public sealed record ManifestInput
{
    public string? Name { get; init; }
    public string? Layout { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public string? Color { get; init; }
    public float? Scale { get; init; }
    public float[]? Mean { get; init; }
    public float[]? Std { get; init; }
    public string? Resize { get; init; }
}

public sealed record ManifestOutput
{
    public string? Name { get; init; }

    /// <summary><c>logits</c> (softmax is applied) or <c>probabilities</c>.</summary>
    public string? Kind { get; init; }
}

/// <summary>The <c>quantization</c> block <c>skinlive model quantize</c> writes.</summary>
public sealed record ManifestQuantization
{
    /// <summary><c>static</c> (calibrated QDQ) or <c>dynamic</c> (weight-only, ranges measured per run).</summary>
    public string? Mode { get; init; }

    /// <summary>The calibration images (folder and count); none for dynamic.</summary>
    public string? CalibrationSet { get; init; }

    /// <summary>Calibration method (<c>minmax</c>, <c>percentile 99.99</c>) and the integer formats used.</summary>
    public string? Method { get; init; }

    /// <summary>Node-name prefixes left in FP32.</summary>
    public IReadOnlyList<string> KeptFp32 { get; init; } = [];

    /// <summary>Top-1 agreement with the FP32 source on <see cref="EvalSet"/>, from 0 to 1; null when not measured.</summary>
    public double? Agreement { get; init; }

    public string? EvalSet { get; init; }

    /// <summary>SHA-256 of the FP32 model this one was made from.</summary>
    public string? SourceSha256 { get; init; }
}

/// <summary>One output class: short code (e.g. <c>mel</c>), display name and risk group (<c>malignant</c>, <c>benign</c>, ...).</summary>
public sealed record ClassLabel(string Code, string Name, string Risk)
{
    public bool IsMalignant => string.Equals(Risk, "malignant", StringComparison.OrdinalIgnoreCase);

    /// <summary>HAM10000's seven diagnoses in the dataset's alphabetical class order; mel, bcc and akiec form the malignant group.</summary>
    public static IReadOnlyList<ClassLabel> Ham10000 { get; } =
    [
        new("akiec", "Actinic keratosis / intraepithelial carcinoma", "malignant"),
        new("bcc", "Basal cell carcinoma", "malignant"),
        new("bkl", "Benign keratosis", "benign"),
        new("df", "Dermatofibroma", "benign"),
        new("mel", "Melanoma", "malignant"),
        new("nv", "Melanocytic nevus", "benign"),
        new("vasc", "Vascular lesion", "benign"),
    ];
}

/// <summary>A model that cannot be used; the message is one sentence for the user.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);
