using Silk.NET.OpenGL;
using SkinLive.Gpu.Rendering;

namespace SkinLive.Gpu.Platform;

/// <summary>
/// The game loop with no window: an EGL surfaceless context drawing into an offscreen RGBA8 target. Its swap
/// behaves as a swap chain's does: at most <see cref="MaxQueuedFrames"/> frames the GPU has not finished may be
/// queued, and the swap waits for the oldest beyond that. Without it an uncapped loop that redraws the same
/// picture queues frames far faster than an asynchronous driver (llvmpipe) draws them, and the next upload then
/// waits for all of them: half a second and more.
/// </summary>
public sealed class HeadlessHost : RenderHost
{
    public const int MaxQueuedFrames = 2;
    private const ulong SwapTimeoutNanoseconds = 5_000_000_000;
    private readonly EglHeadlessContext _context;
    private readonly RenderTarget _target;
    private readonly GlSync _swapSync;
    private readonly nint[] _queuedFrames = new nint[MaxQueuedFrames];
    private int _nextQueued;

    public HeadlessHost(int width, int height)
    {
        _context = EglHeadlessContext.Create();
        try
        {
            _target = new RenderTarget(_context.Gl, width, height, SizedInternalFormat.Rgba8);
            _swapSync = new GlSync(_context.Gl);
        }
        catch
        {
            _context.Dispose();
            throw;
        }
    }

    public override IGlContext Context => _context;

    /// <summary>A key press as a keyboard would deliver it (there is none offscreen): scripted runs and tests. Render thread only.</summary>
    public void PressKey(Key key, KeyModifiers modifiers = KeyModifiers.None) => RaiseKey(new KeyInput(key, InputAction.Press, modifiers));

    public override uint Framebuffer => _target.Framebuffer;

    public override int FramebufferWidth => _target.Width;

    public override int FramebufferHeight => _target.Height;

    public override void Dispose()
    {
        for (int i = 0; i < _queuedFrames.Length; i++)
        {
            if (_queuedFrames[i] != 0)
            {
                _swapSync.Delete(_queuedFrames[i]);
                _queuedFrames[i] = 0;
            }
        }

        _target.Dispose();
        _context.Dispose();
    }

    protected override void PollEvents()
    {
    }

    protected override void SwapBuffers()
    {
        ref nint oldest = ref _queuedFrames[_nextQueued];
        if (oldest != 0)
        {
            if (!_swapSync.IsSignaled(oldest, flush: true))
            {
                _swapSync.ClientWaitSync(oldest, SyncObjectMask.Bit, SwapTimeoutNanoseconds);
            }

            _swapSync.Delete(oldest);
        }

        oldest = _swapSync.Fence();
        _context.Gl.Flush();
        _nextQueued = (_nextQueued + 1) % _queuedFrames.Length;
    }
}
