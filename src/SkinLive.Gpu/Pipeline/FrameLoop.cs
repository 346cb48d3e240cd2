using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Gpu.Platform;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.Gpu.Pipeline;

/// <summary>
/// Drives a <see cref="GpuFramePipeline"/> from a render host's loop: each <see cref="Update"/> takes the newest frame
/// from the source's mailbox (if one arrived), uploads and preprocesses it, releases it, and publishes finished
/// readbacks; each <see cref="Render"/> draws the newest converted frame. Nothing here waits on the source, the GPU or
/// the consumer. It subscribes to nothing: its owner calls <see cref="Load"/>, <see cref="Update"/>,
/// <see cref="Render"/> and <see cref="Unload"/> where they belong in its own frame, on the render thread.
/// </summary>
public sealed class FrameLoop
{
    private readonly RenderHost _host;
    private readonly PreprocessSpec _spec;
    private readonly TensorDoubleBuffer _tensors;
    private readonly int _readbackRing;
    private GpuFramePipeline? _pipeline;
    private long _frameNumber;

    public FrameLoop(RenderHost host, IFrameSource source, PreprocessSpec spec, TensorDoubleBuffer tensors, int readbackRing = 3)
    {
        _host = host;
        Source = source;
        _spec = spec;
        _tensors = tensors;
        _readbackRing = readbackRing;
    }

    /// <summary>Per-stage times of each frame go here when set.</summary>
    public Profiling.FrameRecorder? Recorder { get; set; }

    /// <summary>Where frames come from; the render thread may swap it between frames (the C key).</summary>
    public IFrameSource Source { get; set; }

    /// <summary>While frozen the last frame stays on screen and no new tensors are made; the source keeps running.</summary>
    public bool Frozen { get; set; }

    /// <summary>Where in the frame (normalized) the next tensor is taken; set by the localizer or the user.</summary>
    public RectangleF Roi { get; set; } = RectangleF.Unit;

    public TensorDoubleBuffer Tensors => _tensors;

    public bool HasPipeline => _pipeline is not null;

    public GpuFramePipeline Pipeline => _pipeline ?? throw new InvalidOperationException("The loop has not loaded yet.");

    /// <summary>Camera frames uploaded so far.</summary>
    public long FramesUploaded { get; private set; }

    /// <summary>Loop iterations that found no new camera frame and redrew the previous one.</summary>
    public long RepeatedFrames { get; private set; }

    /// <summary>Tensors read back so far.</summary>
    public long ReadbacksCompleted { get; private set; }

    /// <summary>Readbacks skipped because every buffer was in flight.</summary>
    public long ReadbacksSkipped { get; private set; }

    /// <summary>Mean frames between issuing a readback and its tensor reaching the consumer.</summary>
    public double MeanReadbackLatencyFrames { get; private set; }

    /// <summary>Creates the pipeline (the host's Load).</summary>
    public void Load() => _pipeline = new GpuFramePipeline(_host.Context, _spec, _tensors, _readbackRing);

    /// <summary>Takes, uploads and preprocesses the newest frame, and publishes finished readbacks (the host's Update).</summary>
    public void Update()
    {
        GpuFramePipeline pipeline = Pipeline;
        _frameNumber++;
        Frame? frame = Frozen ? null : Source.Mailbox.TryTake();
        if (frame is not null)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                pipeline.Submit(frame, Roi, _frameNumber);
            }
            finally
            {
                frame.Release();
            }

            if (Recorder is { } recorder)
            {
                long uploaded = start + (long)(pipeline.LastUploadMilliseconds * System.Diagnostics.Stopwatch.Frequency / 1000);
                recorder.AddStage(Profiling.FrameStage.Upload, start, uploaded);
                recorder.AddStage(Profiling.FrameStage.ConvertPreprocess, uploaded, System.Diagnostics.Stopwatch.GetTimestamp());
            }

            FramesUploaded++;
        }
        else
        {
            RepeatedFrames++;
        }

        long pollStart = System.Diagnostics.Stopwatch.GetTimestamp();
        pipeline.Poll(_frameNumber);
        Recorder?.AddStage(Profiling.FrameStage.ReadbackPoll, pollStart, System.Diagnostics.Stopwatch.GetTimestamp());
        AsyncReadback readback = pipeline.Readback;
        ReadbacksCompleted = readback.Completed;
        ReadbacksSkipped = readback.Skipped;
        MeanReadbackLatencyFrames = readback.Completed == 0 ? 0 : (double)readback.TotalLatencyFrames / readback.Completed;
    }

    /// <summary>Draws the newest frame, letterboxed, into the host's framebuffer (the host's Render).</summary>
    public void Render() => Pipeline.Present(_host.Framebuffer, _host.FramebufferWidth, _host.FramebufferHeight);

    /// <summary>Deletes the pipeline's GL objects (the host's Closing).</summary>
    public void Unload()
    {
        _pipeline?.Dispose();
        _pipeline = null;
    }
}
