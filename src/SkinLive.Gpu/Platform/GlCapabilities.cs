using Silk.NET.OpenGL;

namespace SkinLive.Gpu.Platform;

/// <summary>What the current GLES context offers, checked once at start-up so missing features fail with a clear message.</summary>
public sealed class GlCapabilities
{
    private readonly HashSet<string> _extensions;

    private GlCapabilities(string version, string renderer, string vendor, HashSet<string> extensions)
    {
        Version = version;
        Renderer = renderer;
        Vendor = vendor;
        _extensions = extensions;
    }

    public string Version { get; }
    public string Renderer { get; }
    public string Vendor { get; }

    /// <summary>EXT_disjoint_timer_query: GPU time of passes can be measured.</summary>
    public bool TimerQueries => Has("GL_EXT_disjoint_timer_query");

    public bool Has(string extension) => _extensions.Contains(extension);

    public override string ToString() => $"{Renderer} ({Version})";

    /// <summary>Reads the context's strings; throws <see cref="GpuUnavailableException"/> unless it is GLES 3.x with float render targets.</summary>
    public static unsafe GlCapabilities Probe(GL gl, string contextName)
    {
        string version = gl.GetStringS(StringName.Version) ?? string.Empty;
        string renderer = gl.GetStringS(StringName.Renderer) ?? string.Empty;
        string vendor = gl.GetStringS(StringName.Vendor) ?? string.Empty;
        if (!version.StartsWith("OpenGL ES 3", StringComparison.Ordinal))
        {
            throw new GpuUnavailableException($"The {contextName} context is '{version}', but SkinLive needs OpenGL ES 3.0 or later.");
        }

        gl.GetInteger(GetPName.NumExtensions, out int count);
        var extensions = new HashSet<string>(StringComparer.Ordinal);
        for (uint i = 0; i < count; i++)
        {
            string? name = gl.GetStringS(StringName.Extensions, i);
            if (name is not null)
            {
                extensions.Add(name);
            }
        }

        var caps = new GlCapabilities(version, renderer, vendor, extensions);
        if (!caps.Has("GL_EXT_color_buffer_float"))
        {
            throw new GpuUnavailableException($"{renderer} ({version}) lacks GL_EXT_color_buffer_float, which SkinLive needs to write float tensors.");
        }

        return caps;
    }
}
