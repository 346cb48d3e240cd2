using System.Diagnostics;
using Silk.NET.OpenGL;
using GlPixelFormat = Silk.NET.OpenGL.PixelFormat;

namespace SkinLive.Gpu.Platform;

/// <summary>
/// The game loop, shaped like Silk.NET's IWindow: Load once, then Update and Render every frame, Resize when the
/// framebuffer changes, Closing at the end. Runs on the thread that created the host (it owns the GL context).
/// <see cref="FramesPerSecondCap"/> 0 runs uncapped (or at the display rate with vsync).
/// </summary>
public abstract class RenderHost : IDisposable
{
    private volatile bool _closeRequested;

    public event Action? Load;

    /// <summary>Per frame, before rendering, with seconds since the previous frame.</summary>
    public event Action<double>? Update;

    public event Action<double>? Render;

    /// <summary>The framebuffer changed size (pixels).</summary>
    public event Action<int, int>? Resize;

    public event Action? Closing;

    /// <summary>After the frame was handed to the display (swap), with the time it returned.</summary>
    public event Action<long>? Presented;

    public event Action<KeyInput>? Key;

    public event Action<MouseInput>? Mouse;

    public abstract IGlContext Context { get; }

    /// <summary>Fullscreen, vsync and cursor of the window; null when there is no window (offscreen).</summary>
    public virtual IWindowControls? Window => null;

    /// <summary>The thread that created the host owns its context: the loop, and everything drawn in it, runs there.</summary>
    public RenderThreadGuard RenderThread { get; } = new("the render host");

    /// <summary>The framebuffer to draw the visible picture into (0 for a window).</summary>
    public abstract uint Framebuffer { get; }

    public abstract int FramebufferWidth { get; }

    public abstract int FramebufferHeight { get; }

    public double FramesPerSecondCap { get; set; }

    public long FrameCount { get; private set; }

    public bool IsClosing => _closeRequested;

    /// <summary>Ends the loop after the current frame. Safe from any thread.</summary>
    public void Close() => _closeRequested = true;

    public void Run()
    {
        RenderThread.Check();
        Load?.Invoke();
        Resize?.Invoke(FramebufferWidth, FramebufferHeight);
        long previous = Stopwatch.GetTimestamp();
        while (!_closeRequested)
        {
            long frameStart = Stopwatch.GetTimestamp();
            PollEvents();
            if (_closeRequested)
            {
                break;
            }

            double dt = Stopwatch.GetElapsedTime(previous, frameStart).TotalSeconds;
            previous = frameStart;
            Update?.Invoke(dt);
            Render?.Invoke(dt);
            SwapBuffers();
            Presented?.Invoke(Stopwatch.GetTimestamp());
            FrameCount++;
            Pace(frameStart);
        }

        Closing?.Invoke();
    }

    public abstract void Dispose();

    /// <summary>
    /// The picture drawn so far this frame as RGBA8, top row first. Waits for the GPU: call it from Render for a
    /// snapshot or a test, never every frame.
    /// </summary>
    public unsafe byte[] ReadPixels()
    {
        RenderThread.Check();
        GL gl = Context.Gl;
        int width = FramebufferWidth, height = FramebufferHeight, stride = width * 4;
        var pixels = new byte[stride * height];
        gl.BindFramebuffer(FramebufferTarget.ReadFramebuffer, Framebuffer);
        gl.PixelStore(PixelStoreParameter.PackAlignment, 1);
        fixed (byte* p = pixels)
        {
            gl.ReadPixels(0, 0, (uint)width, (uint)height, GlPixelFormat.Rgba, PixelType.UnsignedByte, p);
        }

        gl.BindFramebuffer(FramebufferTarget.ReadFramebuffer, 0);
        byte[] line = new byte[stride];
        for (int y = 0; y < height / 2; y++)
        {
            Span<byte> top = pixels.AsSpan(y * stride, stride);
            Span<byte> bottom = pixels.AsSpan((height - 1 - y) * stride, stride);
            top.CopyTo(line);
            bottom.CopyTo(top);
            line.CopyTo(bottom);
        }

        return pixels;
    }

    protected abstract void PollEvents();

    protected abstract void SwapBuffers();

    protected void RaiseResize(int width, int height) => Resize?.Invoke(width, height);

    protected void RaiseKey(KeyInput input) => Key?.Invoke(input);

    protected void RaiseMouse(MouseInput input) => Mouse?.Invoke(input);

    private void Pace(long frameStart)
    {
        if (FramesPerSecondCap <= 0)
        {
            return;
        }

        long target = frameStart + (long)(Stopwatch.Frequency / FramesPerSecondCap);
        long remaining = target - Stopwatch.GetTimestamp();
        if (remaining > Stopwatch.Frequency / 500)
        {
            // Sleep most of the wait; spin the last millisecond or so for an even cadence.
            Thread.Sleep(TimeSpan.FromTicks((remaining - (Stopwatch.Frequency / 1000)) * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
        }

        while (Stopwatch.GetTimestamp() < target && !_closeRequested)
        {
            Thread.SpinWait(50);
        }
    }
}
