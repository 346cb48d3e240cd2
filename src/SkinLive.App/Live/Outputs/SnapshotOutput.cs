using System.Text.Json;
using SkinLive.App.Overlay;
using SkinLive.Frames;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Tensors;

namespace SkinLive.App.Live.Outputs;

/// <summary>
/// The S key with <c>--snapshot-dir</c>: the composed frame as a PNG plus a JSON of what it showed. The render thread
/// only issues an asynchronous readback and copies what the overlay showed into fields; once the pixels arrive a worker
/// flips, encodes and writes both files. One snapshot at a time: a press while one is being written is taken after it.
/// </summary>
public sealed class SnapshotOutput(string directory) : ILiveOutput, IReadbackSink
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly WorkerThread _writer = new("snapshot writer");
    private RenderHost? _host;
    private GlSync? _sync;
    private AsyncReadback? _readback;
    private Action? _write;
    private byte[] _pixels = [];
    private bool _requested;
    private bool _inFlight;
    private Shown _shown;
    private long _written;
    private long _lastDisplayed;
    private volatile string? _failure;

    public OutputReport Report { get; private set; }

    /// <summary>Render thread: the next composed frame is saved.</summary>
    public void Request() => _requested = true;

    public void Start(RenderHost host)
    {
        _host = host;
        _sync = new GlSync(host.Context.Gl);
        _write = Write;
        Size(host.FramebufferWidth, host.FramebufferHeight);
    }

    public void OnFrame(in ComposedFrame frame)
    {
        if (_readback is null)
        {
            return;
        }

        _lastDisplayed = frame.Displayed;
        _readback.Poll(frame.Displayed);
        if (!_requested || _inFlight || _writer.Busy)
        {
            return;
        }

        _requested = false;
        if (frame.Width != _readback.TargetWidth || frame.Height != _readback.TargetHeight)
        {
            // The window was resized since the last snapshot: a new size, once.
            Size(frame.Width, frame.Height);
        }

        OverlayState s = frame.Shown;
        _shown = new Shown(DateTime.UtcNow, frame.Width, frame.Height, frame.Pipeline.FrameWidth, frame.Pipeline.FrameHeight, s.Box, s.Label, s.Confidence, s.Risk, s.Stable, s.Status, s.ModelName);
        _inFlight = _readback.TryIssue(frame.Framebuffer, default, frame.Displayed);
    }

    /// <summary>Render thread, from the readback's poll: the pixels of the requested frame, bottom row first.</summary>
    public void Receive(ReadOnlySpan<byte> data, in TensorStamp stamp)
    {
        data[..Math.Min(data.Length, _pixels.Length)].CopyTo(_pixels);
        _inFlight = false;
        _writer.TryRun(_write!);
    }

    public void Stop(bool orderly)
    {
        if (orderly && _readback is not null && _inFlight)
        {
            // A snapshot asked for just before the end is still saved.
            _sync!.Finish();
            _readback.Poll(_lastDisplayed);
        }

        // Waits for the file being written.
        _writer.Dispose();
        if (orderly)
        {
            _readback?.Dispose();
        }

        Report = new OutputReport("snapshots", null, Interlocked.Read(ref _written), 0, _failure is { } failure ? $"a snapshot could not be saved: {failure}" : null);
    }

    private void Size(int width, int height)
    {
        _readback?.Dispose();
        _readback = new AsyncReadback(_host!.Context.Gl, _sync!, this, width, height, ringSize: 2, ReadbackFormat.Rgba8);
        _pixels = new byte[width * height * 4];
    }

    /// <summary>On the writer: flips the rows (GL reads the bottom row first), encodes the PNG, writes the JSON.</summary>
    private void Write()
    {
        Shown shown = _shown;
        int width = shown.Width, height = shown.Height, stride = width * 4;
        var rgba = new byte[_pixels.Length];
        for (int y = 0; y < height; y++)
        {
            _pixels.AsSpan((height - 1 - y) * stride, stride).CopyTo(rgba.AsSpan(y * stride, stride));
        }

        string stem = Path.Combine(directory, $"skinlive-{shown.At.ToLocalTime():yyyyMMdd-HHmmss-fff}");
        try
        {
            PngWriter.Save(stem + ".png", rgba, width, height);
            var json = new
            {
                frame_size = new[] { shown.FrameWidth, shown.FrameHeight },
                box = shown.Box is { } b ? new[] { b.X, b.Y, b.Width, b.Height } : null,
                label = shown.Label,
                confidence = shown.Label is null ? (float?)null : shown.Confidence,
                risk = shown.Label is null ? null : shown.Risk.ToString().ToLowerInvariant(),
                stable = shown.Stable,
                status = shown.Status,
                model = shown.Model,
                disclaimer = OverlayState.Disclaimer,
            };
            File.WriteAllText(stem + ".json", JsonSerializer.Serialize(json, Indented));
            Interlocked.Increment(ref _written);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _failure ??= ex.Message;
        }
    }

    /// <summary>What the overlay showed on the frame asked for (strings are the overlay's own, nothing is built).</summary>
    private readonly record struct Shown(DateTime At, int Width, int Height, int FrameWidth, int FrameHeight, RectangleF? Box, string? Label, float Confidence, RiskGroup Risk, bool Stable, string? Status, string Model);
}
