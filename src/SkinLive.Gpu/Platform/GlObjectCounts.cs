using System.Runtime.CompilerServices;
using Silk.NET.OpenGL;

namespace SkinLive.Gpu.Platform;

/// <summary>The kinds of GL object SkinLive creates and keeps (shaders are deleted right after linking).</summary>
public enum GlObjectKind
{
    Texture,
    Buffer,
    Framebuffer,
    VertexArray,
    Program,
    Query,
    Sync,
}

/// <summary>
/// Live GL objects of one context (one <see cref="GL"/> API instance), counted where the owners create and delete
/// them, and GL errors drained with glGetError. A soak reads them from any thread to prove nothing leaks; updating
/// them costs one table lookup and an interlocked add, and allocates nothing after the first call per context.
/// </summary>
public sealed class GlObjectCounts
{
    private static readonly ConditionalWeakTable<GL, GlObjectCounts> s_byApi = new();
    private readonly long[] _live = new long[Enum.GetValues<GlObjectKind>().Length];
    private long _errors;
    private int _lastError;

    public static GlObjectCounts Of(GL gl) => s_byApi.GetValue(gl, static _ => new GlObjectCounts());

    /// <summary>GL errors drained so far by <see cref="DrainErrors"/>.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>The most recent GL error code drained (0: none yet), to say which one in a log.</summary>
    public int LastError => Volatile.Read(ref _lastError);

    public long Live(GlObjectKind kind) => Interlocked.Read(ref _live[(int)kind]);

    public void Created(GlObjectKind kind, int count = 1) => Interlocked.Add(ref _live[(int)kind], count);

    public void Deleted(GlObjectKind kind, int count = 1) => Interlocked.Add(ref _live[(int)kind], -count);

    /// <summary>Reads and counts every pending GL error (render thread; once per frame is cheap).</summary>
    public void DrainErrors(GL gl)
    {
        for (GLEnum error = gl.GetError(); error != GLEnum.NoError; error = gl.GetError())
        {
            Volatile.Write(ref _lastError, (int)error);
            Interlocked.Increment(ref _errors);
        }
    }
}
