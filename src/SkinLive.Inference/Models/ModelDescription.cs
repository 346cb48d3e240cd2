using SkinLive.Preprocessing;

namespace SkinLive.Inference.Models;

/// <summary>
/// Everything the runtime needs to know about a loaded model, resolved from its manifest and from the graph
/// itself. <see cref="AssumedDefaults"/> lists, one sentence each, every value that came from neither.
/// </summary>
public sealed record ModelDescription
{
    public required string Path { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }

    /// <summary>SHA-256 of the ONNX file as loaded (lower-case hex).</summary>
    public required string Sha256 { get; init; }

    /// <summary>Where the manifest came from: <c>sidecar</c>, <c>metadata</c> or <c>none</c>.</summary>
    public required string ManifestSource { get; init; }
    public required string InputName { get; init; }

    /// <summary>The concrete input shape used (dynamic batch resolved to 1).</summary>
    public required long[] InputShape { get; init; }
    public required PreprocessSpec Preprocess { get; init; }
    public required string OutputName { get; init; }
    public required long[] OutputShape { get; init; }
    public required int ClassCount { get; init; }

    /// <summary>True when the output is logits and a softmax turns it into probabilities.</summary>
    public required bool OutputIsLogits { get; init; }
    public required IReadOnlyList<ClassLabel> Labels { get; init; }
    public required IReadOnlyList<string> AssumedDefaults { get; init; }
    public string? IntendedUse { get; init; }
    public string? TrainingData { get; init; }

    /// <summary>The manifest's quantization block, for an INT8 model.</summary>
    public ManifestQuantization? Quantization { get; init; }
}
