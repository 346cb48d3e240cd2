using Silk.NET.OpenGL;
using SkinLive.Gpu.Rendering;

namespace SkinLive.Gpu.Platform;

/// <summary>The game loop with no window: an EGL surfaceless context drawing into an offscreen RGBA8 target.</summary>
public sealed class HeadlessHost : RenderHost
{
    private readonly EglHeadlessContext _context;
    private readonly RenderTarget _target;

    public HeadlessHost(int width, int height)
    {
        _context = EglHeadlessContext.Create();
        try
        {
            _target = new RenderTarget(_context.Gl, width, height, SizedInternalFormat.Rgba8);
        }
        catch
        {
            _context.Dispose();
            throw;
        }
    }

    public override IGlContext Context => _context;

    /// <summary>A key press as a keyboard would deliver it (there is none offscreen): scripted runs and tests. Render thread only.</summary>
    public void PressKey(int key, int modifiers = 0) => RaiseKey(new KeyInput(key, InputAction.Press, modifiers));

    public override uint Framebuffer => _target.Framebuffer;

    public override int FramebufferWidth => _target.Width;

    public override int FramebufferHeight => _target.Height;

    public override void Dispose()
    {
        _target.Dispose();
        _context.Dispose();
    }

    protected override void PollEvents()
    {
    }

    protected override void SwapBuffers() => _context.Gl.Flush();
}
