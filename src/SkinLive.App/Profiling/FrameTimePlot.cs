using System.Globalization;
using SkiaSharp;
using SkinLive.Profiling;

namespace SkinLive.App.Profiling;

/// <summary>frametime.png: frame time over the recording (with mean and p99) above a histogram of frame times.</summary>
public static class FrameTimePlot
{
    private const int Width = 1400;
    private const int Height = 900;
    private const float Left = 90;
    private const float Right = 30;
    private const int HistogramBins = 60;
    private static readonly SKColor Axis = new(60, 60, 60);
    private static readonly SKColor Grid = new(225, 225, 225);
    private static readonly SKColor Series = new(40, 100, 200);
    private static readonly SKColor MeanColor = new(30, 150, 60);
    private static readonly SKColor P99Color = new(220, 110, 20);

    public static void Save(string path, ReadOnlySpan<FrameRecord> frames, FrameSummary summary, long origin)
    {
        using SKSurface surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using SKTypeface typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var font = new SKFont(typeface, 16);
        using var titleFont = new SKFont(typeface, 20);
        using var text = new SKPaint { Color = Axis, IsAntialias = true };

        // A few warm-up frames (shader compiles) can be 100x the rest; the scale stops at 4 x p99 and says so.
        double max = summary.FrameTimeMs.Max;
        double yMax = frames.IsEmpty ? 1 : NiceCeiling(Math.Min(max, 4 * summary.FrameTimeMs.P99));
        string title = string.Create(CultureInfo.InvariantCulture,
            $"SkinLive frame time: {summary.Frames} frames, {summary.AverageFps:F1} fps average, p99 {summary.FrameTimeMs.P99:F2} ms, 1% low {summary.OnePercentLowFps:F1} fps");
        canvas.DrawText(title, Left, 32, SKTextAlign.Left, titleFont, text);
        if (max > yMax)
        {
            canvas.DrawText(string.Create(CultureInfo.InvariantCulture, $"(scale clipped at {yMax:0.##} ms; max {max:F1} ms)"), Width - Right, 32, SKTextAlign.Right, font, text);
        }

        var timeArea = new SKRect(Left, 60, Width - Right, 470);
        var histogramArea = new SKRect(Left, 560, Width - Right, Height - 70);
        double seconds = frames.IsEmpty ? 1 : Math.Max(FrameStages.TicksToMilliseconds(frames[^1].DisplayTimestamp - origin) / 1000.0, 1e-3);
        DrawAxes(canvas, timeArea, 0, seconds, 0, yMax, "time (s)", "frame time (ms)", font, text);
        DrawTimeSeries(canvas, timeArea, frames, origin, seconds, yMax, summary);

        int[] bins = new int[HistogramBins];
        foreach (FrameRecord frame in frames)
        {
            bins[Math.Clamp((int)(frame.FrameMilliseconds / yMax * HistogramBins), 0, HistogramBins - 1)]++;
        }

        double countMax = NiceCeiling(Math.Max(bins.Max(), 1));
        DrawAxes(canvas, histogramArea, 0, yMax, 0, countMax, "frame time (ms)", "frames", font, text);
        using var bar = new SKPaint { Color = Series, IsAntialias = false };
        float binWidth = histogramArea.Width / HistogramBins;
        for (int i = 0; i < HistogramBins; i++)
        {
            float top = histogramArea.Bottom - (float)(bins[i] / countMax * histogramArea.Height);
            canvas.DrawRect(new SKRect(histogramArea.Left + (i * binWidth) + 1, top, histogramArea.Left + ((i + 1) * binWidth) - 1, histogramArea.Bottom), bar);
        }

        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream file = File.Create(path);
        png.SaveTo(file);
    }

