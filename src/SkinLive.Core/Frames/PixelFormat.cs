namespace SkinLive.Frames;

/// <summary>CPU-side pixel layouts a source may deliver. All are tightly packed (no row padding).</summary>
public enum PixelFormat
{
    Rgba8,
    Bgra8,
    Rgb24,
    /// <summary>Packed 4:2:2, byte order Y0 U Y1 V.</summary>
    Yuyv,
    /// <summary>Packed 4:2:2, byte order U Y0 V Y1.</summary>
    Uyvy,
    /// <summary>Y plane, then one interleaved UV plane at half width and height.</summary>
    Nv12,
    /// <summary>Y plane, then U plane, then V plane, chroma at half width and height.</summary>
    I420,
}

public enum YuvMatrix
{
    Bt601,
    Bt709,
}

public enum YuvRange
{
    /// <summary>Y in 16..235, chroma in 16..240 (video levels, what cameras usually send).</summary>
    Limited,
    /// <summary>Y and chroma in 0..255 (JPEG levels).</summary>
    Full,
}

/// <summary>How YUV samples map to RGB. Ignored for RGB formats.</summary>
public readonly record struct ColorSpec(YuvMatrix Matrix, YuvRange Range)
{
    public static ColorSpec Bt601Limited => new(YuvMatrix.Bt601, YuvRange.Limited);
    public static ColorSpec Bt601Full => new(YuvMatrix.Bt601, YuvRange.Full);
    public static ColorSpec Bt709Limited => new(YuvMatrix.Bt709, YuvRange.Limited);

    public override string ToString() => $"{Matrix}/{Range}";
}

public static class PixelFormats
{
    public static bool IsYuv(this PixelFormat format) => format is not (PixelFormat.Rgba8 or PixelFormat.Bgra8 or PixelFormat.Rgb24);

    /// <summary>Chroma width for subsampled formats: odd widths round up, as V4L2 and libjpeg do.</summary>
    public static int ChromaWidth(int width) => (width + 1) / 2;

    public static int ChromaHeight(int height) => (height + 1) / 2;

    /// <summary>Bytes of one tightly packed frame.</summary>
    public static int FrameBytes(PixelFormat format, int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Frame size {width}x{height} is not positive.");
        }

        long bytes = format switch
        {
            PixelFormat.Rgba8 or PixelFormat.Bgra8 => 4L * width * height,
            PixelFormat.Rgb24 => 3L * width * height,
            PixelFormat.Yuyv or PixelFormat.Uyvy => 4L * ChromaWidth(width) * height,
            PixelFormat.Nv12 => (long)width * height + 2L * ChromaWidth(width) * ChromaHeight(height),
            PixelFormat.I420 => (long)width * height + 2L * ChromaWidth(width) * ChromaHeight(height),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
        };
        if (bytes > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width}x{height} {format} frame does not fit in memory as one buffer.");
        }

        return (int)bytes;
    }

    public static bool TryParse(string text, out PixelFormat format)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "rgba": case "rgba8": format = PixelFormat.Rgba8; return true;
            case "bgra": case "bgra8": format = PixelFormat.Bgra8; return true;
            case "rgb": case "rgb24": format = PixelFormat.Rgb24; return true;
            case "yuyv": case "yuy2": format = PixelFormat.Yuyv; return true;
            case "uyvy": format = PixelFormat.Uyvy; return true;
            case "nv12": format = PixelFormat.Nv12; return true;
            case "i420": case "yuv420p": format = PixelFormat.I420; return true;
            default: format = default; return false;
        }
    }
}
