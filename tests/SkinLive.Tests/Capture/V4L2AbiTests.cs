using System.Runtime.InteropServices;
using SkinLive.Platform;
using static SkinLive.Tests.Capture.CaptureTestSupport;

namespace SkinLive.Tests.Capture;

/// <summary>Holds the interop structs and constants to &lt;linux/videodev2.h&gt; through a probe compiled with gcc at test time.</summary>
public sealed class V4L2AbiTests
{
    // "C struct: C field[=C# field] ...": every struct and field the capture code uses.
    private static readonly string[] Layouts =
    [
        "v4l2_capability: driver card bus_info version capabilities device_caps reserved",
        "v4l2_pix_format: width height pixelformat field bytesperline sizeimage colorspace priv flags ycbcr_enc quantization xfer_func",
        "v4l2_format: type fmt.pix=pix",
        "v4l2_timecode: type flags frames seconds minutes hours userbits",
        "v4l2_buffer: index type bytesused flags field timestamp timecode sequence memory m.offset=m_offset length reserved2 request_fd",
        "v4l2_requestbuffers: count type memory capabilities flags reserved",
        "v4l2_fract: numerator denominator",
        "v4l2_captureparm: capability capturemode timeperframe extendedmode readbuffers reserved",
        "v4l2_streamparm: type parm.capture=capture",
        "v4l2_fmtdesc: index type flags description pixelformat mbus_code reserved",
        "v4l2_frmsize_discrete: width height",
        "v4l2_frmsize_stepwise: min_width max_width step_width min_height max_height step_height",
        "v4l2_frmsizeenum: index pixel_format type discrete stepwise reserved",
        "v4l2_frmival_stepwise: min max step",
        "v4l2_frmivalenum: index pixel_format width height type discrete stepwise reserved",
    ];

    private static readonly string[] Constants =
    [
        "VIDIOC_QUERYCAP", "VIDIOC_ENUM_FMT", "VIDIOC_G_FMT", "VIDIOC_S_FMT", "VIDIOC_REQBUFS", "VIDIOC_QUERYBUF", "VIDIOC_QBUF",
        "VIDIOC_DQBUF", "VIDIOC_STREAMON", "VIDIOC_STREAMOFF", "VIDIOC_G_PARM", "VIDIOC_S_PARM", "VIDIOC_ENUM_FRAMESIZES",
        "VIDIOC_ENUM_FRAMEINTERVALS", "V4L2_PIX_FMT_YUYV", "V4L2_PIX_FMT_UYVY", "V4L2_PIX_FMT_NV12", "V4L2_PIX_FMT_MJPEG",
        "V4L2_PIX_FMT_JPEG", "V4L2_BUF_TYPE_VIDEO_CAPTURE", "V4L2_MEMORY_MMAP", "V4L2_FIELD_ANY", "V4L2_FIELD_NONE",
        "V4L2_CAP_VIDEO_CAPTURE", "V4L2_CAP_STREAMING", "V4L2_CAP_DEVICE_CAPS", "V4L2_CAP_TIMEPERFRAME", "V4L2_BUF_FLAG_ERROR",
        "V4L2_FRMSIZE_TYPE_DISCRETE", "V4L2_FRMSIZE_TYPE_CONTINUOUS", "V4L2_FRMSIZE_TYPE_STEPWISE", "V4L2_FRMIVAL_TYPE_DISCRETE",
        "V4L2_FRMIVAL_TYPE_CONTINUOUS", "V4L2_FRMIVAL_TYPE_STEPWISE",
    ];

    private static readonly Lazy<Dictionary<string, ulong>> Probe = new(RunProbe);

    [Fact]
    public void Struct_sizes_match_the_kernel_header()
    {
        foreach (string layout in Layouts)
        {
            string name = layout[..layout.IndexOf(':')];
            Type type = typeof(NativeV4L2).Assembly.GetType($"SkinLive.Platform.{name}")!;
            Assert.True(type is not null, $"No interop struct {name}.");
            Assert.True(Probe.Value[$"sizeof {name}"] == (ulong)Marshal.SizeOf(type), $"sizeof {name}: C {Probe.Value[$"sizeof {name}"]}, C# {Marshal.SizeOf(type)}");
        }
    }

    [Fact]
    public void Field_offsets_match_the_kernel_header()
    {
        int checkedFields = 0;
        foreach (string layout in Layouts)
        {
            string name = layout[..layout.IndexOf(':')];
            Type type = typeof(NativeV4L2).Assembly.GetType($"SkinLive.Platform.{name}")!;
            foreach (string field in layout[(layout.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string cField = field.Split('=')[0], managedField = field.Split('=')[^1];
                ulong expected = Probe.Value[$"offsetof {name}.{cField}"];
                ulong actual = (ulong)Marshal.OffsetOf(type, managedField);
                Assert.True(expected == actual, $"offsetof {name}.{cField}: C {expected}, C# {actual}");
                checkedFields++;
            }
        }

        Assert.True(checkedFields > 70, $"Only {checkedFields} fields were checked.");
    }

    [Fact]
    public void Ioctl_numbers_and_constants_match_the_kernel_header()
    {
        foreach (string constant in Constants)
        {
            object value = typeof(NativeV4L2).GetField(constant)!.GetValue(null)!;
            ulong managed = value is nuint n ? n : Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Probe.Value[constant] == managed, $"{constant}: C 0x{Probe.Value[constant]:X}, C# 0x{managed:X}");
        }
    }

    [Fact]
    public void Dqbuf_is_0xC0585611_on_x86_64()
    {
        Assert.Equal((nuint)0xC0585611u, NativeV4L2.VIDIOC_DQBUF);
        Assert.Equal(0xC0585611ul, Probe.Value["VIDIOC_DQBUF"]);
    }

    private static Dictionary<string, ulong> RunProbe()
    {
        Assert.True(File.Exists("/usr/include/linux/videodev2.h"), "/usr/include/linux/videodev2.h is missing; install the Debian package linux-libc-dev (scripts/bootstrap.sh).");
        var source = new System.Text.StringBuilder("""
            #include <stdio.h>
            #include <stddef.h>
            #include <linux/videodev2.h>
            int main(void) {

            """);
        foreach (string layout in Layouts)
        {
            string name = layout[..layout.IndexOf(':')];
            source.AppendLine($"printf(\"sizeof {name} %zu\\n\", sizeof(struct {name}));");
            foreach (string field in layout[(layout.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string cField = field.Split('=')[0];
                source.AppendLine($"printf(\"offsetof {name}.{cField} %zu\\n\", offsetof(struct {name}, {cField}));");
            }
        }

        foreach (string constant in Constants)
        {
            source.AppendLine($"printf(\"{constant} %llu\\n\", (unsigned long long)({constant}));");
        }

        source.AppendLine("return 0; }");
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("probe.c"), source.ToString());
        RunTool("gcc", "gcc (with libc6-dev and linux-libc-dev)", "-o", folder.File("probe"), folder.File("probe.c"));
        string output = RunTool(folder.File("probe"), "gcc");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(line => line[..line.LastIndexOf(' ')], line => ulong.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
