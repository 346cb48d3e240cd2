using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SkinLive.Profiling;

/// <summary>
/// Performance and health counters for dotnet-counters and OpenTelemetry, on a <see cref="Meter"/> named
/// <see cref="MeterName"/>. Only timings, rates and counts: never images, never results. Recording allocates
/// nothing; with no listener it is a few branches.
/// </summary>
public sealed class SkinLiveMeter : IDisposable
{
    public const string MeterName = "SkinLive";

    /// <summary>Rates are published once per window of at least this length.</summary>
    private static readonly long RateWindowTicks = Stopwatch.Frequency;

    private readonly Counter<long> _frames;
    private readonly Histogram<double> _frameTime;
    private readonly Counter<long> _repeated;
    private readonly Counter<long> _dropped;
    private readonly Histogram<double> _latency;
    private readonly Histogram<double> _staleness;
    private readonly Counter<long> _inferenceRuns;
    private readonly Histogram<double> _inferenceTime;
    private readonly Lock _inferenceGate = new();
    private double _fps = double.NaN;
    private double _windowFrameMs;
    private int _windowFrames;
    private long _stalenessFrames = -1;
    private double _inferenceHz = double.NaN;
    private long _inferenceWindowStart;
    private long _lastInferenceEnd;
    private int _inferenceWindowRuns;

    public SkinLiveMeter()
    {
        Meter = new Meter(MeterName, typeof(SkinLiveMeter).Assembly.GetName().Version?.ToString());
        _frames = Meter.CreateCounter<long>("skinlive.frames", "{frame}", "Frames displayed.");
        _frameTime = Meter.CreateHistogram<double>("skinlive.frame.duration", "ms", "Display-to-display frame time.");
        _repeated = Meter.CreateCounter<long>("skinlive.frames.repeated", "{frame}", "Frames that showed no new camera frame.");
        _dropped = Meter.CreateCounter<long>("skinlive.frames.dropped", "{frame}", "Frames or tensors dropped, by stage (capture, readback, inference).");
        _latency = Meter.CreateHistogram<double>("skinlive.latency", "ms", "Capture to display of each new camera frame.");
        _staleness = Meter.CreateHistogram<double>("skinlive.staleness", "ms", "Capture time between the frame a result came from and the frame it is drawn over.");
        _inferenceRuns = Meter.CreateCounter<long>("skinlive.inference.runs", "{run}", "Model runs.");
        _inferenceTime = Meter.CreateHistogram<double>("skinlive.inference.duration", "ms", "Model run time.");
        Meter.CreateObservableGauge("skinlive.fps", () => FramesPerSecond, "{frame}/s", "Average frame rate over the latest second.");
        Meter.CreateObservableGauge("skinlive.inference.rate", () => InferenceHz, "Hz", "Model runs per second over the latest second.");
        Meter.CreateObservableGauge("skinlive.staleness.frames", () => Volatile.Read(ref _stalenessFrames), "{frame}", "Camera frames between the result on screen and the frame under it.");
    }

    public Meter Meter { get; }

    /// <summary>Frame rate over the latest whole second of frames (NaN before the first second); the HUD shows this too.</summary>
    public double FramesPerSecond => Volatile.Read(ref _fps);

    /// <summary>Model runs per second over the latest second; 0 once no run has ended for two seconds.</summary>
    public double InferenceHz
    {
        get
        {
            lock (_inferenceGate)
            {
                return _lastInferenceEnd != 0 && Stopwatch.GetTimestamp() - _lastInferenceEnd > 2 * RateWindowTicks ? 0 : _inferenceHz;
            }
        }
    }

    /// <summary>Called by <see cref="FrameRecorder"/> for each ended frame (render thread).</summary>
    public void RecordFrame(in FrameRecord frame)
    {
        _frames.Add(1);
        _frameTime.Record(frame.FrameMilliseconds);
        if (!frame.NewSourceFrame)
        {
            _repeated.Add(1);
        }
        else if (frame.HasSourceFrame)
        {
            _latency.Record(frame.CaptureToDisplayMilliseconds);
        }

        AddDrops(frame.CaptureDrops, "capture");
        AddDrops(frame.ReadbackDrops, "readback");
        AddDrops(frame.InferenceDrops, "inference");
        if (frame.HasResult)
        {
            _staleness.Record(frame.StalenessMilliseconds);
            Volatile.Write(ref _stalenessFrames, frame.StalenessFrames);
        }

        _windowFrameMs += frame.FrameMilliseconds;
        _windowFrames++;
        if (_windowFrameMs * Stopwatch.Frequency / 1000.0 >= RateWindowTicks)
        {
            Volatile.Write(ref _fps, _windowFrames * 1000.0 / _windowFrameMs);
            _windowFrameMs = 0;
            _windowFrames = 0;
        }
    }

    /// <summary>Called by the inference thread after each model run.</summary>
    public void RecordInference(long startTimestamp, long endTimestamp)
    {
        _inferenceRuns.Add(1);
        _inferenceTime.Record(FrameStages.TicksToMilliseconds(endTimestamp - startTimestamp));
        lock (_inferenceGate)
        {
            if (_inferenceWindowStart == 0)
            {
                _inferenceWindowStart = endTimestamp;
            }
            else
            {
                _inferenceWindowRuns++;
                long window = endTimestamp - _inferenceWindowStart;
                if (window >= RateWindowTicks)
                {
                    _inferenceHz = _inferenceWindowRuns * (double)Stopwatch.Frequency / window;
                    _inferenceWindowStart = endTimestamp;
                    _inferenceWindowRuns = 0;
                }
            }

            _lastInferenceEnd = endTimestamp;
        }
    }

    public void Dispose() => Meter.Dispose();

    private void AddDrops(int count, string stage)
    {
        if (count > 0)
        {
            _dropped.Add(count, new KeyValuePair<string, object?>("stage", stage));
        }
    }
}
