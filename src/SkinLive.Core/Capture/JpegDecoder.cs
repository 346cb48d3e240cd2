using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SkinLive.Frames;
using SkinLive.Platform;
using static SkinLive.Platform.NativeTurboJpeg;

namespace SkinLive.Capture;

/// <summary>What a JPEG header says about the image.</summary>
public readonly record struct JpegInfo(int Width, int Height, int Subsampling, int Colorspace);

/// <summary>
/// Decodes (M)JPEG with libjpeg-turbo into caller-owned frames, without allocating per frame.
/// I420 keeps the JPEG's own YCbCr (full-range BT.601, JPEG levels) and skips the colour conversion; 4:2:2 and
/// 4:4:4 chroma are averaged down to 4:2:0 in a scratch buffer reused across frames. RGB is the fallback for the
/// subsamplings and colourspaces that have no cheap I420 form. A corrupt or truncated JPEG (libjpeg-turbo errors
/// and warnings alike) makes the call return false and is counted in <see cref="Corrupt"/>; it is never fatal.
/// One decoder per thread: a TurboJPEG handle is not thread-safe.
/// </summary>
public sealed unsafe class JpegDecoder : IDisposable
{
    /// <summary>
    /// The largest image (in pixels) a header may declare: 8192×8192, far above any camera or dermatoscope. A
    /// corrupt or hostile header can claim 65535×65535, and the frame it asks for would be gigabytes.
    /// </summary>
    public const long MaxPixels = 8192L * 8192;

    private nint _handle;
    private byte[] _chromaScratch = [];

    public JpegDecoder()
    {
        try
        {
            _handle = tjInitDecompress();
        }
        catch (DllNotFoundException ex)
        {
            throw new SourceException($"{Lib} could not be loaded; install the Debian package {DebianPackage} (scripts/bootstrap.sh).", ex);
        }

        if (_handle == 0)
        {
            throw new SourceException("libjpeg-turbo could not create a decompressor.");
        }
    }

    /// <summary>JPEGs that could not be decoded (corrupt, truncated, not a JPEG).</summary>
    public long Corrupt { get; private set; }

    /// <summary>The last libjpeg-turbo error text (for status lines and tests).</summary>
    public string? LastError { get; private set; }

    /// <summary>Reads the header; false (counted as corrupt) when it is not a readable JPEG or declares more than <see cref="MaxPixels"/>.</summary>
    public bool TryReadHeader(ReadOnlySpan<byte> jpeg, out JpegInfo info)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        info = default;
        if (jpeg.IsEmpty)
        {
            return Fail("empty buffer");
        }

