using Silk.NET.OpenGL;
using SkinLive.Frames;
using SkinLive.Gpu.Platform;
using SkinLive.Gpu.Rendering;
using SkinLive.Preprocessing;
using PixelFormat = SkinLive.Frames.PixelFormat;

namespace SkinLive.Gpu.Pipeline;

/// <summary>
/// Turns the uploaded planes into one RGB texture (values 0..1, image row 0 in texel row 0). RGB formats need
/// no pass: their plane is already RGB (BGRA through a texture swizzle). YUV formats run convert_yuv into a
/// half-float target, which keeps the conversion's precision for the resize (an 8-bit target would round).
/// </summary>
public sealed class ColorConverter : IDisposable
{
    private readonly GL _gl;
    private readonly ShaderLibrary _shaders;
    private readonly FullscreenTriangle _triangle;
    private readonly Dictionary<PixelFormat, ShaderProgram> _programs = [];
    private static readonly string[] PlaneUniforms = ["u_plane0", "u_plane1", "u_plane2"];
    private RenderTarget? _target;
    private ColorSpec _matrixColor;
    private float[]? _matrix;

    public ColorConverter(GL gl, ShaderLibrary shaders, FullscreenTriangle triangle)
    {
        _gl = gl;
        _shaders = shaders;
        _triangle = triangle;
    }

    /// <summary>The RGB texture of the last converted frame.</summary>
    public uint RgbTexture { get; private set; }

    public void Convert(FrameUploader planes, ColorSpec color)
    {
        if (!planes.Format.IsYuv())
        {
            RgbTexture = planes.Plane(0);
            return;
        }

        if (_target is null || !_target.Fits(planes.Width, planes.Height, SizedInternalFormat.Rgba16f))
        {
            _target?.Dispose();
            _target = new RenderTarget(_gl, planes.Width, planes.Height, SizedInternalFormat.Rgba16f, linear: true);
        }

        ShaderProgram program = ProgramFor(planes.Format);
        program.Use();
        for (int i = 0; i < planes.PlaneCount; i++)
        {
            _gl.ActiveTexture(TextureUnit.Texture0 + i);
            _gl.BindTexture(TextureTarget.Texture2D, planes.Plane(i));
            _gl.Uniform1(program[PlaneUniforms[i]], i);
        }

        if (_matrix is null || color != _matrixColor)
        {
            _matrix = YuvToRgb.For(color).Rows;
            _matrixColor = color;
        }

        float[] m = _matrix;
        _gl.Uniform4(program["u_toRed"], m[0], m[1], m[2], m[3]);
        _gl.Uniform4(program["u_toGreen"], m[4], m[5], m[6], m[7]);
        _gl.Uniform4(program["u_toBlue"], m[8], m[9], m[10], m[11]);
        _target.BindForDrawing();
        _triangle.Draw();
        _gl.ActiveTexture(TextureUnit.Texture0);
        RgbTexture = _target.Texture;
    }

    public void Dispose()
    {
        _target?.Dispose();
        foreach (ShaderProgram program in _programs.Values)
        {
            program.Dispose();
        }

        _programs.Clear();
    }

    private ShaderProgram ProgramFor(PixelFormat format)
    {
        if (!_programs.TryGetValue(format, out ShaderProgram? program))
        {
            program = new ShaderProgram(_gl, _shaders, "convert_yuv.frag.glsl", $"FORMAT_{format.ToString().ToUpperInvariant()}");
            _programs[format] = program;
        }

        return program;
    }
}
