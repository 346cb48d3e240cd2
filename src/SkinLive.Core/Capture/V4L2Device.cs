namespace SkinLive.Capture;

/// <summary>A V4L2 call failed; <see cref="Errno"/> is the C errno (e.g. ENODEV when the camera was unplugged).</summary>
public sealed class V4L2Exception(int errno, string message) : Exception(message)
{
    public int Errno { get; } = errno;
}

/// <summary>What VIDIOC_QUERYCAP says about a device.</summary>
public readonly record struct V4L2Capabilities(string Driver, string Card, string BusInfo, bool CanCapture, bool CanStream);

/// <summary>
/// One capture mode a device lists. For stepwise or continuous sizes the device lists the smallest and the largest
/// (<see cref="IsRangeLimit"/>); <see cref="FramesPerSecond"/> holds the discrete rates, or the range's two ends.
/// </summary>
public sealed record V4L2Mode(uint FourCC, string FormatDescription, int Width, int Height, bool IsRangeLimit, IReadOnlyList<double> FramesPerSecond);

/// <summary>What the driver granted after S_FMT and S_PARM.</summary>
public readonly record struct V4L2Granted(uint FourCC, int Width, int Height, int BytesPerLine, int SizeImage, double FramesPerSecond);

/// <summary>A dequeued mmap buffer; valid until it is requeued. <see cref="BytesUsed"/> never exceeds the mapping.</summary>
public readonly record struct V4L2Buffer(int Index, nint Data, int BytesUsed, bool Error)
{
    /// <summary>
    /// The filled length the driver reported, clamped to the mapped length: a buggy driver (or a corrupted
    /// DQBUF) may claim more than the buffer holds, and reading that far would leave the mapping.
    /// </summary>
    public static int ClampBytesUsed(uint bytesUsed, ulong mappedLength) => (int)Math.Min(Math.Min(bytesUsed, mappedLength), int.MaxValue);
}

public enum V4L2WaitResult
{
    FrameReady,
    Timeout,
    /// <summary><see cref="IV4L2Device.Wake"/> was called.</summary>
    Woken,
    /// <summary>The device reported an error or hang-up (usually: it was unplugged).</summary>
    DeviceError,
}

/// <summary>
/// An open capture device, as the capture state machine sees it. The real one wraps open/ioctl/mmap/poll
/// (<see cref="NativeV4L2Device"/>); tests drive the state machine with a scripted fake. Every call except
/// <see cref="Wake"/> happens on the capture thread; failures throw <see cref="V4L2Exception"/>.
/// </summary>
public interface IV4L2Device : IDisposable
{
    string Path { get; }

    V4L2Capabilities QueryCapabilities();

    IReadOnlyList<V4L2Mode> EnumerateModes();

    /// <summary>S_FMT then S_PARM; returns what the driver granted (frame rate 0 when it does not take one).</summary>
    V4L2Granted Negotiate(int width, int height, uint fourcc, double framesPerSecond);

    /// <summary>Requests and maps <paramref name="bufferCount"/> buffers, queues them, and starts streaming.</summary>
    void StartStreaming(int bufferCount);

    /// <summary>Blocks until a frame is ready, <see cref="Wake"/> is called, the device fails, or the timeout passes.</summary>
    V4L2WaitResult Wait(int timeoutMilliseconds);

    /// <summary>Dequeues a filled buffer; false when none is ready yet.</summary>
    bool TryDequeue(out V4L2Buffer buffer);

    void Requeue(int index);

    /// <summary>Wakes a blocked <see cref="Wait"/> at once and makes later waits return <see cref="V4L2WaitResult.Woken"/>. Any thread.</summary>
    void Wake();
}

/// <summary>Opens devices; the seam between the capture state machine and the kernel.</summary>
public interface IV4L2System
{
    /// <summary>Capture device nodes present now, sorted (e.g. /dev/video0).</summary>
    IReadOnlyList<string> DevicePaths();

    IV4L2Device Open(string path);
}
