using SkinLive.Gpu.Platform;

namespace SkinLive.App.Live.Outputs;

/// <summary>
/// The outputs of one run, in order: started together, handed each composed frame on the render thread (checked),
/// stopped in order (the first sees the pipeline still whole), and reported in order.
/// </summary>
public sealed class LiveOutputs(IReadOnlyList<ILiveOutput> outputs)
{
    private readonly ILiveOutput[] _outputs = [.. outputs];
    private readonly RenderThreadGuard _renderThread = new("the live outputs");
    private bool _stopped;

    /// <summary>One report per output, in order; valid once the run has ended.</summary>
    public IReadOnlyList<OutputReport> Reports => [.. _outputs.Select(o => o.Report)];

    public void Start(RenderHost host)
    {
        foreach (ILiveOutput output in _outputs)
        {
            output.Start(host);
        }
    }

    public void OnFrame(in ComposedFrame frame)
    {
        _renderThread.Check();
        foreach (ILiveOutput output in _outputs)
        {
            output.OnFrame(frame);
        }
    }

    /// <summary>Stops every output once; see <see cref="ILiveOutput.Stop"/> for <paramref name="orderly"/>.</summary>
    public void Stop(bool orderly)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        foreach (ILiveOutput output in _outputs)
        {
            output.Stop(orderly);
        }
    }
}
