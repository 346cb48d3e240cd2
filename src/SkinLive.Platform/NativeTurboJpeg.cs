using System.Runtime.InteropServices;

namespace SkinLive.Platform;

/// <summary>The TurboJPEG 2 API of libjpeg-turbo 2.1 (Debian 12 package libturbojpeg0; there is no tj3* there).</summary>
public static unsafe partial class NativeTurboJpeg
{
    public const string Lib = "libturbojpeg.so.0";
    public const string DebianPackage = "libturbojpeg0";

    // Pixel formats (TJPF_*).
    public const int TJPF_RGB = 0;
    public const int TJPF_RGBA = 7;

    // Chroma subsampling (TJSAMP_*).
    public const int TJSAMP_444 = 0;
    public const int TJSAMP_422 = 1;
    public const int TJSAMP_420 = 2;
    public const int TJSAMP_GRAY = 3;
    public const int TJSAMP_440 = 4;
    public const int TJSAMP_411 = 5;

    // Colorspaces (TJCS_*).
    public const int TJCS_RGB = 0;
    public const int TJCS_YCbCr = 1;
    public const int TJCS_GRAY = 2;

    // Flags (TJFLAG_*).
    public const int TJFLAG_FASTUPSAMPLE = 256;
    public const int TJFLAG_FASTDCT = 2048;
    public const int TJFLAG_STOPONWARNING = 8192;

    // Error codes (TJERR_*).
    public const int TJERR_WARNING = 0;
    public const int TJERR_FATAL = 1;

    [LibraryImport(Lib)]
    public static partial nint tjInitDecompress();

    [LibraryImport(Lib)]
    public static partial int tjDecompressHeader3(nint handle, byte* jpegBuf, nuint jpegSize, out int width, out int height, out int jpegSubsamp, out int jpegColorspace);

    [LibraryImport(Lib)]
    public static partial int tjDecompress2(nint handle, byte* jpegBuf, nuint jpegSize, byte* dstBuf, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Lib)]
    public static partial int tjDecompressToYUVPlanes(nint handle, byte* jpegBuf, nuint jpegSize, byte** dstPlanes, int width, int* strides, int height, int flags);

    [LibraryImport(Lib)]
    public static partial nint tjGetErrorStr2(nint handle);

    [LibraryImport(Lib)]
    public static partial int tjGetErrorCode(nint handle);

    [LibraryImport(Lib)]
    public static partial int tjDestroy(nint handle);
}
