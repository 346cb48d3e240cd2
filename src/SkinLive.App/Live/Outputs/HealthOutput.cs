using SkinLive.App.Health;
using SkinLive.Gpu.Platform;

namespace SkinLive.App.Live.Outputs;

/// <summary>
/// The health log of a profiled run: a <see cref="HealthMonitor"/> sampling on its own thread into a CSV. The render
/// thread's part is draining GL errors once per frame after the swap (<see cref="DrainGlErrors"/>), so the samples
/// can count them.
/// </summary>
public sealed class HealthOutput(TimeSpan interval, TimeSpan maxWarmUp, string? csvPath) : ILiveOutput
{
    private RenderHost? _host;
    private GlObjectCounts? _gl;

    /// <summary>The monitor once started (for the profile's drift numbers).</summary>
    public HealthMonitor? Monitor { get; private set; }

    public OutputReport Report { get; private set; }

    public void Start(RenderHost host)
    {
        _host = host;
        _gl = GlObjectCounts.Of(host.Context.Gl);
        Monitor = new HealthMonitor(interval, maxWarmUp, _gl, () => host.FrameCount, csvPath);
        Monitor.Start();
    }

    public void OnFrame(in ComposedFrame frame)
    {
        // Samples are taken on the monitor's own clock, not per frame.
    }

    /// <summary>Render thread, after the swap.</summary>
    public void DrainGlErrors() => _gl?.DrainErrors(_host!.Context.Gl);

    /// <summary>Takes the last sample; first among the outputs, so it still sees the whole pipeline.</summary>
    public void Stop(bool orderly)
    {
        if (Monitor is null)
        {
            return;
        }

        Monitor.StopWithLastSample();
        Report = new OutputReport("health", null, Monitor.Samples.Count, 0, null);
    }
}
