using SkinLive.Gpu.Rendering;

namespace SkinLive.App.Overlay;

/// <summary>
/// Lays out the overlay for one frame: lesion box coloured by risk, label with confidence, top-3 bars, status
/// prompt, HUD and the permanent disclaimer, scaled with the framebuffer height (readable from 720p to 4K).
/// Formats numbers into a reusable char buffer: drawing allocates nothing.
/// </summary>
public sealed class OverlayPainter
{
    private static readonly Rgba MalignantColor = new(0.93f, 0.22f, 0.20f);
    private static readonly Rgba BenignColor = new(0.20f, 0.80f, 0.35f);
    private static readonly Rgba UncertainColor = new(0.98f, 0.78f, 0.18f);
    private static readonly Rgba Panel = new(0f, 0f, 0f, 0.55f);
    private readonly char[] _text = new char[256];

    public static Rgba ColorOf(RiskGroup risk) => risk switch
    {
        RiskGroup.Malignant => MalignantColor,
        RiskGroup.Benign => BenignColor,
        _ => UncertainColor,
    };

    /// <summary>Draws <paramref name="state"/> over a frame shown in <paramref name="video"/> (top-left origin, pixels).</summary>
    public void Paint(OverlayRenderer r, OverlayState state, (float X, float Y, float Width, float Height) video, int width, int height)
    {
        float unit = Math.Max(height / 720f, 0.5f);
        float text = 22 * unit;
        float pad = 8 * unit;

        // The HUD goes first so the lesion label stays readable where they overlap.
        if (state.ShowHud && state.FullScreenMessage is null)
        {
            PaintHud(r, state, text * 0.8f, pad);
        }

        if (state.FullScreenMessage is { } message)
        {
            r.FillRect(0, 0, width, height, new Rgba(0.05f, 0.05f, 0.08f, 0.92f));
            float size = 40 * unit;
            r.Text(message, (width - r.Atlas.Measure(message, size)) / 2, (height / 2f) - size, size, Rgba.White);
        }
        else
        {
            PaintBox(r, state, video, text, pad, unit, height);
            PaintStatus(r, state, width, height, text, pad);
        }

        float small = 18 * unit;
        float lineHeight = r.LineHeight(small);
        r.FillRect(0, height - lineHeight - pad, width, lineHeight + pad, Panel);
        r.Text(OverlayState.Disclaimer, pad, height - lineHeight - (pad / 2), small, new Rgba(1f, 1f, 1f, 0.9f));
    }

    private void PaintBox(OverlayRenderer r, OverlayState state, (float X, float Y, float Width, float Height) video, float text, float pad, float unit, int height)
    {
        if (state.Box is not { } box)
        {
            return;
        }

        Rgba color = state.Label is null ? UncertainColor : ColorOf(state.Risk);
        float x = video.X + (box.X * video.Width), y = video.Y + (box.Y * video.Height);
        float w = box.Width * video.Width, h = box.Height * video.Height;
        r.StrokeRect(x, y, w, h, Math.Max(2, 3 * unit), color);
        if (state.Label is null)
        {
            return;
        }

        int n = Format(state.Label, state.Confidence, state.Stable);
        float labelWidth = r.Atlas.Measure(_text.AsSpan(0, n), text) + (2 * pad);
        float lineHeight = r.LineHeight(text);
        float top = Math.Max(0, y - lineHeight - pad);
        r.FillRect(x, top, labelWidth, lineHeight + pad, color.WithAlpha(0.85f));
        r.Text(_text.AsSpan(0, n), x + pad, top + (pad / 2), text, Rgba.Black);

        // Bars under the box, lifted to stay clear of the disclaimer strip when the box reaches the bottom.
        float rows = state.TopCount * (lineHeight + (pad / 2));
        float barTop = Math.Min(y + h + pad, height - (2.5f * lineHeight) - rows);
        float barWidth = Math.Max(w, 220 * unit);
        for (int i = 0; i < state.TopCount; i++)
        {
            (string name, float p) = state.Top[i];
            float rowTop = barTop + (i * (lineHeight + (pad / 2)));
            r.FillRect(x, rowTop, barWidth, lineHeight, Panel);
            r.FillRect(x, rowTop, barWidth * Math.Clamp(p, 0, 1), lineHeight, color.WithAlpha(0.6f));
            int m = FormatBar(name, p);
            r.Text(_text.AsSpan(0, m), x + (pad / 2), rowTop, text * 0.85f, Rgba.White);
        }
    }

