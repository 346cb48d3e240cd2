using Silk.NET.OpenGL;
using SkinLive.Gpu.Platform;

namespace SkinLive.Gpu.Rendering;

/// <summary>A linked fullscreen-pass program and its uniform locations, looked up once. Owns the program.</summary>
public sealed class ShaderProgram : IDisposable
{
    private readonly GL _gl;
    private readonly Dictionary<string, int> _locations = new(StringComparer.Ordinal);

    public ShaderProgram(GL gl, ShaderLibrary library, string fragmentFile, params string[] defines)
        : this(gl, library, "fullscreen.vert.glsl", fragmentFile, defines)
    {
    }

    private ShaderProgram(GL gl, ShaderLibrary library, string vertexFile, string fragmentFile, string[] defines)
    {
        _gl = gl;
        Name = fragmentFile;
        Handle = library.Link(vertexFile, fragmentFile, defines);
        gl.GetProgram(Handle, ProgramPropertyARB.ActiveUniforms, out int count);
        for (uint i = 0; i < count; i++)
        {
            string name = gl.GetActiveUniform(Handle, i, out _, out _);
            _locations[name] = gl.GetUniformLocation(Handle, name);
        }
    }

    /// <summary>A program with its own vertex shader instead of the fullscreen triangle.</summary>
    public static ShaderProgram WithVertexShader(GL gl, ShaderLibrary library, string vertexFile, string fragmentFile) =>
        new(gl, library, vertexFile, fragmentFile, []);

    public string Name { get; }
    public uint Handle { get; private set; }

    public void Use() => _gl.UseProgram(Handle);

    /// <summary>Location of an active uniform; a name the shader does not use is a programming error.</summary>
    public int this[string uniform] => _locations.TryGetValue(uniform, out int location)
        ? location
        : throw new InvalidOperationException($"shaders/{Name} has no active uniform '{uniform}'.");

    /// <summary>Location of a uniform the shader variant may have optimized out (-1 then; setting -1 is a no-op in GL).</summary>
    public int Optional(string uniform) => _locations.TryGetValue(uniform, out int location) ? location : -1;

    public void Dispose()
    {
        if (Handle != 0)
        {
            _gl.DeleteProgram(Handle);
            GlObjectCounts.Of(_gl).Deleted(GlObjectKind.Program);
            Handle = 0;
        }
    }
}
