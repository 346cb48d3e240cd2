using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;

namespace SkinLive.App.Live.Outputs;

/// <summary>
/// <c>--record</c>: every composed frame is read back asynchronously (a ring of four PBOs) and handed to a
/// <see cref="VideoRecorder"/>, which encodes on its own thread. A frame of another size than the recording (the window
/// was resized) is not recorded.
/// </summary>
public sealed class RecordingOutput(string path, double fps, bool lossless) : ILiveOutput
{
    private VideoRecorder? _recorder;
    private GlSync? _sync;
    private AsyncReadback? _readback;
    private long _lastNumber;

    /// <summary>Why the encoder stopped while the run goes on (null: it did not), for the status line.</summary>
    public string? Failure => _recorder?.Failure;

    /// <summary>Process id of the ffmpeg encoder (fault drills end it).</summary>
    public int? EncoderProcessId => _recorder?.EncoderProcessId;

    public OutputReport Report { get; private set; }

    public void Start(RenderHost host)
    {
        _recorder = new VideoRecorder(path, host.FramebufferWidth, host.FramebufferHeight, fps, lossless);
        _sync = new GlSync(host.Context.Gl);
        _readback = new AsyncReadback(host.Context.Gl, _sync, _recorder, _recorder.Width, _recorder.Height, ringSize: 4, ReadbackFormat.Rgba8);
    }

    public void OnFrame(in ComposedFrame frame)
    {
        if (_readback is null || _recorder is null)
        {
            return;
        }

        // Readback frame numbers count displayed frames from 1.
        long number = _lastNumber = frame.Displayed + 1;
        if (frame.Width == _recorder.Width && frame.Height == _recorder.Height)
        {
            _readback.TryIssue(frame.Framebuffer, default, number);
        }

        _readback.Poll(number);
    }

    public void Stop(bool orderly)
    {
        if (_recorder is null)
        {
            return;
        }

        long lost = 0;
        if (orderly && _readback is not null && _sync is not null)
        {
            // Shutdown may wait: the last frames in flight belong in the file.
            _sync.Finish();
            _readback.Poll(_lastNumber);
            _readback.Dispose();
            lost = _readback.Skipped;
        }

        // After a crash: finish the file with what reached the encoder.
        _recorder.Dispose();
        Report = new OutputReport(
            "recording",
            $"recording: {path} ({_recorder.Written} frames, {_recorder.Dropped + lost} lost)",
            _recorder.Written,
            _recorder.Dropped + lost,
            _recorder.Failure is { } failure ? $"the recording stopped: {failure}." : null);
        _recorder = null;
    }
}
