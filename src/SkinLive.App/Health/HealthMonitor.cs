using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SkinLive.Gpu.Platform;
using SkinLive.Storage;

namespace SkinLive.App.Health;

/// <summary>
/// Samples the process's health every <c>interval</c> on its own thread ("health") and appends each sample to a
/// CSV file as it is taken (so a killed soak keeps what it measured). Reads /proc/self (statm, task, fd), the GC
/// and the GL object counts of the render context; the render thread only drains GL errors (allocation-free).
/// Samples in the warm-up (the first third of the run, at most <c>maxWarmUp</c>) are kept but left out of the drift
/// numbers.
/// </summary>
public sealed class HealthMonitor : IDisposable
{
    private static readonly int s_glObjectKinds = Enum.GetValues<GlObjectKind>().Length;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _maxWarmUp;
    private readonly Func<long> _frames;
    private readonly GlObjectCounts _gl;
    private readonly List<HealthSample> _samples = [];
    private readonly Stopwatch _clock = new();
    private readonly ManualResetEventSlim _stop = new();
    private readonly StreamWriter? _csv;
    private Thread? _thread;

    public HealthMonitor(TimeSpan interval, TimeSpan maxWarmUp, GlObjectCounts gl, Func<long> frames, string? csvPath)
    {
        _interval = interval;
        _maxWarmUp = maxWarmUp;
        _gl = gl;
        _frames = frames;
        if (csvPath is not null)
        {
            OwnerOnlyDirectory.CreateFor(csvPath);
            _csv = new StreamWriter(csvPath);
            _csv.WriteLine(HealthSample.CsvHeader);
            _csv.Flush();
        }
    }

    public TimeSpan Interval => _interval;

    /// <summary>Samples taken so far (a copy; safe from any thread).</summary>
    public IReadOnlyList<HealthSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public void Start()
    {
        _clock.Start();
        _thread = new Thread(Loop) { IsBackground = true, Name = "health" };
        _thread.Start();
    }

    /// <summary>
    /// Has the sampling thread take the run's last sample and stop, then closes the CSV. Called before anything is
    /// torn down: a periodic sample racing the teardown would count half-deleted GL objects. The last sample is taken
    /// on the sampling thread so that its thread count is comparable with the others. Safe to call twice.
    /// </summary>
    public void StopWithLastSample()
    {
        if (_thread is null)
        {
            return;
        }

        _stop.Set();
        _thread.Join();
        _thread = null;
        lock (_samples)
        {
            _csv?.Dispose();
        }
    }

    public void Dispose()
    {
        StopWithLastSample();
        _csv?.Dispose();
        _stop.Dispose();
    }

    /// <summary>Drift after warm-up: first vs last resident and managed memory, and the range of every count.</summary>
    public HealthDrift Drift()
    {
        IReadOnlyList<HealthSample> all = Samples;
        TimeSpan warmUp = all.Count == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(_maxWarmUp.TotalSeconds, all[^1].Seconds / 3));
        HealthSample[] steady = all.Where(s => s.Seconds >= warmUp.TotalSeconds).ToArray();
        return new HealthDrift(_interval, warmUp, all.Count, steady);
    }

    private void Loop()
    {
        Record(Take());
        while (!_stop.Wait(_interval))
        {
            Record(Take());
        }

        Record(Take());
    }

    private void Record(HealthSample sample)
    {
        lock (_samples)
        {
            _samples.Add(sample);
            if (_csv is null || _thread is null)
            {
                return;
            }

            try
            {
                _csv.WriteLine(sample.ToCsv());
                _csv.Flush();
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"skinlive: health samples could not be written: {ex.Message}");
            }
        }
    }

    private HealthSample Take()
    {
        (int threads, int runtimePoolThreads) = ProcSelf.Threads();
        (int fds, int assemblyFds) = ProcSelf.Descriptors();
        long[] gl = new long[s_glObjectKinds];
        for (int i = 0; i < gl.Length; i++)
        {
            gl[i] = _gl.Live((GlObjectKind)i);
        }

        return new HealthSample(
            _clock.Elapsed.TotalSeconds,
            _frames(),
            ProcSelf.ResidentBytes(),
            GC.GetTotalMemory(forceFullCollection: false),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            threads,
            runtimePoolThreads,
            fds,
            assemblyFds,
            gl,
            _gl.Errors,
            CrashLog.UnhandledExceptions);
    }
}

