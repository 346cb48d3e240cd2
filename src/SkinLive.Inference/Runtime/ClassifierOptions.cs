namespace SkinLive.Inference.Runtime;

public enum ExecutionDevice
{
    Cpu,
    Cuda,
}

/// <summary>How to run a model.</summary>
public sealed record ClassifierOptions
{
    /// <summary>Intra-op threads; the default leaves one core to the render loop.</summary>
    public int IntraOpThreads { get; init; } = DefaultThreads;

    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    /// <summary>Runs at load so the first real frame does not pay for lazy initialization.</summary>
    public int WarmUpRuns { get; init; } = 2;

    public static int DefaultThreads => Math.Max(1, Environment.ProcessorCount - 1);
}
