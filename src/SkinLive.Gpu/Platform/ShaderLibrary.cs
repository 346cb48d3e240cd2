using System.Text;
using System.Text.RegularExpressions;
using Silk.NET.OpenGL;

namespace SkinLive.Gpu.Platform;

/// <summary>A shader failed to compile or link; the message names the file and line the driver complained about.</summary>
public sealed class ShaderException(string message) : Exception(message);

/// <summary>
/// Loads GLSL ES 3.00 files from the <c>shaders/</c> folder next to the binaries and links them into programs.
/// Variants get <c>#define</c>s inserted after the <c>#version</c> line, and <c>#include "file"</c> lines are
/// replaced by that file; <c>#line</c> directives give every file its own source-string number, so the driver's
/// line numbers map back to the right file and line.
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

        GlObjectCounts.Of(gl).Created(GlObjectKind.Program);
        return program;
    }

    public uint Compile(ShaderType type, string file, params string[] defines)
    {
        string path = Path.Combine(Directory, file);
        if (!File.Exists(path))
        {
            throw new ShaderException($"Shader file {path} is missing; it should be copied next to the binaries from shaders/.");
        }

        var files = new List<string> { file };
        string source = Assemble(File.ReadAllText(path), defines, files);
        uint shader = gl.CreateShader(type);
        gl.ShaderSource(shader, source);
        gl.CompileShader(shader);
        gl.GetShader(shader, ShaderParameterName.CompileStatus, out int compiled);
        if (compiled == 0)
        {
            string log = gl.GetShaderInfoLog(shader);
            gl.DeleteShader(shader);
            throw new ShaderException(DescribeErrors(files, log));
        }

        return shader;
    }

    /// <summary>
    /// Rewrites driver log lines like <c>0:12(7): error: ...</c> or <c>ERROR: 1:12: ...</c> as <c>shaders/file:12: error: ...</c>,
    /// where the number before the colon is the source string (an index into <paramref name="files"/>).
    /// </summary>
    public static string DescribeErrors(IReadOnlyList<string> files, string log)
    {
        var text = new StringBuilder();
        foreach (string raw in log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Match m = LogLine().Match(raw);
            if (m.Success)
            {
                int source = int.Parse(m.Groups["source"].Value, System.Globalization.CultureInfo.InvariantCulture);
                string file = source < files.Count ? files[source] : files[0];
                text.Append($"shaders/{file}:{m.Groups["line"].Value}: {m.Groups["msg"].Value.Trim()}");
            }
            else
            {
                text.Append($"shaders/{files[0]}: {raw}");
            }

            text.Append('\n');
        }

        return text.Length == 0 ? $"shaders/{files[0]}: compilation failed with no log." : text.ToString().TrimEnd();
    }

    private string Assemble(string source, string[] defines, List<string> files)
    {
        string[] lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (!lines[0].StartsWith("#version", StringComparison.Ordinal))
        {
            throw new ShaderException($"shaders/{files[0]}:1: a shader must start with its #version line.");
        }

        var text = new StringBuilder(source.Length + 256);
        text.Append(lines[0]).Append('\n');
        foreach (string define in defines)
        {
            text.Append("#define ").Append(define).Append('\n');
        }

        text.Append("#line 2 0\n");
        for (int i = 1; i < lines.Length; i++)
        {
            Match include = IncludeLine().Match(lines[i]);
            if (!include.Success)
            {
                text.Append(lines[i]).Append('\n');
                continue;
            }

            string name = include.Groups["file"].Value;
            string path = Path.Combine(Directory, name);
            if (!File.Exists(path))
            {
                throw new ShaderException($"shaders/{files[0]}:{i + 1}: included file {name} is missing.");
            }

            files.Add(name);
            text.Append("#line 1 ").Append(files.Count - 1).Append('\n');
            text.Append(File.ReadAllText(path).TrimEnd()).Append('\n');
            text.Append("#line ").Append(i + 2).Append(" 0\n");
        }

        return text.ToString();
    }

    [GeneratedRegex(@"^(?:ERROR:\s*|WARNING:\s*)?(?<source>\d+):(?<line>\d+)(?:\(\d+\))?:?\s*(?<msg>.*)$")]
    private static partial Regex LogLine();

    [GeneratedRegex(@"^\s*#include\s+""(?<file>[A-Za-z0-9_.\-]+)""\s*$")]
    private static partial Regex IncludeLine();
}
