using System.Runtime.InteropServices;

namespace SkinLive.Platform;

/// <summary>
/// The parts of &lt;linux/videodev2.h&gt; that single-planar mmap capture uses, laid out for x86_64.
/// Sizes and offsets are checked against the C header by a gcc-compiled probe in the tests.
/// </summary>
public static class NativeV4L2
{
    public const uint V4L2_BUF_TYPE_VIDEO_CAPTURE = 1;
    public const uint V4L2_MEMORY_MMAP = 1;
    public const uint V4L2_FIELD_ANY = 0;
    public const uint V4L2_FIELD_NONE = 1;

    public const uint V4L2_CAP_VIDEO_CAPTURE = 0x00000001;
    public const uint V4L2_CAP_STREAMING = 0x04000000;
    public const uint V4L2_CAP_DEVICE_CAPS = 0x80000000;
    public const uint V4L2_CAP_TIMEPERFRAME = 0x1000;

    public const uint V4L2_BUF_FLAG_ERROR = 0x40;

    public const uint V4L2_FRMSIZE_TYPE_DISCRETE = 1;
    public const uint V4L2_FRMSIZE_TYPE_CONTINUOUS = 2;
    public const uint V4L2_FRMSIZE_TYPE_STEPWISE = 3;

    public const uint V4L2_FRMIVAL_TYPE_DISCRETE = 1;
    public const uint V4L2_FRMIVAL_TYPE_CONTINUOUS = 2;
    public const uint V4L2_FRMIVAL_TYPE_STEPWISE = 3;

    public static readonly uint V4L2_PIX_FMT_YUYV = FourCC('Y', 'U', 'Y', 'V');
    public static readonly uint V4L2_PIX_FMT_UYVY = FourCC('U', 'Y', 'V', 'Y');
    public static readonly uint V4L2_PIX_FMT_NV12 = FourCC('N', 'V', '1', '2');
    public static readonly uint V4L2_PIX_FMT_MJPEG = FourCC('M', 'J', 'P', 'G');
    public static readonly uint V4L2_PIX_FMT_JPEG = FourCC('J', 'P', 'E', 'G');

    public static readonly nuint VIDIOC_QUERYCAP = IOR(0, Marshal.SizeOf<v4l2_capability>());
    public static readonly nuint VIDIOC_ENUM_FMT = IOWR(2, Marshal.SizeOf<v4l2_fmtdesc>());
    public static readonly nuint VIDIOC_G_FMT = IOWR(4, Marshal.SizeOf<v4l2_format>());
    public static readonly nuint VIDIOC_S_FMT = IOWR(5, Marshal.SizeOf<v4l2_format>());
    public static readonly nuint VIDIOC_REQBUFS = IOWR(8, Marshal.SizeOf<v4l2_requestbuffers>());
    public static readonly nuint VIDIOC_QUERYBUF = IOWR(9, Marshal.SizeOf<v4l2_buffer>());
    public static readonly nuint VIDIOC_QBUF = IOWR(15, Marshal.SizeOf<v4l2_buffer>());
    public static readonly nuint VIDIOC_DQBUF = IOWR(17, Marshal.SizeOf<v4l2_buffer>());
    public static readonly nuint VIDIOC_STREAMON = IOW(18, sizeof(int));
    public static readonly nuint VIDIOC_STREAMOFF = IOW(19, sizeof(int));
    public static readonly nuint VIDIOC_G_PARM = IOWR(21, Marshal.SizeOf<v4l2_streamparm>());
    public static readonly nuint VIDIOC_S_PARM = IOWR(22, Marshal.SizeOf<v4l2_streamparm>());
    public static readonly nuint VIDIOC_ENUM_FRAMESIZES = IOWR(74, Marshal.SizeOf<v4l2_frmsizeenum>());
    public static readonly nuint VIDIOC_ENUM_FRAMEINTERVALS = IOWR(75, Marshal.SizeOf<v4l2_frmivalenum>());

