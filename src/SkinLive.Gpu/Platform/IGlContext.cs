using Silk.NET.OpenGL;

namespace SkinLive.Gpu.Platform;

/// <summary>A current GLES 3 context with its loaded entry points. Created, used and disposed on one thread.</summary>
public interface IGlContext : IDisposable
{
    GL Gl { get; }

    GlCapabilities Capabilities { get; }

    /// <summary>Looks up an entry point the Silk.NET bindings do not cover (e.g. ES extension functions).</summary>
    nint GetProcAddress(string name);
}
