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
    private bool _skipPresent;

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

    /// <summary>Frames presented (swapped).</summary>
    public long FrameCount { get; private set; }

    /// <summary>Turns of the loop, presented or not: what shows that the loop is alive when it has nothing new to show.</summary>
    public long Iterations { get; private set; }

    /// <summary>Turns that presented nothing because the picture had not changed (<see cref="SkipPresent"/>).</summary>
    public long SkippedPresents { get; private set; }

    /// <summary>Set by whoever delivers something new to show (a camera frame), to end the idle wait after a skipped present early.</summary>
    public ManualResetEventSlim Wake { get; } = new(false);

    /// <summary>The longest idle wait after a skipped present (input and results are looked at again after it).</summary>
    public TimeSpan IdleWait { get; set; } = TimeSpan.FromMilliseconds(4);

    /// <summary>
    /// Called during Update when this turn would present the same picture as the last one: it then renders and swaps
    /// nothing and idles until <see cref="Wake"/> or <see cref="IdleWait"/>. On a software rasterizer every present
    /// converts and copies the whole window on the CPU the pipeline needs.
    /// </summary>
    public void SkipPresent() => _skipPresent = true;

    public bool IsClosing => _closeRequested;

    /// <summary>Ends the loop after the current frame. Safe from any thread.</summary>
    public void Close() => _closeRequested = true;

    public void Run()
    {
        RenderThread.Check();
        // The event's first waits allocate (its lock, a timed wait's state): done before the first frame, so idling
        // after a skipped present allocates nothing (measured: ~2 KB once, then 0).
        Wake.Wait(0);
        Wake.Wait(1);
        Wake.Reset();
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
            Iterations++;
            if (_skipPresent)
            {
                _skipPresent = false;
                SkippedPresents++;
                // Reset before the next Update looks for new work, so a wake-up set after it is never lost.
                Wake.Wait(IdleWait);
                Wake.Reset();
                continue;
            }

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
