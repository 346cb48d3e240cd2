using Silk.NET.OpenGL;
using SkinLive.Frames;
using SkinLive.Gpu.Platform;
using SkinLive.Gpu.Rendering;
using SkinLive.Preprocessing;

namespace SkinLive.Gpu.Pipeline;

/// <summary>
/// Colour conversion, ROI crop, PIL-exact bilinear antialiased resize and normalization in two separable passes
/// (resample_horizontal, resample_vertical), then pack_tensor writes an RGBA32F target whose texels hold four
/// consecutive tensor elements, so reading it back row by row yields the tensor with no CPU reshuffle.
/// </summary>
public sealed class GpuPreprocessor : IDisposable
{
    private const int MaxPackedWidth = 1024;
    private readonly GL _gl;
    private readonly FullscreenTriangle _triangle;
    private readonly FrameProgramSet _horizontal;
    private readonly ShaderProgram _vertical;
    private readonly ShaderProgram _pack;
    private readonly RenderTarget _pixels;
    private RenderTarget? _rows;

    public GpuPreprocessor(GL gl, ShaderLibrary shaders, FullscreenTriangle triangle, PreprocessSpec spec)
    {
        _gl = gl;
        _triangle = triangle;
        Spec = spec;
        _horizontal = new FrameProgramSet(gl, shaders, "resample_horizontal.frag.glsl");
        _vertical = new ShaderProgram(gl, shaders, "resample_vertical.frag.glsl");
        _pack = new ShaderProgram(gl, shaders, "pack_tensor.frag.glsl");
        _pixels = new RenderTarget(gl, spec.Width, spec.Height, SizedInternalFormat.Rgba32f);

        int texels = (spec.ElementCount + 3) / 4;
        int packedWidth = Math.Min(texels, MaxPackedWidth);
        Output = new RenderTarget(gl, packedWidth, (texels + packedWidth - 1) / packedWidth, SizedInternalFormat.Rgba32f);
    }

    public PreprocessSpec Spec { get; }

    /// <summary>The packed tensor target; its first <see cref="PreprocessSpec.ElementCount"/> floats are the tensor.</summary>
    public RenderTarget Output { get; }

    /// <summary>Resamples the <paramref name="roi"/> (normalized) of the uploaded frame into <see cref="Output"/>.</summary>
    public void Run(FrameUploader planes, ColorSpec color, RectangleF roi)
    {
        int width = planes.Width, height = planes.Height;
        PixelBox box = PixelBox.From(roi, width, height);
        if (_rows is null || !_rows.Fits(Spec.Width, height, SizedInternalFormat.Rgba32f))
        {
            _rows?.Dispose();
            _rows = new RenderTarget(_gl, Spec.Width, height, SizedInternalFormat.Rgba32f);
        }

        float scaleX = (float)((box.X1 - box.X0) / Spec.Width);
        float scaleY = (float)((box.Y1 - box.Y0) / Spec.Height);
        float supportY = Math.Max(scaleY, 1f);

        // Pass 1 only over the source rows pass 2 reads.
        int rowFirst = Math.Max((int)(box.Y0 + (0.5f * scaleY) - supportY + 0.5f) - 1, 0);
        int rowLast = Math.Min((int)(box.Y0 + ((Spec.Height - 0.5f) * scaleY) + supportY + 0.5f) + 1, height);
        ShaderProgram horizontal = _horizontal.Use(planes, color);
        _gl.Uniform1(horizontal["u_inSize"], width);
        _gl.Uniform1(horizontal["u_in0"], (float)box.X0);
        _gl.Uniform1(horizontal["u_scale"], scaleX);
        _gl.Uniform1(horizontal["u_support"], Math.Max(scaleX, 1f));
        _gl.BindFramebuffer(FramebufferTarget.Framebuffer, _rows.Framebuffer);
        _gl.Viewport(0, 0, (uint)Spec.Width, (uint)height);
        _gl.Enable(EnableCap.ScissorTest);
        _gl.Scissor(0, rowFirst, (uint)Spec.Width, (uint)Math.Max(rowLast - rowFirst, 0));
        _triangle.Draw();
        _gl.Disable(EnableCap.ScissorTest);

        _vertical.Use();
        _gl.ActiveTexture(TextureUnit.Texture0);
        _gl.BindTexture(TextureTarget.Texture2D, _rows.Texture);
        _gl.Uniform1(_vertical["u_rows"], 0);
        _gl.Uniform1(_vertical["u_inSize"], height);
        _gl.Uniform1(_vertical["u_in0"], (float)box.Y0);
        _gl.Uniform1(_vertical["u_scale"], scaleY);
        _gl.Uniform1(_vertical["u_support"], supportY);
        _gl.Uniform1(_vertical["u_bgr"], Spec.Order == ChannelOrder.Bgr ? 1 : 0);
        _gl.Uniform3(_vertical["u_gain"], Gain(0), Gain(1), Gain(2));
        _gl.Uniform3(_vertical["u_offset"], -Spec.Mean[0] / Spec.Std[0], -Spec.Mean[1] / Spec.Std[1], -Spec.Mean[2] / Spec.Std[2]);
        _pixels.BindForDrawing();
        _triangle.Draw();

        _pack.Use();
        _gl.BindTexture(TextureTarget.Texture2D, _pixels.Texture);
        _gl.Uniform1(_pack["u_pixels"], 0);
        _gl.Uniform1(_pack["u_outWidth"], Spec.Width);
        _gl.Uniform1(_pack["u_outHeight"], Spec.Height);
        _gl.Uniform1(_pack["u_nchw"], Spec.Layout == TensorLayout.Nchw ? 1 : 0);
        _gl.Uniform1(_pack["u_elements"], Spec.ElementCount);
        _gl.Uniform1(_pack["u_packedWidth"], Output.Width);
        Output.BindForDrawing();
        _triangle.Draw();
    }

    public void Dispose()
    {
        _rows?.Dispose();
        Output.Dispose();
        _pixels.Dispose();
        _horizontal.Dispose();
        _vertical.Dispose();
        _pack.Dispose();
    }

    private float Gain(int channel) => 255f * Spec.Scale / Spec.Std[channel];
}
