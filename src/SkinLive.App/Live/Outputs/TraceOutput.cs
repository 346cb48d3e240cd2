using System.Diagnostics;
using SkinLive.Frames;
using SkinLive.Gpu.Platform;

namespace SkinLive.App.Live.Outputs;

/// <summary><c>--trace</c>: one JSON line per displayed frame, of what was on screen, through a <see cref="TraceWriter"/>.</summary>
public sealed class TraceOutput(string path, IReadOnlyList<string> labels) : ILiveOutput
{
    private TraceWriter? _writer;
    private long _lines;

    public OutputReport Report { get; private set; }

    public void Start(RenderHost host) => _writer = new TraceWriter(path, labels);

    public void OnFrame(in ComposedFrame frame)
    {
        if (_writer is null)
        {
            return;
        }

        Overlay.OverlayState shown = frame.Shown;
        Gpu.Pipeline.GpuFramePipeline pipeline = frame.Pipeline;
        RectangleF? box = null;
        if (shown.Box is { } b && pipeline.HasFrame)
        {
            box = new RectangleF(b.X * pipeline.FrameWidth, b.Y * pipeline.FrameHeight, b.Width * pipeline.FrameWidth, b.Height * pipeline.FrameHeight);
        }

        _writer.Write(new TraceEntry
        {
            Displayed = frame.Displayed,
            Frame = pipeline.HasFrame ? pipeline.FrameId : -1,
            CaptureTimestamp = pipeline.FrameCaptureTimestamp,
            DisplayTimestamp = Stopwatch.GetTimestamp(),
            Box = box,
            BoxFrame = shown.BoxFrame,
            ResultFrame = shown.ResultFrame,
            ResultCaptureTimestamp = shown.ResultCaptureTimestamp,
            Probabilities = shown.Probabilities,
            Verdict = shown.Label,
            Stable = shown.Stable,
            Quality = shown.Quality,
            Status = shown.Status,
            FullScreenMessage = shown.FullScreenMessage,
        });
        _lines++;
    }

    public void Stop(bool orderly)
    {
        if (_writer is null)
        {
            return;
        }

        _writer.Dispose();
        long lost = _writer.DroppedBytes;
        Report = new OutputReport(
            "trace",
            $"trace: {path}" + (lost > 0 ? $" ({lost} bytes lost: the disk fell behind)" : string.Empty),
            _lines,
            lost,
            _writer.Failure is { } failure ? $"the trace could not be written: {failure}" : null);
        _writer = null;
    }
}
