namespace SkinLive.Preprocessing;

/// <summary>Where frames are preprocessed: <c>--preprocess gpu|cpu|auto</c>.</summary>
public enum PreprocessBackend
{
    /// <summary><see cref="Cpu"/> when GL is a software rasterizer, else <see cref="Gpu"/> (<see cref="PreprocessBackendRule"/>).</summary>
    Auto,

    /// <summary>The GL ES shader passes.</summary>
    Gpu,

    /// <summary><see cref="SimdPreprocessor"/> and <see cref="LocalizationMapBuilder"/>, off the render thread.</summary>
    Cpu,
}

/// <summary>
/// The one place that decides what <see cref="PreprocessBackend.Auto"/> means. On a software rasterizer the
/// "GPU" is the CPU, and every shader pass competes with the model for the same cores, so the SIMD code wins.
/// </summary>
public static class PreprocessBackendRule
{
    /// <summary>
    /// Renderer names (GL_RENDERER, case-insensitive substrings) of rasterizers that run on the CPU: Mesa's llvmpipe,
    /// softpipe and classic swrast, lavapipe (also under zink), Google's SwiftShader (also under ANGLE), Microsoft's
    /// WARP ("Basic Render Driver") and GDI generic OpenGL, Apple's software renderer.
    /// </summary>
    private static readonly string[] SoftwareRenderers =
    [
        "llvmpipe",
        "softpipe",
        "lavapipe",
        "swiftshader",
        "software rasterizer",
        "swrast",
        "basic render driver",
        "gdi generic",
        "apple software renderer",
    ];

    public static bool IsSoftwareRenderer(string? glRenderer)
    {
        if (string.IsNullOrWhiteSpace(glRenderer))
        {
            return false;
        }

        foreach (string name in SoftwareRenderers)
        {
            if (glRenderer.Contains(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The backend to run: an explicit choice as given; <see cref="PreprocessBackend.Auto"/> → <see cref="PreprocessBackend.Cpu"/>
    /// for a software rasterizer or no GL at all (<paramref name="glRenderer"/> null or empty), else <see cref="PreprocessBackend.Gpu"/>.
    /// </summary>
    public static PreprocessBackend Resolve(PreprocessBackend requested, string? glRenderer) => requested switch
    {
        PreprocessBackend.Auto => string.IsNullOrWhiteSpace(glRenderer) || IsSoftwareRenderer(glRenderer) ? PreprocessBackend.Cpu : PreprocessBackend.Gpu,
        PreprocessBackend.Gpu or PreprocessBackend.Cpu => requested,
        _ => throw new ArgumentOutOfRangeException(nameof(requested), requested, "Unknown preprocessing backend."),
    };
}
