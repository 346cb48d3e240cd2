using Silk.NET.OpenGL;
using SkinLive.Frames;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;

namespace SkinLive.Gpu.Rendering;

/// <summary>Draws the uploaded frame (converted per shown pixel) into a framebuffer, scaled to fit with black bars (letterbox or pillarbox).</summary>
public sealed class FramePresenter : IDisposable
{
    private readonly GL _gl;
    private readonly FullscreenTriangle _triangle;
    private readonly FrameProgramSet _programs;

    public FramePresenter(GL gl, ShaderLibrary shaders, FullscreenTriangle triangle)
    {
        _gl = gl;
        _triangle = triangle;
        _programs = new FrameProgramSet(gl, shaders, "present.frag.glsl");
    }

    /// <summary>Where a <paramref name="imageWidth"/>×<paramref name="imageHeight"/> image lands in the target (GL coordinates, y up).</summary>
    public static (int X, int Y, int Width, int Height) Letterbox(int imageWidth, int imageHeight, int targetWidth, int targetHeight)
    {
        double scale = Math.Min((double)targetWidth / imageWidth, (double)targetHeight / imageHeight);
        int w = Math.Max(1, (int)Math.Round(imageWidth * scale));
        int h = Math.Max(1, (int)Math.Round(imageHeight * scale));
        return ((targetWidth - w) / 2, (targetHeight - h) / 2, w, h);
    }

    public void Draw(FrameUploader planes, ColorSpec color, uint framebuffer, int targetWidth, int targetHeight)
    {
        int imageWidth = planes.Width, imageHeight = planes.Height;
        _gl.BindFramebuffer(FramebufferTarget.Framebuffer, framebuffer);
        _gl.Viewport(0, 0, (uint)targetWidth, (uint)targetHeight);
        _gl.ClearColor(0f, 0f, 0f, 1f);
        _gl.Clear(ClearBufferMask.ColorBufferBit);
        (int x, int y, int w, int h) = Letterbox(imageWidth, imageHeight, targetWidth, targetHeight);
        _gl.Viewport(x, y, (uint)w, (uint)h);
        ShaderProgram program = _programs.Use(planes, color);
        _gl.Uniform2(program["u_frameSize"], imageWidth, imageHeight);
        _triangle.Draw();
    }

    public void Dispose() => _programs.Dispose();
}
