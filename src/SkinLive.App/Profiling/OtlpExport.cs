using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using SkinLive.Profiling;

namespace SkinLive.App.Profiling;

/// <summary>
/// Exports the <see cref="SkinLiveMeter"/> counters (performance and health only) to an OpenTelemetry collector.
/// A URL with a path (e.g. http://host:4318/v1/metrics) is used as is with OTLP over HTTP/protobuf; a bare
/// host and port (e.g. http://host:4317) gets OTLP over gRPC. Disposing the returned handle sends the last
/// values and stops the export.
/// </summary>
public static class OtlpExport
{
    public static IDisposable Start(Uri endpoint, TimeSpan exportInterval)
    {
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--otlp needs an http:// or https:// URL (e.g. http://localhost:4317), not '{endpoint}'.");
        }

        bool grpc = endpoint.AbsolutePath is "/" or "";
        return Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService("skinlive"))
            .AddMeter(SkinLiveMeter.MeterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = endpoint;
                exporter.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)exportInterval.TotalMilliseconds;
            })
            .Build();
    }
}