    private static void DrawTimeSeries(SKCanvas canvas, SKRect area, ReadOnlySpan<FrameRecord> frames, long origin, double seconds, double yMax, FrameSummary summary)
    {
        float X(double s) => area.Left + (float)(s / seconds * area.Width);
        float Y(double ms) => area.Bottom - (float)(Math.Min(ms, yMax) / yMax * area.Height);

        canvas.Save();
        canvas.ClipRect(area);
        var points = new SKPoint[frames.Length];
        for (int i = 0; i < frames.Length; i++)
        {
            points[i] = new SKPoint(X(FrameStages.TicksToMilliseconds(frames[i].DisplayTimestamp - origin) / 1000.0), Y(frames[i].FrameMilliseconds));
        }

        using var line = new SKPaint { Color = Series, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.2f };
        canvas.DrawPoints(SKPointMode.Polygon, points, line);
        using var mean = new SKPaint { Color = MeanColor, IsAntialias = true, StrokeWidth = 2 };
        using var p99 = new SKPaint { Color = P99Color, IsAntialias = true, StrokeWidth = 2 };
        if (double.IsFinite(summary.FrameTimeMs.Mean))
        {
            canvas.DrawLine(area.Left, Y(summary.FrameTimeMs.Mean), area.Right, Y(summary.FrameTimeMs.Mean), mean);
            canvas.DrawLine(area.Left, Y(summary.FrameTimeMs.P99), area.Right, Y(summary.FrameTimeMs.P99), p99);
        }

        canvas.Restore();
        using var font = new SKFont(SKTypeface.Default, 15);
        canvas.DrawText("mean", area.Right - 4, area.Top + 18, SKTextAlign.Right, font, mean);
        canvas.DrawText("p99", area.Right - 4, area.Top + 36, SKTextAlign.Right, font, p99);
    }

    private static void DrawAxes(SKCanvas canvas, SKRect area, double x0, double x1, double y0, double y1, string xLabel, string yLabel, SKFont font, SKPaint text)
    {
        using var grid = new SKPaint { Color = Grid, StrokeWidth = 1 };
        using var axis = new SKPaint { Color = Axis, StrokeWidth = 1.5f, IsAntialias = true };
        double xStep = NiceStep((x1 - x0) / 8);
        for (double v = x0; v <= x1 + (xStep * 1e-6); v += xStep)
        {
            float x = area.Left + (float)((v - x0) / (x1 - x0) * area.Width);
            canvas.DrawLine(x, area.Top, x, area.Bottom, grid);
            canvas.DrawText(v.ToString("0.###", CultureInfo.InvariantCulture), x, area.Bottom + 20, SKTextAlign.Center, font, text);
        }

        double yStep = NiceStep((y1 - y0) / 6);
        for (double v = y0; v <= y1 + (yStep * 1e-6); v += yStep)
        {
            float y = area.Bottom - (float)((v - y0) / (y1 - y0) * area.Height);
            canvas.DrawLine(area.Left, y, area.Right, y, grid);
            canvas.DrawText(v.ToString("0.###", CultureInfo.InvariantCulture), area.Left - 8, y + 5, SKTextAlign.Right, font, text);
        }

        canvas.DrawLine(area.Left, area.Bottom, area.Right, area.Bottom, axis);
        canvas.DrawLine(area.Left, area.Top, area.Left, area.Bottom, axis);
        canvas.DrawText(xLabel, area.MidX, area.Bottom + 44, SKTextAlign.Center, font, text);
        canvas.Save();
        canvas.RotateDegrees(-90, area.Left - 62, area.MidY);
        canvas.DrawText(yLabel, area.Left - 62, area.MidY, SKTextAlign.Center, font, text);
        canvas.Restore();
    }

    /// <summary>1, 2 or 5 × a power of ten, at least <paramref name="rough"/>.</summary>
    internal static double NiceStep(double rough)
    {
        if (!(rough > 0))
        {
            return 1;
        }

        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        return power * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
    }

    /// <summary>The smallest multiple of a nice step (a fifth of the value's magnitude) at or above <paramref name="value"/>.</summary>
    internal static double NiceCeiling(double value)
    {
        double step = NiceStep(value / 5);
        return Math.Max(step, Math.Ceiling(value / step) * step);
    }
}
