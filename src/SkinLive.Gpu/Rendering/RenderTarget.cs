using Silk.NET.OpenGL;
using SkinLive.Gpu.Platform;

namespace SkinLive.Gpu.Rendering;

/// <summary>A texture with a framebuffer object around it. Owns both; create and dispose on the render thread.</summary>
public sealed class RenderTarget : IDisposable
{
    private readonly GL _gl;

    public RenderTarget(GL gl, int width, int height, SizedInternalFormat format, bool linear = false)
    {
        _gl = gl;
        Width = width;
        Height = height;
        Format = format;
        Texture = gl.GenTexture();
        GlObjectCounts.Of(gl).Created(GlObjectKind.Texture);
        gl.BindTexture(TextureTarget.Texture2D, Texture);
        gl.TexStorage2D(TextureTarget.Texture2D, 1, format, (uint)width, (uint)height);
        int filter = (int)(linear ? GLEnum.Linear : GLEnum.Nearest);
        gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureMinFilter, filter);
        gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureMagFilter, filter);
        gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureWrapS, (int)GLEnum.ClampToEdge);
        gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureWrapT, (int)GLEnum.ClampToEdge);
        Framebuffer = gl.GenFramebuffer();
        GlObjectCounts.Of(gl).Created(GlObjectKind.Framebuffer);
        gl.BindFramebuffer(FramebufferTarget.Framebuffer, Framebuffer);
        gl.FramebufferTexture2D(FramebufferTarget.Framebuffer, FramebufferAttachment.ColorAttachment0, TextureTarget.Texture2D, Texture, 0);
        GLEnum status = gl.CheckFramebufferStatus(FramebufferTarget.Framebuffer);
        gl.BindFramebuffer(FramebufferTarget.Framebuffer, 0);
        if (status != GLEnum.FramebufferComplete)
        {
            Dispose();
            throw new InvalidOperationException($"A {width}x{height} {format} render target is not supported by this GL ({status}).");
        }
    }

    public int Width { get; }
    public int Height { get; }
    public SizedInternalFormat Format { get; }
    public uint Texture { get; private set; }
    public uint Framebuffer { get; private set; }

    /// <summary>Binds the framebuffer for drawing with a viewport covering all of it.</summary>
    public void BindForDrawing()
    {
        _gl.BindFramebuffer(FramebufferTarget.Framebuffer, Framebuffer);
        _gl.Viewport(0, 0, (uint)Width, (uint)Height);
    }

    public bool Fits(int width, int height, SizedInternalFormat format) => Width == width && Height == height && Format == format;

    public void Dispose()
    {
        if (Framebuffer != 0)
        {
            _gl.DeleteFramebuffer(Framebuffer);
            GlObjectCounts.Of(_gl).Deleted(GlObjectKind.Framebuffer);
            Framebuffer = 0;
        }

        if (Texture != 0)
        {
            _gl.DeleteTexture(Texture);
            GlObjectCounts.Of(_gl).Deleted(GlObjectKind.Texture);
            Texture = 0;
        }
    }
}
