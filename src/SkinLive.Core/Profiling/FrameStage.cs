using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SkinLive.Profiling;

/// <summary>Where the render thread spends a frame; one CPU time per stage is kept for every frame.</summary>
public enum FrameStage
{
    CaptureWait,
    Decode,
    Upload,
    ConvertPreprocess,
    ReadbackPoll,
    Localize,
    Overlay,
    Swap,
    Other,
}

/// <summary>Stage names (allocated once, so trace events can carry them without allocating) and clock conversions.</summary>
public static class FrameStages
{
    public const int Count = (int)FrameStage.Other + 1;

    private static readonly string[] Names = Enum.GetNames<FrameStage>();

    public static string Name(FrameStage stage) => Names[(int)stage];

    /// <summary>A <see cref="Stopwatch"/> tick interval in milliseconds.</summary>
    public static double TicksToMilliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    public static long MillisecondsToTicks(double milliseconds) => (long)Math.Round(milliseconds * Stopwatch.Frequency / 1000.0);
}

[InlineArray(FrameStages.Count)]
internal struct StageBuffer
{
    private double _first;
}

/// <summary>CPU milliseconds per <see cref="FrameStage"/>, stored inline (no array, no allocation).</summary>
public struct StageTimes
{
    private StageBuffer _milliseconds;

    public double this[FrameStage stage]
    {
        readonly get => _milliseconds[(int)stage];
        set => _milliseconds[(int)stage] = value;
    }

    public readonly double Total
    {
        get
        {
            double sum = 0;
            foreach (double value in _milliseconds)
            {
                sum += value;
            }

            return sum;
        }
    }
}
