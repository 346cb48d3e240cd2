namespace SkinLive.App.Profiling;

/// <summary>What a profile was measured on, written into summary.json beside the machine description.</summary>
public sealed record ProfileMetadata
{
    /// <summary>The command line that produced the profile.</summary>
    public string Command { get; init; } = MachineInfo.CommandLine();

    /// <summary>GL_RENDERER of the context (null: none, e.g. a CPU-only peer).</summary>
    public string? GlRenderer { get; init; }

    /// <summary>GL_VERSION of the context.</summary>
    public string? GlVersion { get; init; }

    /// <summary>Model name or path and its sha256, as the run reports it.</summary>
    public string? Model { get; init; }

    /// <summary>The frame source's description.</summary>
    public string? Source { get; init; }

    /// <summary>The backend that made tensors and localization maps (null: not SkinLive's pipeline, e.g. the peer).</summary>
    public SkinLive.Preprocessing.PreprocessBackend? Preprocess { get; init; }

    /// <summary>Graphics API in the CSV's Runtime column.</summary>
    public string Runtime { get; init; } = "OpenGLES";
}
