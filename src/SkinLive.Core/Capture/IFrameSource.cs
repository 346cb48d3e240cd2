using SkinLive.Frames;

namespace SkinLive.Capture;

/// <summary>Where a source is in its life; shown on the HUD and in reports.</summary>
public enum SourceStatus
{
    Idle,
    Running,
    /// <summary>The device went away or stalled; the source keeps retrying on its own.</summary>
    Disconnected,
    /// <summary>A finite source (file, image) delivered its last frame.</summary>
    Ended,
    /// <summary>The source stopped on an error it cannot recover from; <see cref="IFrameSource.StatusMessage"/> says which.</summary>
    Faulted,
    Stopped,
}

/// <summary>
/// A producer of frames on its own thread. Frames are pooled, stamped with an index and a monotonic capture
/// timestamp, and posted to <see cref="Mailbox"/> (latest wins). Start, Stop and Dispose are safe from any state
/// and from any thread; Stop returns once the capture thread has exited.
/// </summary>
public interface IFrameSource : IDisposable
{
    /// <summary>What this source is, for the HUD and logs (e.g. "synthetic mel seed 3", "/dev/video0 1280x720 MJPEG").</summary>
    string Description { get; }

    FrameMailbox Mailbox { get; }

    SourceStatus Status { get; }

    /// <summary>One sentence about the current status when it is not plain Running (null otherwise).</summary>
    string? StatusMessage { get; }

    /// <summary>Frames delivered to the mailbox.</summary>
    long FramesCaptured { get; }

    /// <summary>Frames lost before the mailbox: no free pooled frame, or a corrupt frame that could not be decoded.</summary>
    long FramesSkipped { get; }

    /// <summary>Nominal frames per second (0 when unknown, e.g. free-running).</summary>
    double NominalFps { get; }

    void Start();

    void Stop();
}
