namespace SkinLive.Platform;

/// <summary>
/// The Debian 12 package that provides each native library SkinLive loads or that those libraries need, so that a
/// missing one is reported by the package to install, not by a loader message. scripts/bootstrap.sh installs every
/// package named here (a test holds the two together).
/// </summary>
public static class NativePackages
{
    /// <summary>Libraries that no ELF file names as DT_NEEDED but that are opened at run time (dlopen).</summary>
    public static IReadOnlyList<(string Library, string LoadedBy)> LoadedAtRunTime { get; } =
    [
        ("libEGL_mesa.so.0", "libEGL.so.1 (the glvnd vendor for Mesa)"),
        ("swrast_dri.so", "libEGL_mesa.so.0 (the llvmpipe driver)"),
        ("libGL.so.1", "libglfw.so.3 (GLX windows)"),
        ("libXrandr.so.2", "libglfw.so.3"),
        ("libXcursor.so.1", "libglfw.so.3"),
        ("libXinerama.so.1", "libglfw.so.3"),
        ("libXi.so.6", "libglfw.so.3"),
    ];

    private static readonly Dictionary<string, string> s_packages = new(StringComparer.Ordinal)
    {
        [NativeGlfw.Library] = "libglfw3",
        [NativeEgl.Library] = "libegl1",
        ["libEGL_mesa.so.0"] = "libegl-mesa0",
        ["libGLESv2.so.2"] = "libgles2",
        ["libGL.so.1"] = "libgl1",
        ["swrast_dri.so"] = "libgl1-mesa-dri",
        [NativeTurboJpeg.Lib] = "libturbojpeg0",
        ["libX11.so.6"] = "libx11-6",
        ["libXrandr.so.2"] = "libxrandr2",
        ["libXcursor.so.1"] = "libxcursor1",
        ["libXinerama.so.1"] = "libxinerama1",
        ["libXi.so.6"] = "libxi6",
        ["libfontconfig.so.1"] = "libfontconfig1",
        ["libfreetype.so.6"] = "libfreetype6",
        ["libgtk-3.so.0"] = "libgtk-3-0",
        ["libgdk-3.so.0"] = "libgtk-3-0",
        ["libc.so.6"] = "libc6",
        ["libstdc++.so.6"] = "libstdc++6",
        ["libgcc_s.so.1"] = "libgcc-s1",
    };

    /// <summary>Packages every Debian system has (Essential, or what apt itself needs), so no script installs them.</summary>
    public static IReadOnlySet<string> BaseSystem { get; } = new HashSet<string>(StringComparer.Ordinal) { "libc6", "libgcc-s1", "libstdc++6" };

    /// <summary>The Debian package that provides <paramref name="library"/> (a soname such as libgtk-3.so.0), or null when the table does not know it.</summary>
    public static string? For(string library) => s_packages.GetValueOrDefault(library);

    /// <summary>What to tell a user about a missing <paramref name="library"/>: the package to install, or how to find it.</summary>
    public static string InstallHint(string library) => For(library) is { } package
        ? $"install the Debian package {package} (scripts/bootstrap.sh does)"
        : $"install the Debian package that provides it (apt-file search {library})";
}
