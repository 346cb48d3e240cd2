using OpenCvSharp;

namespace SkinLive.Bench.Peers;

/// <summary>Whether OpenCvSharp's native library loads, asked before a comparison starts rather than halfway through it.</summary>
public static class OpenCvRuntime
{
    /// <summary>The OpenCV version; throws <see cref="DllNotFoundException"/> (possibly wrapped) when OpenCvSharpExtern or a library it needs is missing.</summary>
    public static string EnsureLoadable() => Cv2.GetVersionString() ?? "unknown";
}
