using System.Diagnostics;
using System.Globalization;

namespace SkinLive.Faults;

/// <summary>What an injected fault breaks; see <see cref="FaultPlan"/> for the item each one counts.</summary>
public enum FaultKind
{
    /// <summary>The source throws (counted in source frames).</summary>
    SourceThrow,
    /// <summary>The source delivers nothing, status still Running.</summary>
    Stall,
    /// <summary>The source delivers nothing and says Disconnected.</summary>
    Disconnect,
    /// <summary>Frames of random bytes.</summary>
    Garbage,
    /// <summary>Only the first half of each frame's bytes arrives; the rest is zero.</summary>
    Truncated,
    /// <summary>Frames at half the width and height (top-left crop).</summary>
    Resize,
    /// <summary>The file/ffmpeg source's ffmpeg child is killed.</summary>
    FfmpegExit,
    /// <summary>The classifier throws (counted in inference runs).</summary>
    ModelThrow,
    /// <summary>The classifier's input is all NaN, so its output is too (counted in inference runs).</summary>
    ModelNan,
    /// <summary>The recorder's ffmpeg child is killed (counted in displayed frames).</summary>
    RecorderExit,
    /// <summary>The render thread throws (counted in displayed frames).</summary>
    RenderThrow,
}

/// <summary>
/// One fault: active for items <see cref="From"/>..<see cref="To"/>, or from <see cref="From"/> for
/// <see cref="Duration"/> of wall time. A one-item fault of a kind that breaks something (throw, exit) fires once,
/// even if the item comes round again after a restart.
/// </summary>
public sealed class Fault(FaultKind kind, long from, long to, TimeSpan duration)
{
    private long _startedAt;
    private int _fired;

    public FaultKind Kind { get; } = kind;

    public long From { get; } = from;

    public long To { get; } = to;

    /// <summary>Wall time the fault lasts once it starts (zero: it lasts for the items From..To).</summary>
    public TimeSpan Duration { get; } = duration;

    /// <summary>Whether the fault applies to item <paramref name="index"/> now. Thread-safe.</summary>
    public bool IsActive(long index)
    {
        if (Duration > TimeSpan.Zero)
        {
            if (index < From)
            {
                return false;
            }

            long started = Interlocked.CompareExchange(ref _startedAt, Stopwatch.GetTimestamp(), 0);
            return started == 0 || Stopwatch.GetElapsedTime(started) < Duration;
        }

        if (index < From || index > To)
        {
            return false;
        }

        bool oneShot = From == To && Kind is FaultKind.SourceThrow or FaultKind.FfmpegExit or FaultKind.ModelThrow or FaultKind.RecorderExit or FaultKind.RenderThrow;
        return !oneShot || Interlocked.Exchange(ref _fired, 1) == 0;
    }

    public override string ToString() => $"{FaultPlan.Name(Kind)}@{From}" + (Duration > TimeSpan.Zero
        ? $"+{Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s"
        : To != From ? $"-{To}" : "");
}

/// <summary>
/// Faults to inject, parsed from <c>KIND@WHEN[,KIND@WHEN...]</c> (the <c>--inject-fault</c> option). WHEN is
/// <c>N</c> (item N), <c>N-M</c> (items N to M) or <c>N+Ss</c> (from item N for S seconds). Items are source frames
/// for source faults, inference runs for model faults and displayed frames for recorder and render faults, all
/// counted from 0. Kinds: source-throw, stall, disconnect, garbage, truncated, resize, ffmpeg-exit, model-throw,
/// model-nan, recorder-exit, render-throw. For tests and drills only; nothing injects a fault unless asked.
/// </summary>
public sealed class FaultPlan
{
    private static readonly Dictionary<string, FaultKind> s_kinds = Enum.GetValues<FaultKind>().ToDictionary(Name);

    private FaultPlan(IReadOnlyList<Fault> faults) => Faults = faults;

    public IReadOnlyList<Fault> Faults { get; }

    public bool Has(params FaultKind[] kinds) => Faults.Any(f => kinds.Contains(f.Kind));

    /// <summary>The first fault of one of <paramref name="kinds"/> active at item <paramref name="index"/>, or null.</summary>
    public Fault? ActiveAt(long index, params ReadOnlySpan<FaultKind> kinds)
    {
        foreach (Fault fault in Faults)
        {
            if (kinds.Contains(fault.Kind) && fault.IsActive(index))
            {
                return fault;
            }
        }

        return null;
    }

    /// <summary>The option's name of a kind: SourceThrow is source-throw.</summary>
    public static string Name(FaultKind kind) => kind switch
    {
        FaultKind.SourceThrow => "source-throw",
        FaultKind.FfmpegExit => "ffmpeg-exit",
        FaultKind.ModelThrow => "model-throw",
        FaultKind.ModelNan => "model-nan",
        FaultKind.RecorderExit => "recorder-exit",
        FaultKind.RenderThrow => "render-throw",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>Parses the option; anything else is a <see cref="FormatException"/> with one sentence.</summary>
    public static FaultPlan Parse(string text)
    {
        var faults = new List<Fault>();
        foreach (string item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = item.Split('@', 2);
            if (!s_kinds.TryGetValue(parts[0].ToLowerInvariant(), out FaultKind kind))
            {
                throw new FormatException($"'{parts[0]}' is not a fault; use one of {string.Join(", ", s_kinds.Keys)}.");
            }

            faults.Add(ParseWhen(kind, item, parts.Length == 2 ? parts[1] : ""));
        }

        if (faults.Count == 0)
        {
            throw new FormatException("--inject-fault needs at least one KIND@WHEN, e.g. disconnect@100+2s.");
        }

        return new FaultPlan(faults);
    }

    private static Fault ParseWhen(FaultKind kind, string item, string when)
    {
        string wrong = $"'{item}' is not KIND@N, KIND@N-M or KIND@N+Ss (items counted from 0, S in seconds).";
        int plus = when.IndexOf('+', StringComparison.Ordinal);
        int dash = when.IndexOf('-', StringComparison.Ordinal);
        string first = plus >= 0 ? when[..plus] : dash >= 0 ? when[..dash] : when;
        if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out long from))
        {
            throw new FormatException(wrong);
        }

        if (plus >= 0)
        {
            string seconds = when[(plus + 1)..].TrimEnd('s', 'S');
            if (!double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) || !(s > 0) || s > 86400)
            {
                throw new FormatException(wrong);
            }

            return new Fault(kind, from, long.MaxValue, TimeSpan.FromSeconds(s));
        }

        long to = from;
        if (dash >= 0 && (!long.TryParse(when[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out to) || to < from))
        {
            throw new FormatException(wrong);
        }

        return new Fault(kind, from, to, TimeSpan.Zero);
    }
}
