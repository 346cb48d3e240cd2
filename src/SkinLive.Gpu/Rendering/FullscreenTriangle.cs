using Silk.NET.OpenGL;
using SkinLive.Gpu.Platform;

namespace SkinLive.Gpu.Rendering;

/// <summary>The empty vertex array every pass draws its single viewport-covering triangle with (positions come from gl_VertexID).</summary>
public sealed class FullscreenTriangle(GL gl) : IDisposable
{
    private uint _vertexArray = Create(gl);

    public void Draw()
    {
        gl.BindVertexArray(_vertexArray);
        gl.DrawArrays(PrimitiveType.Triangles, 0, 3);
    }

    private static uint Create(GL gl)
    {
        GlObjectCounts.Of(gl).Created(GlObjectKind.VertexArray);
        return gl.GenVertexArray();
    }

    public void Dispose()
    {
        if (_vertexArray != 0)
        {
            gl.DeleteVertexArray(_vertexArray);
            GlObjectCounts.Of(gl).Deleted(GlObjectKind.VertexArray);
            _vertexArray = 0;
        }
    }
}