    public static uint FourCC(char a, char b, char c, char d) => (uint)a | ((uint)b << 8) | ((uint)c << 16) | ((uint)d << 24);

    public static string FourCCText(uint fourcc) =>
        string.Concat((char)(fourcc & 0xFF), (char)((fourcc >> 8) & 0xFF), (char)((fourcc >> 16) & 0xFF), (char)((fourcc >> 24) & 0xFF));

    // _IOC(dir, 'V', nr, size) from <asm-generic/ioctl.h>: dir in bits 30-31, size in 16-29, type in 8-15, nr in 0-7.
    private const uint IocWrite = 1;
    private const uint IocRead = 2;

    private static nuint Ioc(uint direction, uint number, int size) => (nuint)((direction << 30) | ((uint)size << 16) | ((uint)'V' << 8) | number);

    private static nuint IOR(uint number, int size) => Ioc(IocRead, number, size);

    private static nuint IOW(uint number, int size) => Ioc(IocWrite, number, size);

    private static nuint IOWR(uint number, int size) => Ioc(IocRead | IocWrite, number, size);
}

[StructLayout(LayoutKind.Explicit, Size = 104)]
public unsafe struct v4l2_capability
{
    [FieldOffset(0)] public fixed byte driver[16];
    [FieldOffset(16)] public fixed byte card[32];
    [FieldOffset(48)] public fixed byte bus_info[32];
    [FieldOffset(80)] public uint version;
    [FieldOffset(84)] public uint capabilities;
    [FieldOffset(88)] public uint device_caps;
    [FieldOffset(92)] public fixed uint reserved[3];
}

[StructLayout(LayoutKind.Explicit, Size = 48)]
public struct v4l2_pix_format
{
    [FieldOffset(0)] public uint width;
    [FieldOffset(4)] public uint height;
    [FieldOffset(8)] public uint pixelformat;
    [FieldOffset(12)] public uint field;
    [FieldOffset(16)] public uint bytesperline;
    [FieldOffset(20)] public uint sizeimage;
    [FieldOffset(24)] public uint colorspace;
    [FieldOffset(28)] public uint priv;
    [FieldOffset(32)] public uint flags;
    [FieldOffset(36)] public uint ycbcr_enc;
    [FieldOffset(40)] public uint quantization;
    [FieldOffset(44)] public uint xfer_func;
}

