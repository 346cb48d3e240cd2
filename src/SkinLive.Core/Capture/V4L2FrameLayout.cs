using SkinLive.Frames;
using SkinLive.Platform;

namespace SkinLive.Capture;

/// <summary>
/// Where the rows of an uncompressed V4L2 frame (YUYV, UYVY, NV12) lie in the driver's buffer, and the copy into a
/// tightly packed <see cref="Frame"/>. Nothing the driver reports is trusted: a size or stride that makes no sense
/// is refused when the mode is granted, and a buffer holding fewer bytes than the layout needs is skipped, never
/// read past. NV12 rows share one stride; its chroma rows are <c>2 × ceil(width / 2)</c> bytes, one more than the
/// luma rows when the width is odd, so the stride is at least that.
/// </summary>
public readonly record struct V4L2FrameLayout(PixelFormat Format, int Width, int Height, int Stride, int LumaRowBytes, int ChromaRowBytes, int ChromaRows)
{
    /// <summary>The largest side a mode may have; as for <c>--window</c> and synthetic sizes.</summary>
    public const int MaxSide = 16384;

    /// <summary>Bytes the buffer must hold: every row at its stride, the last one only as long as it is.</summary>
    public long RequiredBytes => ((long)Stride * (Height + ChromaRows - 1)) + (ChromaRows > 0 ? ChromaRowBytes : LumaRowBytes);

    /// <summary>The layout of a granted mode, or false with <paramref name="problem"/> saying why it cannot be read.</summary>
    public static bool TryCreate(in V4L2Granted granted, out V4L2FrameLayout layout, out string? problem)
    {
        layout = default;
        PixelFormat format;
        if (granted.FourCC == NativeV4L2.V4L2_PIX_FMT_YUYV)
        {
            format = PixelFormat.Yuyv;
        }
        else if (granted.FourCC == NativeV4L2.V4L2_PIX_FMT_UYVY)
        {
            format = PixelFormat.Uyvy;
        }
        else if (granted.FourCC == NativeV4L2.V4L2_PIX_FMT_NV12)
        {
            format = PixelFormat.Nv12;
        }
        else
        {
            problem = $"{NativeV4L2.FourCCText(granted.FourCC)} frames, which are not a raw YUV layout";
            return false;
        }

        if (granted.Width is < 1 or > MaxSide || granted.Height is < 1 or > MaxSide)
        {
            problem = $"a {granted.Width}x{granted.Height} frame size (each side must be 1 to {MaxSide})";
            return false;
        }

        int chromaWidth = PixelFormats.ChromaWidth(granted.Width);
        bool nv12 = format == PixelFormat.Nv12;
        int lumaRowBytes = nv12 ? granted.Width : 4 * chromaWidth;
        int chromaRowBytes = nv12 ? 2 * chromaWidth : 0;
        int stride = Math.Max(granted.BytesPerLine, Math.Max(lumaRowBytes, chromaRowBytes));
        layout = new V4L2FrameLayout(format, granted.Width, granted.Height, stride, lumaRowBytes, chromaRowBytes, nv12 ? PixelFormats.ChromaHeight(granted.Height) : 0);
        if (layout.RequiredBytes > int.MaxValue)
        {
            problem = $"{granted.BytesPerLine} bytes per line for a {granted.Width}x{granted.Height} frame, more than a buffer can hold";
            layout = default;
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>
    /// Copies the frame in <paramref name="data"/> (the bytes the driver filled) into <paramref name="destination"/>
    /// (a packed frame of this format and size). False, with nothing read, when the data is too short.
    /// </summary>
    public bool TryCopy(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        int packed = PixelFormats.FrameBytes(Format, Width, Height);
        if (destination.Length != packed)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes, a packed {Width}x{Height} {Format} frame {packed}.", nameof(destination));
        }

        if (data.Length < RequiredBytes)
        {
            return false;
        }

        if (Stride == LumaRowBytes && (ChromaRows == 0 || ChromaRowBytes == LumaRowBytes))
        {
            data[..packed].CopyTo(destination);
            return true;
        }

        int written = 0;
        for (int row = 0; row < Height + ChromaRows; row++)
        {
            int bytes = row < Height ? LumaRowBytes : ChromaRowBytes;
            data.Slice(row * Stride, bytes).CopyTo(destination[written..]);
            written += bytes;
        }

        return true;
    }
}
