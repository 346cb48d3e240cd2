using SkiaSharp;
using SkinLive.Storage;

namespace SkinLive.App.Live;

/// <summary>Writes RGBA8 pixels (top row first) as a PNG; only ever on the user's request (snapshot, report).</summary>
public static class PngWriter
{
    public static void Save(string path, byte[] rgba, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), Math.Min(rgba.Length, info.BytesSize));
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        OwnerOnlyDirectory.CreateFor(path);
        using FileStream file = File.Create(path);
        png.SaveTo(file);
    }
}