    private static void PaintStatus(OverlayRenderer r, OverlayState state, int width, int height, float text, float pad)
    {
        if (state.Status is not { } status)
        {
            return;
        }

        float w = r.Atlas.Measure(status, text) + (2 * pad);
        float lineHeight = r.LineHeight(text);
        float top = height * 0.08f;
        r.FillRect((width - w) / 2, top, w, lineHeight + pad, UncertainColor.WithAlpha(0.9f));
        r.Text(status, ((width - w) / 2) + pad, top + (pad / 2), text, Rgba.Black);
    }

    private void PaintHud(OverlayRenderer r, OverlayState state, float text, float pad)
    {
        float lineHeight = r.LineHeight(text);
        float y = pad;
        Span<char> line = _text;
        line.TryWrite($"{state.FramesPerSecond:0.0} fps  {state.FrameMilliseconds:0.0} ms/frame  preprocess {state.Preprocess}", out int n);
        Line(r, line[..n], pad, ref y, text, lineHeight);
        line.TryWrite($"model {state.ModelName}: {state.InferenceMilliseconds:0.0} ms, {state.StaleFrames} frames stale", out n);
        Line(r, line[..n], pad, ref y, text, lineHeight);
        Line(r, state.SourceDescription, pad, ref y, text, lineHeight);
        if (state.KeyHelp is { } help)
        {
            Line(r, help, pad, ref y, text, lineHeight);
        }

        PaintFrameTimes(r, state, pad, y + 2, lineHeight * 3);
    }

    /// <summary>Frame times of the last few seconds, newest on the right; the line marks 33 ms (30 fps).</summary>
    private static void PaintFrameTimes(OverlayRenderer r, OverlayState state, float x, float y, float height)
    {
        const float scaleMs = 50;
        float barWidth = Math.Max(1, height / 40);
        int count = state.FrameTimeCount;
        r.FillRect(x - 4, y, (state.FrameTimes.Length * barWidth) + 8, height, Panel);
        for (int i = 0; i < count; i++)
        {
            float ms = state.FrameTimes[i];
            float h = Math.Min(ms / scaleMs, 1f) * height;
            Rgba color = ms > 33.4f ? MalignantColor : BenignColor;
            r.FillRect(x + ((state.FrameTimes.Length - 1 - i) * barWidth), y + height - h, barWidth, h, color.WithAlpha(0.8f));
        }

        r.FillRect(x - 4, y + height - (33.3f / scaleMs * height), (state.FrameTimes.Length * barWidth) + 8, 1, Rgba.White.WithAlpha(0.6f));
    }

    private static void Line(OverlayRenderer r, ReadOnlySpan<char> s, float x, ref float y, float size, float lineHeight)
    {
        r.FillRect(x - 4, y, r.Atlas.Measure(s, size) + 8, lineHeight, Panel);
        r.Text(s, x, y, size, Rgba.White);
        y += lineHeight + 2;
    }

    private int Format(string label, float confidence, bool stable)
    {
        _text.AsSpan().TryWrite($"{label} {confidence * 100:0}%{(stable ? " •" : string.Empty)}", out int n);
        return n;
    }

    private int FormatBar(string name, float probability)
    {
        _text.AsSpan().TryWrite($"{name} {probability * 100:0}%", out int n);
        return n;
    }
}
