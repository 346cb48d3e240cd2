using SkiaSharp;
using SkinLive.Inference.Metrics;

namespace SkinLive.App.Commands;

/// <summary>Renders a confusion matrix as a PNG: counts in cells shaded by row-normalized recall.</summary>
internal static class ConfusionMatrixChart
{
    private const int Cell = 64;
    private const int Margin = 90;

    public static void Write(ClassificationReport report, string title, string path)
    {
        int k = report.Labels.Count;
        int size = Margin + (k * Cell) + 20;
        using var surface = SKSurface.Create(new SKImageInfo(size, size + 30));
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.FromFamilyName("DejaVu Sans"), 14);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var fill = new SKPaint { Style = SKPaintStyle.Fill };
        canvas.DrawText(title, 10, 20, SKTextAlign.Left, font, text);
        canvas.DrawText("rows: truth, columns: prediction", 10, 40, SKTextAlign.Left, font, text);
        int top = Margin;
        for (int r = 0; r < k; r++)
        {
            int rowTotal = 0;
            for (int c = 0; c < k; c++)
            {
                rowTotal += report.Confusion[r, c];
            }

            canvas.DrawText(report.Labels[r].Code, 10, top + (r * Cell) + (Cell / 2) + 5, SKTextAlign.Left, font, text);
            for (int c = 0; c < k; c++)
            {
                int count = report.Confusion[r, c];
                float share = rowTotal > 0 ? (float)count / rowTotal : 0;
                byte shade = (byte)(255 - (share * 200));
                fill.Color = new SKColor(shade, shade, 255);
                var rect = SKRect.Create(Margin + (c * Cell), top + (r * Cell), Cell - 2, Cell - 2);
                canvas.DrawRect(rect, fill);
                canvas.DrawText(count.ToString(System.Globalization.CultureInfo.InvariantCulture), rect.MidX, rect.MidY + 5, SKTextAlign.Center, font, text);
            }
        }

        for (int c = 0; c < k; c++)
        {
            canvas.DrawText(report.Labels[c].Code, Margin + (c * Cell) + (Cell / 2), top + (k * Cell) + 18, SKTextAlign.Center, font, text);
        }

        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        using FileStream stream = File.Create(path);
        png.SaveTo(stream);
    }
}