/// <summary>What a soak proves: memory drift after warm-up and the range of each count (0 means constant).</summary>
public sealed class HealthDrift(TimeSpan interval, TimeSpan warmUp, int samples, HealthSample[] steady)
{
    public int Samples => samples;

    public int SteadySamples => steady.Length;

    public HealthSample? First => steady.Length > 0 ? steady[0] : null;

    public HealthSample? Last => steady.Length > 0 ? steady[^1] : null;

    public long ResidentDriftBytes => steady.Length > 0 ? steady[^1].ResidentBytes - steady[0].ResidentBytes : 0;

    public long ManagedDriftBytes => steady.Length > 0 ? steady[^1].ManagedBytes - steady[0].ManagedBytes : 0;

    public (long Min, long Max) Range(Func<HealthSample, long> value) =>
        steady.Length == 0 ? (0, 0) : (steady.Min(value), steady.Max(value));

    public (long Min, long Max) GlRange(GlObjectKind kind) => Range(s => s.Gl(kind));

    /// <summary>Adds a "health" object to a profile's summary.json.</summary>
    public void WriteInto(string summaryPath)
    {
        System.Text.Json.Nodes.JsonNode root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(summaryPath))!;
        var health = new System.Text.Json.Nodes.JsonObject
        {
            ["interval_s"] = interval.TotalSeconds,
            ["warm_up_s"] = warmUp.TotalSeconds,
            ["samples"] = samples,
            ["samples_after_warm_up"] = steady.Length,
            ["seconds_after_warm_up"] = steady.Length > 0 ? steady[^1].Seconds - steady[0].Seconds : 0,
            ["rss_mb_after_warm_up"] = First is { } f ? f.ResidentBytes / 1048576.0 : null,
            ["rss_mb_last"] = Last is { } l ? l.ResidentBytes / 1048576.0 : null,
            ["rss_drift_mb"] = ResidentDriftBytes / 1048576.0,
            ["managed_mb_after_warm_up"] = First is { } fm ? fm.ManagedBytes / 1048576.0 : null,
            ["managed_drift_mb"] = ManagedDriftBytes / 1048576.0,
            ["gc_collections_after_warm_up"] = Last is { } lg && First is { } fg
                ? new System.Text.Json.Nodes.JsonArray(lg.Gen0Collections - fg.Gen0Collections, lg.Gen1Collections - fg.Gen1Collections, lg.Gen2Collections - fg.Gen2Collections)
                : null,
            ["threads"] = RangeNode(Range(s => s.Threads)),
            ["threads_without_runtime_pool"] = RangeNode(Range(s => s.Threads - s.RuntimePoolThreads)),
            ["fds"] = RangeNode(Range(s => s.FileDescriptors)),
            ["fds_without_assemblies"] = RangeNode(Range(s => s.FileDescriptors - s.AssemblyFileDescriptors)),
            ["gl_errors"] = Last?.GlErrors ?? 0,
            ["unhandled_exceptions"] = Last?.UnhandledExceptions ?? 0,
        };
        var gl = new System.Text.Json.Nodes.JsonObject();
        foreach (GlObjectKind kind in Enum.GetValues<GlObjectKind>())
        {
            gl[kind.ToString().ToLowerInvariant()] = RangeNode(GlRange(kind));
        }

        health["gl_objects"] = gl;
        health["definitions"] = "Drift and ranges use the samples at or after warm_up_s: rss/managed drift = last - first; each count is [min, max] (equal: constant). gl_syncs are fences in flight, bounded by the readback rings, not constant.";
        root["health"] = health;
        File.WriteAllText(summaryPath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static System.Text.Json.Nodes.JsonArray RangeNode((long Min, long Max) range) => new(range.Min, range.Max);
}
