using Silk.NET.OpenGL;

namespace SkinLive.Gpu.Rendering;

/// <summary>The empty vertex array every pass draws its single viewport-covering triangle with (positions come from gl_VertexID).</summary>
public sealed class FullscreenTriangle(GL gl) : IDisposable
{
    private uint _vertexArray = gl.GenVertexArray();

    public void Draw()
    {
        gl.BindVertexArray(_vertexArray);
        gl.DrawArrays(PrimitiveType.Triangles, 0, 3);
    }

    public void Dispose()
    {
        if (_vertexArray != 0)
        {
            gl.DeleteVertexArray(_vertexArray);
            _vertexArray = 0;
        }
    }
}
