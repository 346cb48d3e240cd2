using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using SkinLive.Frames;

namespace SkinLive.App.Live;

/// <summary>What was on screen for one displayed frame (one line of <c>--trace</c>).</summary>
public struct TraceEntry
{
    /// <summary>Displayed-frame counter of this run, 0-based.</summary>
    public long Displayed;

    /// <summary>Source index of the frame on screen (for a file: its decoded frame number), or -1 before the first.</summary>
    public long Frame;

    public long CaptureTimestamp;

    public long DisplayTimestamp;

    /// <summary>The lesion box in source pixels as drawn, or null.</summary>
    public RectangleF? Box;

    /// <summary>The frame the box was computed from (-1: none).</summary>
    public long BoxFrame;

    /// <summary>The frame the classification on screen was computed from (-1: none).</summary>
    public long ResultFrame;

    public long ResultCaptureTimestamp;

    /// <summary>Per-class probabilities of the result on screen (null: none), in label order.</summary>
    public float[]? Probabilities;

    public string? Verdict;

    public bool Stable;

    public string? Quality;

    /// <summary>The status line on screen (null: none), e.g. "Camera disconnected, reconnecting…".</summary>
    public string? Status;

    /// <summary>The full-screen message covering the video (null: none; kiosk only).</summary>
    public string? FullScreenMessage;
}

/// <summary>
/// Writes one JSON line per displayed frame through a <see cref="BackgroundFileWriter"/>. The JSON is built in a
/// reused buffer, so a line costs no managed allocation and no disk access on the render thread.
/// Timestamps are milliseconds on the monotonic clock the capture stamps use.
/// </summary>
public sealed class TraceWriter : IDisposable
{
    private readonly BackgroundFileWriter _file;
    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private readonly Utf8JsonWriter _json;
    private readonly JsonEncodedText[] _labels;

    public TraceWriter(string path, IReadOnlyList<string> labels)
    {
        _file = new BackgroundFileWriter(path);
        _json = new Utf8JsonWriter(_line);
        _labels = labels.Select(l => JsonEncodedText.Encode(l)).ToArray();
    }

    public long DroppedBytes => _file.DroppedBytes;

    public string? Failure => _file.Failure;

    public void Write(in TraceEntry e)
    {
        _line.ResetWrittenCount();
        _json.Reset(_line);
        _json.WriteStartObject();
        _json.WriteNumber("displayed", e.Displayed);
        _json.WriteNumber("frame", e.Frame);
        _json.WriteNumber("capture_ms", Milliseconds(e.CaptureTimestamp));
        _json.WriteNumber("display_ms", Milliseconds(e.DisplayTimestamp));
        if (e.Box is { } box)
        {
            _json.WriteStartArray("box");
            _json.WriteNumberValue(MathF.Round(box.X, 1));
            _json.WriteNumberValue(MathF.Round(box.Y, 1));
            _json.WriteNumberValue(MathF.Round(box.Width, 1));
            _json.WriteNumberValue(MathF.Round(box.Height, 1));
            _json.WriteEndArray();
        }
        else
        {
            _json.WriteNull("box");
        }

        _json.WriteNumber("box_frame", e.BoxFrame);
        _json.WriteNumber("result_frame", e.ResultFrame);
        if (e.Probabilities is { } probabilities)
        {
            _json.WriteNumber("result_capture_ms", Milliseconds(e.ResultCaptureTimestamp));
            _json.WriteStartObject("probabilities");
            for (int i = 0; i < probabilities.Length && i < _labels.Length; i++)
            {
                _json.WriteNumber(_labels[i], MathF.Round(probabilities[i], 5));
            }

            _json.WriteEndObject();
        }
        else
        {
            _json.WriteNull("probabilities");
        }

        _json.WriteString("verdict", e.Verdict);
        _json.WriteBoolean("stable", e.Stable);
        _json.WriteString("quality", e.Quality);
        _json.WriteString("status", e.Status);
        _json.WriteString("fullscreen", e.FullScreenMessage);
        _json.WriteEndObject();
        _json.Flush();
        _line.Write("\n"u8);
        _file.Write(_line.WrittenSpan);
    }

    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }

    private static double Milliseconds(long ticks) => ticks == 0 ? 0 : Math.Round(ticks * 1000.0 / Stopwatch.Frequency, 3);
}