/// <summary>v4l2_format with only the single-planar pix member of its 200-byte union (which is 8-byte aligned).</summary>
[StructLayout(LayoutKind.Explicit, Size = 208)]
public struct v4l2_format
{
    [FieldOffset(0)] public uint type;
    [FieldOffset(8)] public v4l2_pix_format pix;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct v4l2_timeval
{
    [FieldOffset(0)] public long tv_sec;
    [FieldOffset(8)] public long tv_usec;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public unsafe struct v4l2_timecode
{
    [FieldOffset(0)] public uint type;
    [FieldOffset(4)] public uint flags;
    [FieldOffset(8)] public byte frames;
    [FieldOffset(9)] public byte seconds;
    [FieldOffset(10)] public byte minutes;
    [FieldOffset(11)] public byte hours;
    [FieldOffset(12)] public fixed byte userbits[4];
}

[StructLayout(LayoutKind.Explicit, Size = 88)]
public struct v4l2_buffer
{
    [FieldOffset(0)] public uint index;
    [FieldOffset(4)] public uint type;
    [FieldOffset(8)] public uint bytesused;
    [FieldOffset(12)] public uint flags;
    [FieldOffset(16)] public uint field;
    [FieldOffset(24)] public v4l2_timeval timestamp;
    [FieldOffset(40)] public v4l2_timecode timecode;
    [FieldOffset(56)] public uint sequence;
    [FieldOffset(60)] public uint memory;
    /// <summary>m.offset: the mmap offset of an MMAP buffer (the union's other members are unused here).</summary>
    [FieldOffset(64)] public uint m_offset;
    [FieldOffset(72)] public uint length;
    [FieldOffset(76)] public uint reserved2;
    [FieldOffset(80)] public uint request_fd;
}

[StructLayout(LayoutKind.Explicit, Size = 20)]
public unsafe struct v4l2_requestbuffers
{
    [FieldOffset(0)] public uint count;
    [FieldOffset(4)] public uint type;
    [FieldOffset(8)] public uint memory;
    [FieldOffset(12)] public uint capabilities;
    [FieldOffset(16)] public byte flags;
    [FieldOffset(17)] public fixed byte reserved[3];
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct v4l2_fract
{
    [FieldOffset(0)] public uint numerator;
    [FieldOffset(4)] public uint denominator;
}

[StructLayout(LayoutKind.Explicit, Size = 40)]
public unsafe struct v4l2_captureparm
{
    [FieldOffset(0)] public uint capability;
    [FieldOffset(4)] public uint capturemode;
    [FieldOffset(8)] public v4l2_fract timeperframe;
    [FieldOffset(16)] public uint extendedmode;
    [FieldOffset(20)] public uint readbuffers;
    [FieldOffset(24)] public fixed uint reserved[4];
}

/// <summary>v4l2_streamparm with only the capture member of its 200-byte union.</summary>
[StructLayout(LayoutKind.Explicit, Size = 204)]
public struct v4l2_streamparm
{
    [FieldOffset(0)] public uint type;
    [FieldOffset(4)] public v4l2_captureparm capture;
}

[StructLayout(LayoutKind.Explicit, Size = 64)]
public unsafe struct v4l2_fmtdesc
{
    [FieldOffset(0)] public uint index;
    [FieldOffset(4)] public uint type;
    [FieldOffset(8)] public uint flags;
    [FieldOffset(12)] public fixed byte description[32];
    [FieldOffset(44)] public uint pixelformat;
    [FieldOffset(48)] public uint mbus_code;
    [FieldOffset(52)] public fixed uint reserved[3];
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct v4l2_frmsize_stepwise
{
    [FieldOffset(0)] public uint min_width;
    [FieldOffset(4)] public uint max_width;
    [FieldOffset(8)] public uint step_width;
    [FieldOffset(12)] public uint min_height;
    [FieldOffset(16)] public uint max_height;
    [FieldOffset(20)] public uint step_height;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct v4l2_frmsize_discrete
{
    [FieldOffset(0)] public uint width;
    [FieldOffset(4)] public uint height;
}

[StructLayout(LayoutKind.Explicit, Size = 44)]
public unsafe struct v4l2_frmsizeenum
{
    [FieldOffset(0)] public uint index;
    [FieldOffset(4)] public uint pixel_format;
    [FieldOffset(8)] public uint type;
    [FieldOffset(12)] public v4l2_frmsize_discrete discrete;
    [FieldOffset(12)] public v4l2_frmsize_stepwise stepwise;
    [FieldOffset(36)] public fixed uint reserved[2];
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct v4l2_frmival_stepwise
{
    [FieldOffset(0)] public v4l2_fract min;
    [FieldOffset(8)] public v4l2_fract max;
    [FieldOffset(16)] public v4l2_fract step;
}

[StructLayout(LayoutKind.Explicit, Size = 52)]
public unsafe struct v4l2_frmivalenum
{
    [FieldOffset(0)] public uint index;
    [FieldOffset(4)] public uint pixel_format;
    [FieldOffset(8)] public uint width;
    [FieldOffset(12)] public uint height;
    [FieldOffset(16)] public uint type;
    [FieldOffset(20)] public v4l2_fract discrete;
    [FieldOffset(20)] public v4l2_frmival_stepwise stepwise;
    [FieldOffset(44)] public fixed uint reserved[2];
}
