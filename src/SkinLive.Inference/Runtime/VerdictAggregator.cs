using System.Diagnostics;
using SkinLive.Frames;
using SkinLive.Tensors;

namespace SkinLive.Inference.Runtime;

/// <summary>Settings of <see cref="VerdictAggregator"/>.</summary>
public sealed record VerdictSettings
{
    /// <summary>Time constant of the exponential average: a result weighs <c>1 - exp(-dt / tau)</c>.</summary>
    public double TimeConstantSeconds { get; init; } = 0.5;

    /// <summary>How long the averaged top class must hold before it is a stable verdict.</summary>
    public double HoldSeconds { get; init; } = 1.5;

    /// <summary>Averaged probability the top class needs for a stable verdict.</summary>
    public float MinConfidence { get; init; } = 0.6f;

    /// <summary>An ROI whose overlap (IoU) with the previous one falls below this is a new lesion: the average restarts.</summary>
    public float MinRoiOverlap { get; init; } = 0.5f;
}

/// <summary>What the live view shows: the averaged top class, and whether it has become a stable verdict.</summary>
public readonly record struct Verdict(int TopClass, float Confidence, double HeldSeconds, bool IsStable)
{
    public static Verdict None => new(-1, 0, 0, false);
}

/// <summary>
/// Exponential average of per-frame probabilities over time, for a calm live read-out. Invalid results are
/// ignored; a large ROI move or <see cref="Reset"/> (the caller saw a scene change) starts over. Allocation-free
/// after construction; one thread uses it.
/// </summary>
public sealed class VerdictAggregator
{
    private readonly float[] _average;
    private long _lastTimestamp;
    private long _topSince;
    private int _top = -1;
    private RectangleStamp _roi;
    private bool _empty = true;

    public VerdictAggregator(int classCount, VerdictSettings? settings = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        Settings = settings ?? new VerdictSettings();
        _average = new float[classCount];
    }

    public VerdictSettings Settings { get; }

    public Verdict Current { get; private set; } = Verdict.None;

    public ReadOnlySpan<float> Average => _average;

    public void Reset()
    {
        _average.AsSpan().Clear();
        _empty = true;
        _top = -1;
        Current = Verdict.None;
    }

    public Verdict Update(ClassificationResult result) =>
        result.IsValid ? Update(result.Probabilities, result.CaptureTimestamp, result.Roi) : Current;

    /// <summary>Adds one result taken at <paramref name="timestamp"/> (Stopwatch ticks) on <paramref name="roi"/>.</summary>
    public Verdict Update(ReadOnlySpan<float> probabilities, long timestamp, RectangleStamp roi)
    {
        if (probabilities.Length != _average.Length)
        {
            throw new ArgumentException($"Expected {_average.Length} probabilities, got {probabilities.Length}.", nameof(probabilities));
        }

        if (!_empty && Overlap(_roi, roi) < Settings.MinRoiOverlap)
        {
            Reset();
        }

        if (_empty)
        {
            probabilities.CopyTo(_average);
            _empty = false;
        }
        else
        {
            double dt = Math.Max(0, timestamp - _lastTimestamp) / (double)Stopwatch.Frequency;
            float weight = (float)(1 - Math.Exp(-dt / Settings.TimeConstantSeconds));
            for (int i = 0; i < _average.Length; i++)
            {
                _average[i] += weight * (probabilities[i] - _average[i]);
            }
        }

        _lastTimestamp = timestamp;
        _roi = roi;
        int top = 0;
        for (int i = 1; i < _average.Length; i++)
        {
            if (_average[i] > _average[top])
            {
                top = i;
            }
        }

        if (top != _top)
        {
            _top = top;
            _topSince = timestamp;
        }

        double held = (timestamp - _topSince) / (double)Stopwatch.Frequency;
        float confidence = _average[top];
        Current = new Verdict(top, confidence, held, held >= Settings.HoldSeconds && confidence >= Settings.MinConfidence);
        return Current;
    }

    private static float Overlap(RectangleStamp a, RectangleStamp b)
    {
        var first = new RectangleF(a.X, a.Y, a.Width, a.Height);
        var second = new RectangleF(b.X, b.Y, b.Width, b.Height);

        // Sources without an ROI stamp nothing (empty rectangles): that is the same scene, not a move.
        return first.Area <= 0 && second.Area <= 0 ? 1f : first.IntersectionOverUnion(second);
    }
}
