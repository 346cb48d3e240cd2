using Silk.NET.OpenGL;
using SkinLive.Gpu.Platform;

namespace SkinLive.Gpu.Rendering;

/// <summary>An RGBA colour with components in 0..1.</summary>
public readonly record struct Rgba(float R, float G, float B, float A = 1f)
{
    public static Rgba White => new(1, 1, 1);
    public static Rgba Black => new(0, 0, 0);

    public Rgba WithAlpha(float a) => this with { A = a };
}

/// <summary>
/// Batches rectangles, frames and text for one frame into a preallocated vertex array and draws them in a single
/// call over the video (alpha blended). Coordinates are framebuffer pixels, origin top-left. Adding never
/// allocates; quads beyond the capacity are dropped and counted.
/// </summary>
public sealed unsafe class OverlayRenderer : IDisposable
{
    private readonly RenderThreadGuard _renderThread = new("the overlay renderer");
    private const int FloatsPerVertex = 8;
    private const int VerticesPerQuad = 6;
    private readonly GL _gl;
    private readonly ShaderProgram _program;
    private readonly float[] _vertices;
    private uint _vertexArray;
    private uint _vertexBuffer;
    private int _quads;

    public OverlayRenderer(GL gl, ShaderLibrary shaders, int maxQuads = 4096)
    {
        _gl = gl;
        MaxQuads = maxQuads;
        _vertices = new float[maxQuads * VerticesPerQuad * FloatsPerVertex];
        Atlas = new GlyphAtlas(gl);
        _program = ShaderProgram.WithVertexShader(gl, shaders, "overlay.vert.glsl", "overlay.frag.glsl");
        _vertexArray = gl.GenVertexArray();
        _vertexBuffer = gl.GenBuffer();
        GlObjectCounts.Of(gl).Created(GlObjectKind.VertexArray);
        GlObjectCounts.Of(gl).Created(GlObjectKind.Buffer);
        gl.BindVertexArray(_vertexArray);
        gl.BindBuffer(BufferTargetARB.ArrayBuffer, _vertexBuffer);
        gl.BufferData(BufferTargetARB.ArrayBuffer, (nuint)(_vertices.Length * sizeof(float)), null, BufferUsageARB.StreamDraw);
        uint stride = FloatsPerVertex * sizeof(float);
        gl.EnableVertexAttribArray(0);
        gl.VertexAttribPointer(0, 2, VertexAttribPointerType.Float, false, stride, (void*)0);
        gl.EnableVertexAttribArray(1);
        gl.VertexAttribPointer(1, 2, VertexAttribPointerType.Float, false, stride, (void*)(2 * sizeof(float)));
        gl.EnableVertexAttribArray(2);
        gl.VertexAttribPointer(2, 4, VertexAttribPointerType.Float, false, stride, (void*)(4 * sizeof(float)));
        gl.BindVertexArray(0);
        gl.BindBuffer(BufferTargetARB.ArrayBuffer, 0);
    }

    public GlyphAtlas Atlas { get; }

    public int MaxQuads { get; }

    public long DroppedQuads { get; private set; }

    public void FillRect(float x, float y, float width, float height, Rgba color)
    {
        (float u, float v) = Atlas.SolidUv;
        AddQuad(x, y, x + width, y + height, u, v, u, v, color);
    }

    /// <summary>A rectangle outline of <paramref name="thickness"/> pixels drawn inside the given bounds.</summary>
    public void StrokeRect(float x, float y, float width, float height, float thickness, Rgba color)
    {
        FillRect(x, y, width, thickness, color);
        FillRect(x, y + height - thickness, width, thickness, color);
        FillRect(x, y + thickness, thickness, height - (2 * thickness), color);
        FillRect(x + width - thickness, y + thickness, thickness, height - (2 * thickness), color);
    }

