using SkinLive.App.Overlay;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;

namespace SkinLive.App.Live.Outputs;

/// <summary>One displayed frame as the outputs see it: the composed picture (video + overlay) and what it showed.</summary>
public readonly struct ComposedFrame(RenderHost host, GpuFramePipeline pipeline, OverlayState shown, long displayed, bool isLast)
{
    /// <summary>The framebuffer holding the composed picture (bottom row first, as GL reads it).</summary>
    public uint Framebuffer => host.Framebuffer;

    public int Width => host.FramebufferWidth;

    public int Height => host.FramebufferHeight;

    /// <summary>The frame on screen: its id, capture time and size.</summary>
    public GpuFramePipeline Pipeline => pipeline;

    /// <summary>The result on screen: box, verdict, probabilities, status.</summary>
    public OverlayState Shown => shown;

    /// <summary>Displayed frames before this one in this run (0-based counter).</summary>
    public long Displayed => displayed;

    /// <summary>The run ends after this frame (a frame or time limit was reached).</summary>
    public bool IsLast => isLast;
}

/// <summary>
/// What an output says when the run ends, the same for every output: how much it wrote and lost (in its own unit:
/// frames, bytes, samples), the line for stdout (null: nothing to say), and why it failed, as one sentence (null: it did
/// not).
/// </summary>
public readonly record struct OutputReport(string Name, string? Summary, long Written, long Dropped, string? Failure);

/// <summary>
/// Something the live view writes as it runs (recording, trace, snapshots, health samples, profile), in the spirit of
/// OBS's outputs: started once the GL context is current, handed every composed frame, stopped at the end, and
/// reporting the same way. <see cref="OnFrame"/> runs on the render thread inside the frame: it must not block or
/// allocate; disk and encoder work belongs on the output's own thread.
/// </summary>
public interface ILiveOutput
{
    /// <summary>Render thread, once, in the host's Load (GL current).</summary>
    void Start(RenderHost host);

    /// <summary>Render thread, once per displayed frame, after the overlay is drawn and before the swap.</summary>
    void OnFrame(in ComposedFrame frame);

    /// <summary>
    /// Ends the output. <paramref name="orderly"/>: the render loop reached its end with GL current, so the output may
    /// wait for what it has in flight; false: the loop died, finish with what was handed over without touching GL.
    /// </summary>
    void Stop(bool orderly);

    /// <summary>Valid after <see cref="Stop"/>.</summary>
    OutputReport Report { get; }
}
