using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SkinLive.App;
using SkinLive.App.Profiling;
using SkinLive.Profiling;

namespace SkinLive.Tests.Profiling;

/// <summary>
/// Listeners here subscribe to every "SkinLive" meter in the process; run alone so that their callbacks do not
/// land on other tests' threads (the allocation-free recording tests would count them).
/// </summary>
[CollectionDefinition(nameof(MeterListenerCollection), DisableParallelization = true)]
public sealed class MeterListenerCollection;

[Collection(nameof(MeterListenerCollection))]
public sealed class SkinLiveMeterTests
{
    private static long Ticks(double ms) => FrameStages.MillisecondsToTicks(ms);

    private static FrameRecord Frame(long sourceId, int captureDrops) => new()
    {
        FrameMilliseconds = 10,
        SourceFrameId = sourceId,
        CaptureTimestamp = Ticks(1000 + (10 * sourceId)),
        DisplayTimestamp = Ticks(1025 + (10 * sourceId)),
        NewSourceFrame = true,
        ResultFrameId = sourceId - 3,
        ResultCaptureTimestamp = Ticks(1000 + (10 * (sourceId - 3))),
        CaptureDrops = captureDrops,
        GpuMilliseconds = double.NaN,
    };

    [Fact]
    public void Frames_drops_latency_and_rates_reach_a_listener_on_the_SkinLive_meter()
    {
        using var meter = new SkinLiveMeter();
        Assert.Equal("SkinLive", meter.Meter.Name);
        var longs = new Dictionary<string, long>();
        var doubles = new Dictionary<string, double>();
        var droppedByStage = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter.Meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            longs[instrument.Name] = longs.GetValueOrDefault(instrument.Name) + value;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                droppedByStage[(string)tag.Value!] = droppedByStage.GetValueOrDefault((string)tag.Value!) + value;
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => doubles[instrument.Name] = value);
        listener.Start();

        for (int i = 0; i < 100; i++)
        {
            meter.RecordFrame(Frame(i + 3, captureDrops: i % 2));
        }

        long now = Stopwatch.GetTimestamp();
        for (int k = 0; k <= 50; k++)
        {
            meter.RecordInference(now + Ticks((20 * k) - 4), now + Ticks(20 * k));
        }

        listener.RecordObservableInstruments();

        Assert.Equal(100, longs["skinlive.frames"]);
        Assert.Equal(50, droppedByStage["capture"]);
        Assert.Equal(25.0, doubles["skinlive.latency"], 6);
        Assert.Equal(30.0, doubles["skinlive.staleness"], 6);
        Assert.Equal(3, longs["skinlive.staleness.frames"]);
        Assert.Equal(100.0, doubles["skinlive.fps"], 6);
        Assert.Equal(50.0, doubles["skinlive.inference.rate"], 6);
        Assert.Equal(4.0, doubles["skinlive.inference.duration"], 6);
        Assert.Equal(51, longs["skinlive.inference.runs"]);
        Assert.Equal(100.0, meter.FramesPerSecond, 6);
        Assert.Equal(50.0, meter.InferenceHz, 6);
    }

    [Fact]
    public async Task Otlp_export_posts_the_SkinLive_counters_to_the_collector_over_http()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        Task<(string Path, byte[] Body)> received = Task.Run(async () =>
        {
            HttpListenerContext context = await collector.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            context.Response.StatusCode = 200;
            context.Response.Close();
            return (context.Request.Url!.AbsolutePath, body.ToArray());
        });

        using (var meter = new SkinLiveMeter())
        using (OtlpExport.Start(new Uri($"http://127.0.0.1:{port}/v1/metrics"), TimeSpan.FromMinutes(1)))
        {
            meter.RecordFrame(Frame(5, captureDrops: 2));
        }

        (string path, byte[] body) = await received.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("/v1/metrics", path);
        string payload = Encoding.UTF8.GetString(body);
        Assert.Contains("skinlive.frames", payload, StringComparison.Ordinal);
        Assert.Contains("skinlive.frame.duration", payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Otlp_export_refuses_a_url_that_is_not_http()
    {
        var error = Assert.Throws<UsageException>(() => OtlpExport.Start(new Uri("ftp://collector/"), TimeSpan.FromSeconds(5)));
        Assert.Contains("--otlp", error.Message, StringComparison.Ordinal);
    }
}
