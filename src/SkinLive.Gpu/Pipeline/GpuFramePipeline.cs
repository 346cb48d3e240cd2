using System.Diagnostics;
using Silk.NET.OpenGL;
using SkinLive.Frames;
using SkinLive.Gpu.Platform;
using SkinLive.Gpu.Rendering;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.Gpu.Pipeline;

/// <summary>
/// The render thread's GPU work for one camera frame: upload → preprocess (with colour conversion) → asynchronous
/// readback into the <see cref="TensorDoubleBuffer"/>, and drawing the frame. Owns every GL object it
/// uses; create, use and dispose it on the thread that owns the context.
/// </summary>
public sealed class GpuFramePipeline : IDisposable
{
    private readonly RenderThreadGuard _renderThread = new("the GPU frame pipeline");
    private readonly GL _gl;
    private readonly FullscreenTriangle _triangle;
    private readonly FrameUploader _uploader;
    private readonly GpuPreprocessor _preprocessor;
    private readonly AsyncReadback _readback;
    private readonly LocalizationMapPass _mapPass;
    private readonly FramePresenter _presenter;
    private readonly GpuTimer _timer;
    private ColorSpec _frameColor;

    public GpuFramePipeline(IGlContext context, PreprocessSpec spec, TensorDoubleBuffer tensors, int readbackRing = 3, ShaderLibrary? shaders = null)
    {
        if (tensors.ElementCount != spec.ElementCount)
        {
            throw new ArgumentException($"The tensor buffer holds {tensors.ElementCount} floats; the model needs {spec.ElementCount}.", nameof(tensors));
        }

        _gl = context.Gl;
        Sync = new GlSync(_gl);
        shaders ??= new ShaderLibrary(_gl);
        var owned = new List<IDisposable>();
        try
        {
            _triangle = Own(owned, new FullscreenTriangle(_gl));
            _uploader = Own(owned, new FrameUploader(_gl));
            _preprocessor = Own(owned, new GpuPreprocessor(_gl, shaders, _triangle, spec));
            _readback = Own(owned, new AsyncReadback(_gl, Sync, new TensorSink(tensors), _preprocessor.Output.Width, _preprocessor.Output.Height, readbackRing));
            _mapPass = Own(owned, new LocalizationMapPass(_gl, Sync, shaders, _triangle));
            _presenter = Own(owned, new FramePresenter(_gl, shaders, _triangle));
            _timer = Own(owned, new GpuTimer(_gl, context));
        }
        catch
        {
            owned.Reverse();
            owned.ForEach(o => o.Dispose());
            throw;
        }
    }

    public GlSync Sync { get; }

    public PreprocessSpec Spec => _preprocessor.Spec;

    public AsyncReadback Readback => _readback;

    public GpuTimer Timer => _timer;

    /// <summary>The newest low-resolution map of the whole frame, for lesion localization and quality checks.</summary>
    public LocalizationMap Map => _mapPass.Map;

    /// <summary>When false, frames are only uploaded and drawn (no localization map).</summary>
    public bool LocalizationEnabled { get; set; } = true;

    /// <summary>Render-thread milliseconds of the last upload (copy into the unpack buffer + texture update).</summary>
    public double LastUploadMilliseconds { get; private set; }

    /// <summary>Render-thread milliseconds of the last convert + preprocess + readback issue (llvmpipe renders synchronously here).</summary>
    public double LastProcessMilliseconds { get; private set; }

    public bool HasFrame { get; private set; }

    /// <summary>Source index of the frame on screen.</summary>
    public long FrameId { get; private set; }

    /// <summary>Capture time (Stopwatch ticks) of the frame on screen.</summary>
    public long FrameCaptureTimestamp { get; private set; }

    public int FrameWidth { get; private set; }
    public int FrameHeight { get; private set; }

    /// <summary>
    /// Uploads and converts <paramref name="frame"/>; when <paramref name="preprocess"/>, also computes its tensor for
    /// <paramref name="roi"/> and queues the readback. The frame's bytes are copied: the caller may release it afterwards.
    /// </summary>
    public void Submit(Frame frame, RectangleF roi, long frameNumber, bool preprocess = true)
    {
        _renderThread.Check();
        long start = Stopwatch.GetTimestamp();
        _uploader.Upload(frame);
        long uploaded = Stopwatch.GetTimestamp();
        _timer.Begin();
        if (preprocess)
        {
            _preprocessor.Run(_uploader, frame.Color, roi);
        }

        _timer.End();
        var stamp = new TensorStamp(frame.Id, frame.CaptureTimestamp, new RectangleStamp(roi.X, roi.Y, roi.Width, roi.Height));
        if (preprocess)
        {
            _readback.TryIssue(_preprocessor.Output, stamp, frameNumber);
        }

        if (LocalizationEnabled)
        {
            _mapPass.Run(_uploader, frame.Color, stamp, frameNumber);
        }

        long end = Stopwatch.GetTimestamp();
        LastUploadMilliseconds = Stopwatch.GetElapsedTime(start, uploaded).TotalMilliseconds;
        LastProcessMilliseconds = Stopwatch.GetElapsedTime(uploaded, end).TotalMilliseconds;
        HasFrame = true;
        FrameWidth = frame.Width;
        FrameHeight = frame.Height;
        FrameId = frame.Id;
        FrameCaptureTimestamp = frame.CaptureTimestamp;
        _frameColor = frame.Color;
    }

    /// <summary>Publishes finished readbacks and collects timer results; never waits.</summary>
    public int Poll(long frameNumber)
    {
        _renderThread.Check();
        _timer.Poll();
        _mapPass.Readback.Poll(frameNumber);
        return _readback.Poll(frameNumber);
    }

    /// <summary>Draws the last frame letterboxed into <paramref name="framebuffer"/> (black when there is none yet).</summary>
    public void Present(uint framebuffer, int width, int height)
    {
        _renderThread.Check();
        if (!HasFrame)
        {
            _gl.BindFramebuffer(FramebufferTarget.Framebuffer, framebuffer);
            _gl.Viewport(0, 0, (uint)width, (uint)height);
            _gl.ClearColor(0f, 0f, 0f, 1f);
            _gl.Clear(ClearBufferMask.ColorBufferBit);
            return;
        }

        _presenter.Draw(_uploader, _frameColor, framebuffer, width, height);
    }

    /// <summary>
    /// Computes one tensor synchronously (waits for the GPU with glFinish). For still images, tests and tools only;
    /// the live loop uses <see cref="Submit"/> and <see cref="Poll"/>.
    /// </summary>
    public TensorStamp ProcessNow(Frame frame, RectangleF roi, TensorDoubleBuffer tensors, Span<float> destination)
    {
        _renderThread.Check();
        Submit(frame, roi, 0);
        Sync.Finish();
        Poll(0);
        if (!tensors.TryBeginRead(out int index, out TensorStamp stamp))
        {
            throw new InvalidOperationException("The GPU readback did not complete after glFinish (every readback buffer was busy).");
        }

        tensors.Read(index).CopyTo(destination);
        tensors.EndRead();
        return stamp;
    }

    public void Dispose()
    {
        _timer.Dispose();
        _presenter.Dispose();
        _mapPass.Dispose();
        _readback.Dispose();
        _preprocessor.Dispose();
        _uploader.Dispose();
        _triangle.Dispose();
    }

    private static T Own<T>(List<IDisposable> owned, T resource)
        where T : IDisposable
    {
        owned.Add(resource);
        return resource;
    }
}