    /// <summary>Draws <paramref name="text"/> with its top-left corner at (x, y); returns the advance width.</summary>
    public float Text(ReadOnlySpan<char> text, float x, float y, float size, Rgba color)
    {
        float scale = size / Atlas.PixelSize;
        float baseline = y + (Atlas.Ascent * scale);
        float pen = x;
        foreach (char c in text)
        {
            Glyph g = Atlas[c];
            if (c != ' ')
            {
                float left = pen + (g.Left * scale), top = baseline + (g.Top * scale);
                AddQuad(left, top, left + (g.Width * scale), top + (g.Height * scale), g.U0, g.V0, g.U1, g.V1, color);
            }

            pen += g.Advance * scale;
        }

        return pen - x;
    }

    /// <summary>Line height for text drawn at <paramref name="size"/>.</summary>
    public float LineHeight(float size) => Atlas.LineHeight * size / Atlas.PixelSize;

    /// <summary>Draws everything added since the last flush into <paramref name="framebuffer"/>, then starts a new batch.</summary>
    public void Flush(uint framebuffer, int width, int height)
    {
        _renderThread.Check();
        if (_quads == 0)
        {
            return;
        }

        _gl.BindFramebuffer(FramebufferTarget.Framebuffer, framebuffer);
        _gl.Viewport(0, 0, (uint)width, (uint)height);
        _gl.Enable(EnableCap.Blend);
        _gl.BlendFuncSeparate(BlendingFactor.SrcAlpha, BlendingFactor.OneMinusSrcAlpha, BlendingFactor.One, BlendingFactor.OneMinusSrcAlpha);
        _program.Use();
        _gl.Uniform2(_program["u_viewport"], (float)width, (float)height);
        _gl.ActiveTexture(TextureUnit.Texture0);
        _gl.BindTexture(TextureTarget.Texture2D, Atlas.Texture);
        _gl.Uniform1(_program["u_atlas"], 0);
        _gl.BindVertexArray(_vertexArray);
        _gl.BindBuffer(BufferTargetARB.ArrayBuffer, _vertexBuffer);
        int floats = _quads * VerticesPerQuad * FloatsPerVertex;
        fixed (float* data = _vertices)
        {
            _gl.BufferSubData(BufferTargetARB.ArrayBuffer, 0, (nuint)(floats * sizeof(float)), data);
        }

        _gl.DrawArrays(PrimitiveType.Triangles, 0, (uint)(_quads * VerticesPerQuad));
        _gl.BindVertexArray(0);
        _gl.BindBuffer(BufferTargetARB.ArrayBuffer, 0);
        _gl.Disable(EnableCap.Blend);
        _quads = 0;
    }

    public void Dispose()
    {
        if (_vertexBuffer != 0)
        {
            _gl.DeleteBuffer(_vertexBuffer);
            _gl.DeleteVertexArray(_vertexArray);
            GlObjectCounts.Of(_gl).Deleted(GlObjectKind.Buffer);
            GlObjectCounts.Of(_gl).Deleted(GlObjectKind.VertexArray);
            _vertexBuffer = 0;
            _vertexArray = 0;
        }

        _program.Dispose();
        Atlas.Dispose();
    }

    private void AddQuad(float x0, float y0, float x1, float y1, float u0, float v0, float u1, float v1, Rgba color)
    {
        if (_quads == MaxQuads)
        {
            DroppedQuads++;
            return;
        }

        Span<float> v = _vertices.AsSpan(_quads * VerticesPerQuad * FloatsPerVertex, VerticesPerQuad * FloatsPerVertex);
        Vertex(v, 0, x0, y0, u0, v0, color);
        Vertex(v, 1, x1, y0, u1, v0, color);
        Vertex(v, 2, x1, y1, u1, v1, color);
        Vertex(v, 3, x0, y0, u0, v0, color);
        Vertex(v, 4, x1, y1, u1, v1, color);
        Vertex(v, 5, x0, y1, u0, v1, color);
        _quads++;
    }

    private static void Vertex(Span<float> v, int index, float x, float y, float u, float t, Rgba c)
    {
        Span<float> d = v.Slice(index * FloatsPerVertex, FloatsPerVertex);
        d[0] = x;
        d[1] = y;
        d[2] = u;
        d[3] = t;
        d[4] = c.R;
        d[5] = c.G;
        d[6] = c.B;
        d[7] = c.A;
    }
}
