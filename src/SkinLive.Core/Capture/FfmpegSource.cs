using System.Diagnostics;
using SkinLive.Frames;

namespace SkinLive.Capture;

/// <summary>
/// How to run ffmpeg: its input arguments (e.g. ["-i", "clip.mp4"] or ["-f", "v4l2", "-i", "/dev/video0"]), a name
/// for messages, real-time pacing (false: as fast as ffmpeg decodes), looping, and the raw format to ask for.
/// </summary>
public sealed record FfmpegOptions(IReadOnlyList<string> InputArguments, string Name)
{
    public bool PaceRealTime { get; init; } = true;

    public bool Loop { get; init; }

    /// <summary>I420 (yuv420p, half the bytes of RGBA, converted on the GPU) or Rgba8.</summary>
    public PixelFormat OutputFormat { get; init; } = PixelFormat.I420;

    /// <summary>A video file, checked to exist.</summary>
    public static FfmpegOptions ForFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new SourceException($"{path} is a folder, not a video file (use image:{path} for a folder of images).");
        }

        if (!File.Exists(path))
        {
            throw new SourceException($"The video file {path} does not exist.");
        }

        return new FfmpegOptions(["-i", path], path);
    }
}

/// <summary>
/// Frames from an ffmpeg child process writing raw video to its stdout: any file ffmpeg reads, or a camera through
/// ffmpeg's own input devices. ffprobe learns the size and frame rate at construction, so a missing file, a missing
/// ffmpeg or a file that is not a video is one clear <see cref="SourceException"/> before anything runs. Frames are
/// read straight into pooled frames and paced on their timestamps (n / fps) unless pacing is off. The child is
/// killed and reaped on stop, on dispose, and when the stream ends.
/// </summary>
public sealed class FfmpegSource : ThreadedFrameSource
{
    private readonly FfmpegOptions _options;
    private readonly VideoProbe _probe;
    private readonly ColorSpec _color;
    private readonly object _processGate = new();
    private readonly byte[] _discard;
    private Process? _process;
    private volatile string _lastError = "";

    public FfmpegSource(FfmpegOptions options, FramePool pool)
        : base(pool)
    {
        _options = options;
        if (options.OutputFormat is not (PixelFormat.I420 or PixelFormat.Rgba8))
        {
            throw new ArgumentException($"ffmpeg sources deliver I420 or Rgba8, not {options.OutputFormat}.", nameof(options));
        }

        _probe = FfmpegTool.Probe(options.InputArguments, options.Name);
        _color = new ColorSpec(
            _probe.ColorSpace.StartsWith("bt709", StringComparison.Ordinal) ? YuvMatrix.Bt709 : YuvMatrix.Bt601,
            _probe.ColorRange == "pc" && !_probe.PixelFormat.StartsWith("yuvj", StringComparison.Ordinal) ? YuvRange.Full : YuvRange.Limited);
        FrameBytes = PixelFormats.FrameBytes(options.OutputFormat, _probe.Width, _probe.Height);
        _discard = GC.AllocateUninitializedArray<byte>(FrameBytes);
    }

    public override string Description => $"{_options.Name} {_probe.Width}x{_probe.Height} {_probe.FramesPerSecond:0.##} fps"
        + (_options.PaceRealTime ? "" : " unpaced") + (_options.Loop ? " loop" : "");

    public override double NominalFps => _probe.FramesPerSecond;

    public int Width => _probe.Width;

    public int Height => _probe.Height;

    public int FrameBytes { get; }

    /// <summary>Process id of the running ffmpeg child, or 0 (for tests that check it is gone).</summary>
    public int ChildProcessId
    {
        get
        {
            lock (_processGate)
            {
                return _process?.Id ?? 0;
            }
        }
    }

    protected override void Run(CancellationToken stop)
    {
        Process process = StartChild();
        try
        {
            Stream output = process.StandardOutput.BaseStream;
            bool pace = _options.PaceRealTime && _probe.FramesPerSecond > 0;
            double ticksPerFrame = pace ? Stopwatch.Frequency / _probe.FramesPerSecond : 0;
            long start = Frame.Now();
            for (long index = 0; !stop.IsCancellationRequested; index++)
            {
                Frame? frame = RentFrame(_options.OutputFormat, _probe.Width, _probe.Height, _color);
                Span<byte> target = frame is null ? _discard : frame.Data;
                int read = output.ReadAtLeast(target, target.Length, throwOnEndOfStream: false);
                if (read < target.Length)
                {
                    frame?.Release();
                    break;
                }

                if (pace)
                {
                    long due = start + (long)(index * ticksPerFrame);
                    long wait = due - Frame.Now();
                    if (wait > 0 && stop.WaitHandle.WaitOne(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency)))
                    {
                        frame?.Release();
                        break;
                    }
                }

                if (frame is not null)
                {
                    Publish(frame);
                }
            }

            if (stop.IsCancellationRequested)
            {
                return;
            }

            process.WaitForExit();
            if (process.ExitCode == 0)
            {
                SetStatus(SourceStatus.Ended, $"{_options.Name} ended after {FramesCaptured + FramesSkipped} frames.");
            }
            else
            {
                string error = _lastError;
                SetStatus(SourceStatus.Faulted, error.Length > 0 ? $"ffmpeg failed on {_options.Name}: {error}" : $"ffmpeg failed on {_options.Name} (exit code {process.ExitCode}).");
            }
        }
        finally
        {
            lock (_processGate)
            {
                _process = null;
            }

            FfmpegTool.KillAndReap(process);
            process.Dispose();
        }
    }

    protected override void OnStopRequested()
    {
        // Killing the child closes its stdout, which ends a blocked read at once.
        lock (_processGate)
        {
            if (_process is not null)
            {
                FfmpegTool.KillAndReap(_process);
            }
        }
    }

    private Process StartChild()
    {
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error" };
        if (_options.Loop)
        {
            arguments.AddRange(["-stream_loop", "-1"]);
        }

        arguments.AddRange(_options.InputArguments);
        arguments.AddRange(["-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", _options.OutputFormat == PixelFormat.I420 ? "yuv420p" : "rgba", "-"]);
        Process process = FfmpegTool.Start("ffmpeg", arguments);
        process.ErrorDataReceived += (_, line) =>
        {
            if (!string.IsNullOrWhiteSpace(line.Data))
            {
                _lastError = line.Data.Trim();
            }
        };
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        lock (_processGate)
        {
            _process = process;
        }

        return process;
    }
}
