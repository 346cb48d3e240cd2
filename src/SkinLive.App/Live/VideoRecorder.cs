using System.Diagnostics;
using SkinLive.Gpu.Pipeline;
using SkinLive.Storage;
using SkinLive.Tensors;

namespace SkinLive.App.Live;

/// <summary>
/// Encodes the composited picture (video + overlay) to a file through an ffmpeg child (H.264 MP4 by default).
/// The render thread hands it read-back frames (<see cref="IReadbackSink"/>): each is copied into one of a fixed
/// set of buffers and queued for the writer thread, which pipes raw RGBA into ffmpeg. Live, the render thread
/// never waits: if the encoder falls behind by the whole queue, the frame is counted in <see cref="Dropped"/>.
/// With <c>lossless</c> (headless runs, where no one watches the frame rate) it waits for the encoder instead,
/// so the file has every displayed frame.
/// </summary>
public sealed class VideoRecorder : IReadbackSink, IDisposable
{
    private const int Buffers = 8;
    private readonly Process _ffmpeg;
    private readonly Stream _stdin;
    private readonly Thread _writer;
    private readonly Queue<byte[]> _free = new(Buffers);
    private readonly Queue<byte[]> _pending = new(Buffers);
    private readonly object _gate = new();
    private readonly Task<string> _stderr;
    private readonly int _frameBytes;
    private readonly bool _lossless;
    private bool _closing;
    private volatile string? _failure;

    public VideoRecorder(string path, int width, int height, double fps, bool lossless)
    {
        _lossless = lossless;
        Path = path;
        Width = width;
        Height = height;
        _frameBytes = width * height * 4;
        for (int i = 0; i < Buffers; i++)
        {
            _free.Enqueue(new byte[_frameBytes]);
        }

        OwnerOnlyDirectory.CreateFor(path);
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[]
        {
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgba", "-s", $"{width}x{height}", "-framerate", fps.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture), "-i", "pipe:0",
            // glReadPixels delivers the bottom row first; H.264 4:2:0 needs even sides.
            "-vf", "vflip,pad=ceil(iw/2)*2:ceil(ih/2)*2",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path,
        })
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            _ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("ffmpeg is not installed: install the Debian package ffmpeg (scripts/bootstrap.sh does) to record.", ex);
        }

        _stdin = _ffmpeg.StandardInput.BaseStream;
        _stderr = _ffmpeg.StandardError.ReadToEndAsync();
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "recorder" };
        _writer.Start();
    }

    public string Path { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Process id of the ffmpeg encoder (for drills and tests that end it).</summary>
    public int EncoderProcessId => _ffmpeg.Id;

    public long Written { get; private set; }

    public long Dropped { get; private set; }

    /// <summary>Set when the encoder failed (disk full, ffmpeg died); recording stops, the app goes on.</summary>
    public string? Failure => _failure;

    public void Receive(ReadOnlySpan<byte> data, in TensorStamp stamp)
    {
        byte[]? buffer = null;
        lock (_gate)
        {
            while (_lossless && _failure is null && !_closing && _free.Count == 0)
            {
                Monitor.Wait(_gate);
            }

            if (_failure is null && !_closing && _free.Count > 0)
            {
                buffer = _free.Dequeue();
            }
        }

        if (buffer is null || data.Length < _frameBytes)
        {
            Dropped++;
            return;
        }

        data[.._frameBytes].CopyTo(buffer);
        lock (_gate)
        {
            _pending.Enqueue(buffer);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Writes what is queued, closes ffmpeg's input and waits for the file to be finished.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            Monitor.PulseAll(_gate);
        }

        _writer.Join();
        try
        {
            _stdin.Dispose();
        }
        catch (IOException)
        {
        }

        if (!_ffmpeg.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _ffmpeg.Kill(entireProcessTree: true);
            _failure ??= "ffmpeg did not finish the recording in 30 s and was stopped.";
        }
        else if (_ffmpeg.ExitCode != 0)
        {
            _failure ??= $"ffmpeg failed: {FirstLine(_stderr)}";
        }

        _ffmpeg.Dispose();
    }

    private static string FirstLine(Task<string> text) =>
        text.Wait(TimeSpan.FromSeconds(1)) ? text.Result.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "no message" : "no message";

    private void WriteLoop()
    {
        while (true)
        {
            byte[] buffer;
            lock (_gate)
            {
                while (_pending.Count == 0 && !_closing)
                {
                    Monitor.Wait(_gate);
                }

                if (_pending.Count == 0)
                {
                    return;
                }

                buffer = _pending.Dequeue();
            }

            try
            {
                if (_failure is null)
                {
                    _stdin.Write(buffer, 0, _frameBytes);
                    Written++;
                }
            }
            catch (IOException ex)
            {
                // A dead encoder shows up here as a broken pipe; say that it died rather than the errno.
                _failure = _ffmpeg.WaitForExit(TimeSpan.FromSeconds(1))
                    ? $"the encoder (ffmpeg) exited with code {_ffmpeg.ExitCode}: {FirstLine(_stderr)}"
                    : $"writing to the encoder failed: {ex.Message}";
            }

            lock (_gate)
            {
                _free.Enqueue(buffer);
                Monitor.PulseAll(_gate);
            }
        }
    }
}
