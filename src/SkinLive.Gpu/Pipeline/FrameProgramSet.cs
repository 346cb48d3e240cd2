using Silk.NET.OpenGL;
using SkinLive.Frames;
using SkinLive.Gpu.Platform;
using SkinLive.Gpu.Rendering;
using SkinLive.Preprocessing;
using PixelFormat = SkinLive.Frames.PixelFormat;

namespace SkinLive.Gpu.Pipeline;

/// <summary>
/// The variants of one pass that reads the uploaded frame through shaders/frame_pixel.glsl, one per plane
/// layout (compiled on first use), and the binding of a frame's planes and colour matrix to them.
/// </summary>
public sealed class FrameProgramSet : IDisposable
{
    private static readonly string[] PlaneUniforms = ["u_plane0", "u_plane1", "u_plane2"];
    private readonly GL _gl;
    private readonly ShaderLibrary _shaders;
    private readonly string _fragmentFile;
    private readonly Dictionary<string, ShaderProgram> _variants = new(StringComparer.Ordinal);
    private ColorSpec _matrixColor;
    private float[]? _matrix;

    public FrameProgramSet(GL gl, ShaderLibrary shaders, string fragmentFile)
    {
        _gl = gl;
        _shaders = shaders;
        _fragmentFile = fragmentFile;
    }

    /// <summary>Uses the variant for the frame's layout, binds its planes to units 0..2 and sets the colour matrix.</summary>
    public ShaderProgram Use(FrameUploader planes, ColorSpec color)
    {
        ShaderProgram program = Variant(planes.Format);
        program.Use();
        for (int i = 0; i < planes.PlaneCount; i++)
        {
            _gl.ActiveTexture(TextureUnit.Texture0 + i);
            _gl.BindTexture(TextureTarget.Texture2D, planes.Plane(i));
            _gl.Uniform1(program.Optional(PlaneUniforms[i]), i);
        }

        _gl.ActiveTexture(TextureUnit.Texture0);
        if (planes.Format.IsYuv())
        {
            if (_matrix is null || color != _matrixColor)
            {
                _matrix = YuvToRgb.For(color).Rows;
                _matrixColor = color;
            }

            float[] m = _matrix;
            _gl.Uniform4(program.Optional("u_toRed"), m[0], m[1], m[2], m[3]);
            _gl.Uniform4(program.Optional("u_toGreen"), m[4], m[5], m[6], m[7]);
            _gl.Uniform4(program.Optional("u_toBlue"), m[8], m[9], m[10], m[11]);
        }

        return program;
    }

    public void Dispose()
    {
        foreach (ShaderProgram program in _variants.Values)
        {
            program.Dispose();
        }

        _variants.Clear();
    }

    private ShaderProgram Variant(PixelFormat format)
    {
        string define = format switch
        {
            PixelFormat.Rgba8 or PixelFormat.Bgra8 or PixelFormat.Rgb24 => "FORMAT_RGB",
            PixelFormat.Yuyv => "FORMAT_YUYV",
            PixelFormat.Uyvy => "FORMAT_UYVY",
            PixelFormat.Nv12 => "FORMAT_NV12",
            PixelFormat.I420 => "FORMAT_I420",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
        };
        if (!_variants.TryGetValue(define, out ShaderProgram? program))
        {
            program = new ShaderProgram(_gl, _shaders, _fragmentFile, define);
            _variants[define] = program;
        }

        return program;
    }
}
