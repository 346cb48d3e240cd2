using System.Diagnostics;
using SkinLive.App.Overlay;
using SkinLive.Capture;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Gpu.Rendering;
using SkinLive.Platform;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.App.Live;

/// <summary>When a run ends and what it leaves behind.</summary>
public sealed record LiveOptions
{
    /// <summary>Stop after this many displayed frames (0: no limit).</summary>
    public int Frames { get; init; }

    /// <summary>Stop after this many seconds (0: no limit).</summary>
    public double Seconds { get; init; }

    /// <summary>PNG of the last displayed frame, overlay included (null: none).</summary>
    public string? SnapshotPath { get; init; }

    /// <summary>Video file of the composited output (null: no recording).</summary>
    public string? RecordPath { get; init; }

    /// <summary>Frame rate written into the recording: one recorded frame per displayed frame.</summary>
    public double RecordFps { get; init; } = 30;

    /// <summary>Wait for the encoder rather than drop a frame (headless runs).</summary>
    public bool RecordLossless { get; init; }
}

/// <summary>
/// One live view: a render host, a frame source, the GPU frame loop and the overlay, wired together on the
/// render thread. Owns the overlay's GL objects (created in Load, deleted in Closing); the caller owns the host
/// and the source.
/// </summary>
public sealed class LiveSession
{
    private readonly RenderHost _host;
    private readonly IFrameSource _source;
    private readonly LiveOptions _options;
    private readonly FrameLoop _loop;
    private readonly OverlayPainter _painter = new();
    private readonly Stopwatch _clock = new();
    private OverlayRenderer? _overlay;
    private VideoRecorder? _recorder;
    private AsyncReadback? _recordReadback;
    private GlSync? _recordSync;
    private long _displayed;
    private double _smoothedFrameSeconds;
    private byte[]? _snapshot;

    public LiveSession(RenderHost host, IFrameSource source, PreprocessSpec spec, TensorDoubleBuffer tensors, LiveOptions options)
    {
        _host = host;
        _source = source;
        _options = options;
        _loop = new FrameLoop(host, source, spec, tensors);
        State.SourceDescription = source.Description;
        host.Load += OnLoad;
        host.Update += OnUpdate;
        host.Key += OnKey;
        host.Closing += OnClosing;
        _loop.Rendered += OnRendered;
    }

    public OverlayState State { get; } = new();

    public FrameLoop Loop => _loop;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Frames written to the recording, frames it lost, and why it stopped (null when it did not).</summary>
    public (long Written, long Dropped, string? Failure) Recording { get; private set; }

    /// <summary>Runs until the user quits or a limit in the options is reached; writes the snapshot if one was asked for.</summary>
    public void Run()
    {
        _source.Start();
        try
        {
            _host.Run();
        }
        finally
        {
            _source.Stop();
        }

        if (_options.SnapshotPath is { } path && _snapshot is not null)
        {
            PngWriter.Save(path, _snapshot, _host.FramebufferWidth, _host.FramebufferHeight);
        }
    }

    private void OnLoad()
    {
        _overlay = new OverlayRenderer(_host.Context.Gl, new ShaderLibrary(_host.Context.Gl));
        if (_options.RecordPath is { } path)
        {
            _recorder = new VideoRecorder(path, _host.FramebufferWidth, _host.FramebufferHeight, _options.RecordFps, _options.RecordLossless);
            _recordSync = new GlSync(_host.Context.Gl);
            _recordReadback = new AsyncReadback(_host.Context.Gl, _recordSync, _recorder, _recorder.Width, _recorder.Height, ringSize: 4, ReadbackFormat.Rgba8);
        }

        _clock.Start();
    }

    private void OnUpdate(double dt)
    {
        _smoothedFrameSeconds = _smoothedFrameSeconds == 0 ? dt : (0.95 * _smoothedFrameSeconds) + (0.05 * dt);
        State.FrameMilliseconds = _smoothedFrameSeconds * 1000;
        State.FramesPerSecond = _smoothedFrameSeconds > 0 ? 1 / _smoothedFrameSeconds : 0;
        State.Status = _source.Status switch
        {
            SourceStatus.Disconnected => "Camera disconnected, reconnecting…",
            SourceStatus.Faulted => "Camera failed",
            SourceStatus.Ended => "End of recording",
            _ => State.Status,
        };
    }

    private void OnRendered(GpuFramePipeline pipeline)
    {
        OverlayRenderer overlay = _overlay!;
        int width = _host.FramebufferWidth, height = _host.FramebufferHeight;
        (float X, float Y, float Width, float Height) video = (0, 0, width, height);
        if (pipeline.HasFrame)
        {
            (int x, int y, int w, int h) = FramePresenter.Letterbox(pipeline.FrameWidth, pipeline.FrameHeight, width, height);
            video = (x, height - (y + h), w, h);
        }

        _painter.Paint(overlay, State, video, width, height);
        overlay.Flush(_host.Framebuffer, width, height);
        _displayed++;
        if (_recordReadback is not null && _recorder is not null)
        {
            if (width == _recorder.Width && height == _recorder.Height)
            {
                _recordReadback.TryIssue(_host.Framebuffer, default, _displayed);
            }

            _recordReadback.Poll(_displayed);
        }

        bool last = (_options.Frames > 0 && _host.FrameCount + 1 >= _options.Frames)
            || (_options.Seconds > 0 && _clock.Elapsed.TotalSeconds >= _options.Seconds);
        if (last)
        {
            if (_options.SnapshotPath is not null)
            {
                _snapshot = _host.ReadPixels();
            }

            _host.Close();
        }
    }

    private void OnKey(KeyInput key)
    {
        if (key.Action != InputAction.Press)
        {
            return;
        }

        switch (key.Key)
        {
            case NativeGlfw.GLFW_KEY_ESCAPE or NativeGlfw.GLFW_KEY_Q:
                _host.Close();
                break;
            case NativeGlfw.GLFW_KEY_H:
                State.ShowHud = !State.ShowHud;
                break;
            case NativeGlfw.GLFW_KEY_F or NativeGlfw.GLFW_KEY_F11 when _host is GlfwWindowHost window:
                window.ToggleFullscreen();
                break;
            case NativeGlfw.GLFW_KEY_V when _host is GlfwWindowHost window:
                window.SetVSync(!window.VSync);
                break;
        }
    }

    private void OnClosing()
    {
        if (_recordReadback is not null && _recorder is not null && _recordSync is not null)
        {
            // Shutdown may wait: the last frames in flight belong in the file.
            _recordSync.Finish();
            _recordReadback.Poll(_displayed);
            _recordReadback.Dispose();
            _recorder.Dispose();
            Recording = (_recorder.Written, _recorder.Dropped + _recordReadback.Skipped, _recorder.Failure);
        }

        _overlay?.Dispose();
        _overlay = null;
    }
}
