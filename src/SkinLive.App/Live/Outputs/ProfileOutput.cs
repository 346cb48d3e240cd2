using SkinLive.App.Profiling;
using SkinLive.Gpu.Platform;
using SkinLive.Profiling;

namespace SkinLive.App.Live.Outputs;

/// <summary>
/// <c>--profile DIR</c>: when the run ends in order, the frame recorder's stage times become the profile report, and
/// the health drift goes into its summary. The frames themselves are recorded by the session's stages, so nothing
/// happens per frame here. After a crash no profile is written.
/// </summary>
/// <param name="model">The model's name as the run reports it (null: none).</param>
/// <param name="source">The source's description.</param>
/// <param name="backend">The preprocessing backend the run used (known once the loop has loaded).</param>
public sealed class ProfileOutput(string directory, FrameRecorder recorder, HealthOutput? health, string? model, string source, Func<SkinLive.Preprocessing.PreprocessBackend> backend) : ILiveOutput
{
    private GlCapabilities? _gl;

    public OutputReport Report { get; private set; }

    public void Start(RenderHost host) => _gl = host.Context.Capabilities;

    public void OnFrame(in ComposedFrame frame)
    {
        // The recorder already has the frame: the session's stages record into it.
    }

    public void Stop(bool orderly)
    {
        if (!orderly || _gl is null)
        {
            return;
        }

        try
        {
            FrameSummary summary = ProfileWriter.Write(directory, recorder, new ProfileMetadata
            {
                GlRenderer = _gl.Renderer,
                GlVersion = _gl.Version,
                Model = model,
                Source = source,
                Preprocess = backend(),
            });
            health?.Monitor?.Drift().WriteInto(Path.Combine(directory, ProfileWriter.SummaryFile));
            Report = new OutputReport("profile", $"profile: {directory} ({summary.Frames} frames, {summary.AverageFps:0.0} fps average, p99 {summary.FrameTimeMs.P99:0.0} ms, 1% low {summary.OnePercentLowFps:0.0} fps)", summary.Frames, 0, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Report = new OutputReport("profile", null, 0, 0, $"the profile could not be written to {directory}: {ex.Message}");
        }
    }
}
