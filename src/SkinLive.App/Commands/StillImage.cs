using SkiaSharp;
using SkinLive.Frames;

namespace SkinLive.App.Commands;

/// <summary>Decodes still images (JPEG, PNG, ...) with SkiaSharp into RGBA8 frames; bad files give one sentence.</summary>
internal static class StillImage
{
    /// <summary>Smallest side accepted: below this there is no lesion to see.</summary>
    public const int MinSide = 8;

    /// <summary>Largest image accepted (100 megapixels), checked from the header before decoding.</summary>
    public const long MaxPixels = 100_000_000;

    /// <summary>Decodes <paramref name="path"/> or throws <see cref="ImageLoadException"/>.</summary>
    public static Frame Load(string path)
    {
        string name = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new ImageLoadException($"Image {path} does not exist.");
        }

        if (new FileInfo(path).Length == 0)
        {
            throw new ImageLoadException($"Image {name} is an empty (0-byte) file.");
        }

        using SKCodec? codec = SKCodec.Create(path);
        if (codec is null)
        {
            throw new ImageLoadException($"Image {name} is not a readable image (unknown format or corrupt header).");
        }

        int width = codec.Info.Width, height = codec.Info.Height;
        if (width < MinSide || height < MinSide)
        {
            throw new ImageLoadException($"Image {name} is {width}x{height} pixels; at least {MinSide}x{MinSide} is needed.");
        }

        if ((long)width * height > MaxPixels)
        {
            throw new ImageLoadException($"Image {name} is {width}x{height} pixels, more than the {MaxPixels / 1_000_000} megapixels accepted.");
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        SKCodecResult result = codec.GetPixels(info, bitmap.GetPixels());
        if (result == SKCodecResult.IncompleteInput)
        {
            // A partly decoded image is filled with blank rows; classifying it would mislead.
            throw new ImageLoadException($"Image {name} is truncated (its data ends early).");
        }

        if (result != SKCodecResult.Success)
        {
            throw new ImageLoadException($"Image {name} could not be decoded ({result}).");
        }

        Frame frame = Frame.Create(PixelFormat.Rgba8, width, height);
        ReadOnlySpan<byte> pixels = bitmap.GetPixelSpan();
        int row = width * 4;
        for (int y = 0; y < height; y++)
        {
            pixels.Slice(y * bitmap.RowBytes, row).CopyTo(frame.Data.Slice(y * row, row));
        }

        return frame;
    }
}

/// <summary>An image that cannot be used; the message is one sentence for the user.</summary>
internal sealed class ImageLoadException(string message) : Exception(message);
