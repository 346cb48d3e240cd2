using Silk.NET.OpenGL;
using SkinLive.Gpu.Platform;

namespace SkinLive.Tests.Gpu;

public sealed class ShaderLibraryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("skinlive-shaders-").FullName;

    [Fact]
    public void Compile_error_names_the_file_and_line()
    {
        File.WriteAllText(Path.Combine(_directory, "broken.frag.glsl"), "#version 300 es\nprecision highp float;\nout vec4 o;\nvoid main() { o = vec4(undefined_name); }\n");
        using EglHeadlessContext context = EglHeadlessContext.Create();
        var library = new ShaderLibrary(context.Gl, _directory);
        var error = Assert.Throws<ShaderException>(() => library.Compile(ShaderType.FragmentShader, "broken.frag.glsl"));
        Assert.Contains("shaders/broken.frag.glsl:4:", error.Message);
        Assert.Contains("undefined_name", error.Message);
    }

    [Fact]
    public void Error_in_an_included_file_names_that_file_and_its_line()
    {
        File.WriteAllText(Path.Combine(_directory, "part.glsl"), "// helper\nfloat helper() { return missing_value; }\n");
        File.WriteAllText(Path.Combine(_directory, "main.frag.glsl"), "#version 300 es\nprecision highp float;\n#include \"part.glsl\"\nout vec4 o;\nvoid main() { o = vec4(helper()); }\n");
        using EglHeadlessContext context = EglHeadlessContext.Create();
        var library = new ShaderLibrary(context.Gl, _directory);
        var error = Assert.Throws<ShaderException>(() => library.Compile(ShaderType.FragmentShader, "main.frag.glsl", "SOME_DEFINE"));
        Assert.Contains("shaders/part.glsl:2:", error.Message);
    }

    [Fact]
    public void Every_shipped_pass_compiles_for_every_frame_layout()
    {
        using EglHeadlessContext context = EglHeadlessContext.Create();
        var library = new ShaderLibrary(context.Gl);
        foreach (string define in new[] { "FORMAT_RGB", "FORMAT_YUYV", "FORMAT_UYVY", "FORMAT_NV12", "FORMAT_I420" })
        {
            context.Gl.DeleteProgram(library.Link("fullscreen.vert.glsl", "resample_horizontal.frag.glsl", define));
            context.Gl.DeleteProgram(library.Link("fullscreen.vert.glsl", "present.frag.glsl", define));
        }

        context.Gl.DeleteProgram(library.Link("fullscreen.vert.glsl", "resample_vertical.frag.glsl"));
        context.Gl.DeleteProgram(library.Link("fullscreen.vert.glsl", "pack_tensor.frag.glsl"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