        fixed (byte* source = jpeg)
        {
            if (tjDecompressHeader3(_handle, source, (nuint)jpeg.Length, out int width, out int height, out int subsampling, out int colorspace) != 0)
            {
                return Fail(null);
            }

            // A header cut short can "succeed" without a frame header; such a JPEG has no size to decode into.
            if (width <= 0 || height <= 0)
            {
                return Fail("no frame header");
            }

            if ((long)width * height > MaxPixels)
            {
                return Fail($"the JPEG declares {width}x{height} pixels, more than the {MaxPixels / (1024 * 1024)}-megapixel limit");
            }

            info = new JpegInfo(width, height, subsampling, colorspace);
            return true;
        }
    }

    /// <summary>The format <see cref="TryDecode"/> will produce for this image when I420 is preferred.</summary>
    public static PixelFormat OutputFormat(in JpegInfo info, PixelFormat preferred)
    {
        bool i420Possible = info.Colorspace is TJCS_YCbCr or TJCS_GRAY
            && info.Subsampling is TJSAMP_420 or TJSAMP_422 or TJSAMP_444 or TJSAMP_GRAY;
        return preferred == PixelFormat.I420 && i420Possible ? PixelFormat.I420 : PixelFormat.Rgb24;
    }

    /// <summary>
    /// Decodes into <paramref name="frame"/>, which the caller has laid out as <see cref="OutputFormat"/> at the
    /// header's size (I420 or Rgb24). Returns false and counts the frame when the JPEG is corrupt or truncated.
    /// </summary>
    public bool TryDecode(ReadOnlySpan<byte> jpeg, in JpegInfo info, Frame frame)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        if (frame.Width != info.Width || frame.Height != info.Height || frame.Format != OutputFormat(info, frame.Format))
        {
            throw new ArgumentException($"The frame is {frame.Width}x{frame.Height} {frame.Format}, not laid out for this {info.Width}x{info.Height} JPEG.", nameof(frame));
        }

        fixed (byte* source = jpeg)
        fixed (byte* destination = frame.Data)
        {
            return frame.Format == PixelFormat.I420
                ? DecodeI420(source, jpeg.Length, info, destination)
                : DecodeRgb(source, jpeg.Length, info, destination);
        }
    }

    public void Dispose()
    {
        if (_handle != 0)
        {
            _ = tjDestroy(_handle);
            _handle = 0;
        }
    }

    private bool DecodeRgb(byte* source, int length, in JpegInfo info, byte* destination)
    {
        int status = tjDecompress2(_handle, source, (nuint)length, destination, info.Width, info.Width * 3, info.Height, TJPF_RGB, TJFLAG_STOPONWARNING);
        return status == 0 || Fail(null);
    }

    private bool DecodeI420(byte* source, int length, in JpegInfo info, byte* destination)
    {
        int width = info.Width, height = info.Height;
        int chromaWidth = PixelFormats.ChromaWidth(width), chromaHeight = PixelFormats.ChromaHeight(height);
        byte* y = destination;
        byte* u = y + ((long)width * height);
        byte* v = u + ((long)chromaWidth * chromaHeight);

        if (info.Subsampling == TJSAMP_GRAY || info.Colorspace == TJCS_GRAY)
        {
            byte** grayPlanes = stackalloc byte*[3] { y, null, null };
            int* grayStrides = stackalloc int[3] { width, 0, 0 };
            if (tjDecompressToYUVPlanes(_handle, source, (nuint)length, grayPlanes, width, grayStrides, height, TJFLAG_STOPONWARNING) != 0)
            {
                return Fail(null);
            }

            new Span<byte>(u, 2 * chromaWidth * chromaHeight).Fill(128);
            return true;
        }

        if (info.Subsampling == TJSAMP_420)
        {
            byte** planes = stackalloc byte*[3] { y, u, v };
            int* strides = stackalloc int[3] { width, chromaWidth, chromaWidth };
            return tjDecompressToYUVPlanes(_handle, source, (nuint)length, planes, width, strides, height, TJFLAG_STOPONWARNING) == 0 || Fail(null);
        }

        // 4:2:2 (what most webcams send) and 4:4:4: decode chroma at its own size, then average it down to 4:2:0.
        int sourceChromaWidth = info.Subsampling == TJSAMP_444 ? width : chromaWidth;
        int planeBytes = sourceChromaWidth * height;
        if (_chromaScratch.Length < 2 * planeBytes)
        {
            _chromaScratch = GC.AllocateUninitializedArray<byte>(2 * planeBytes, pinned: true);
        }

        fixed (byte* scratch = _chromaScratch)
        {
            byte* su = scratch, sv = scratch + planeBytes;
            byte** planes = stackalloc byte*[3] { y, su, sv };
            int* strides = stackalloc int[3] { width, sourceChromaWidth, sourceChromaWidth };
            if (tjDecompressToYUVPlanes(_handle, source, (nuint)length, planes, width, strides, height, TJFLAG_STOPONWARNING) != 0)
            {
                return Fail(null);
            }

            int horizontal = info.Subsampling == TJSAMP_444 ? 2 : 1;
            Downsample(su, sourceChromaWidth, width, height, horizontal, u, chromaWidth, chromaHeight);
            Downsample(sv, sourceChromaWidth, width, height, horizontal, v, chromaWidth, chromaHeight);
        }

        return true;
    }

    /// <summary>Box-averages a chroma plane by 2 vertically and by <paramref name="horizontal"/> (1 or 2) horizontally; edges clamp.</summary>
    private static void Downsample(byte* source, int sourceStride, int lumaWidth, int lumaHeight, int horizontal, byte* destination, int width, int height)
    {
        int lastRow = lumaHeight - 1;
        int lastColumn = (horizontal == 2 ? lumaWidth : PixelFormats.ChromaWidth(lumaWidth)) - 1;
        for (int row = 0; row < height; row++)
        {
            byte* top = source + ((long)Math.Min(2 * row, lastRow) * sourceStride);
            byte* bottom = source + ((long)Math.Min((2 * row) + 1, lastRow) * sourceStride);
            byte* output = destination + ((long)row * width);
            if (horizontal == 1)
            {
                int column = 0;
                if (Vector128.IsHardwareAccelerated && Sse2.IsSupported)
                {
                    // pavgb computes (a + b + 1) >> 1 exactly, 16 samples at a time.
                    for (; column + 16 <= width; column += 16)
                    {
                        Sse2.Store(output + column, Sse2.Average(Sse2.LoadVector128(top + column), Sse2.LoadVector128(bottom + column)));
                    }
                }

                for (; column < width; column++)
                {
                    output[column] = (byte)((top[column] + bottom[column] + 1) >> 1);
                }
            }
            else
            {
                for (int column = 0; column < width; column++)
                {
                    int left = 2 * column, right = Math.Min(left + 1, lastColumn);
                    output[column] = (byte)((top[left] + top[right] + bottom[left] + bottom[right] + 2) >> 2);
                }
            }
        }
    }

    private bool Fail(string? reason)
    {
        Corrupt++;
        LastError = reason ?? System.Runtime.InteropServices.Marshal.PtrToStringUTF8(tjGetErrorStr2(_handle));
        return false;
    }
}
