namespace SkinLive.Gpu.Platform;

/// <summary>No usable GL: no display, no EGL/GLES 3 driver, or a missing extension. The message is the one sentence the user sees.</summary>
public sealed class GpuUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
