using System.Text;
using System.Text.RegularExpressions;
using Silk.NET.OpenGL;

namespace SkinLive.Gpu.Platform;

/// <summary>A shader failed to compile or link; the message names the file and line the driver complained about.</summary>
public sealed class ShaderException(string message) : Exception(message);

/// <summary>
/// Loads GLSL ES 3.00 files from the <c>shaders/</c> folder next to the binaries and links them into programs.
/// Variants get <c>#define</c>s inserted after the <c>#version</c> line, followed by a <c>#line</c> directive so
/// driver line numbers still point into the file.
/// </summary>
public sealed partial class ShaderLibrary(GL gl, string? directory = null)
{
    public string Directory { get; } = directory ?? Path.Combine(AppContext.BaseDirectory, "shaders");

    /// <summary>Compiles <paramref name="vertexFile"/> and <paramref name="fragmentFile"/> (names in shaders/) into a program.</summary>
    public uint Link(string vertexFile, string fragmentFile, params string[] defines)
    {
        uint vs = Compile(ShaderType.VertexShader, vertexFile, defines);
        uint fs;
        try
        {
            fs = Compile(ShaderType.FragmentShader, fragmentFile, defines);
        }
        catch
        {
            gl.DeleteShader(vs);
            throw;
        }

        uint program = gl.CreateProgram();
        gl.AttachShader(program, vs);
        gl.AttachShader(program, fs);
        gl.LinkProgram(program);
        gl.DeleteShader(vs);
        gl.DeleteShader(fs);
        gl.GetProgram(program, ProgramPropertyARB.LinkStatus, out int linked);
        if (linked == 0)
        {
            string log = gl.GetProgramInfoLog(program);
            gl.DeleteProgram(program);
            throw new ShaderException($"Linking {vertexFile} + {fragmentFile} failed: {log.Trim()}");
        }

        return program;
    }

    public uint Compile(ShaderType type, string file, params string[] defines)
    {
        string path = Path.Combine(Directory, file);
        if (!File.Exists(path))
        {
            throw new ShaderException($"Shader file {path} is missing; it should be copied next to the binaries from shaders/.");
        }

        string source = WithDefines(File.ReadAllText(path), defines);
        uint shader = gl.CreateShader(type);
        gl.ShaderSource(shader, source);
        gl.CompileShader(shader);
        gl.GetShader(shader, ShaderParameterName.CompileStatus, out int compiled);
        if (compiled == 0)
        {
            string log = gl.GetShaderInfoLog(shader);
            gl.DeleteShader(shader);
            throw new ShaderException(DescribeErrors(file, log));
        }

        return shader;
    }

    /// <summary>Rewrites driver log lines like <c>0:12(7): error: ...</c> or <c>ERROR: 0:12: ...</c> as <c>file:12: error: ...</c>.</summary>
    public static string DescribeErrors(string file, string log)
    {
        var text = new StringBuilder();
        foreach (string raw in log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Match m = LogLine().Match(raw);
            text.Append(m.Success ? $"shaders/{file}:{m.Groups["line"].Value}: {m.Groups["msg"].Value.Trim()}" : $"shaders/{file}: {raw}");
            text.Append('\n');
        }

        return text.Length == 0 ? $"shaders/{file}: compilation failed with no log." : text.ToString().TrimEnd();
    }

    private static string WithDefines(string source, string[] defines)
    {
        if (defines.Length == 0)
        {
            return source;
        }

        int end = source.IndexOf('\n', StringComparison.Ordinal);
        if (!source.StartsWith("#version", StringComparison.Ordinal) || end < 0)
        {
            throw new ShaderException("A shader must start with its #version line.");
        }

        var text = new StringBuilder(source.Length + 64);
        text.Append(source, 0, end + 1);
        foreach (string define in defines)
        {
            text.Append("#define ").Append(define).Append('\n');
        }

        text.Append("#line 2\n");
        text.Append(source, end + 1, source.Length - end - 1);
        return text.ToString();
    }

    [GeneratedRegex(@"^(?:ERROR:\s*|WARNING:\s*)?\d+:(?<line>\d+)(?:\(\d+\))?:?\s*(?<msg>.*)$")]
    private static partial Regex LogLine();
}
