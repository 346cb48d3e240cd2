using System.Runtime.InteropServices;
using SkinLive.Platform;
using static SkinLive.Platform.NativeLibc;
using static SkinLive.Platform.NativeV4L2;

namespace SkinLive.Capture;

/// <summary>The kernel's V4L2 devices.</summary>
public sealed class NativeV4L2System : IV4L2System
{
    public static NativeV4L2System Instance { get; } = new();

    public IReadOnlyList<string> DevicePaths()
    {
        if (!Directory.Exists("/dev"))
        {
            return [];
        }

        return Directory.GetFiles("/dev", "video*")
            .Where(path => int.TryParse(path.AsSpan("/dev/video".Length), out _))
            .OrderBy(path => int.Parse(path.AsSpan("/dev/video".Length)))
            .ToArray();
    }

    public IV4L2Device Open(string path) => new NativeV4L2Device(path);
}

/// <summary>
/// A V4L2 capture device through open/ioctl/mmap/poll: single-planar, mmap streaming, non-blocking dequeue, and a
/// wake-up pipe polled beside the device so another thread can interrupt a wait. ioctl and poll retry on EINTR.
/// </summary>
public sealed unsafe class NativeV4L2Device : IV4L2Device
{
    private readonly int _wakeRead;
    private readonly int _wakeWrite;
    private int _fd;
    private nint[] _maps = [];
    private nuint[] _mapLengths = [];
    private bool _streaming;
    private int _woken;

    public NativeV4L2Device(string path)
    {
        Path = path;
        _fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (_fd < 0)
        {
            int errno = Errno;
            throw new V4L2Exception(errno, $"Cannot open {path}: {Describe(errno)}.");
        }

        int* pipe = stackalloc int[2];
        if (pipe2(pipe, O_NONBLOCK | O_CLOEXEC) != 0)
        {
            int errno = Errno;
            _ = close(_fd);
            throw new V4L2Exception(errno, $"Cannot create a wake-up pipe: {Describe(errno)}.");
        }

        _wakeRead = pipe[0];
        _wakeWrite = pipe[1];
    }

    public string Path { get; }

    public V4L2Capabilities QueryCapabilities()
    {
        v4l2_capability capability = default;
        Ioctl(VIDIOC_QUERYCAP, &capability, "VIDIOC_QUERYCAP");
        uint caps = (capability.capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? capability.device_caps : capability.capabilities;
        return new V4L2Capabilities(
            CString(capability.driver, 16), CString(capability.card, 32), CString(capability.bus_info, 32),
            (caps & V4L2_CAP_VIDEO_CAPTURE) != 0, (caps & V4L2_CAP_STREAMING) != 0);
    }

    public IReadOnlyList<V4L2Mode> EnumerateModes()
    {
        var modes = new List<V4L2Mode>();
        for (uint formatIndex = 0; ; formatIndex++)
        {
            v4l2_fmtdesc format = new() { index = formatIndex, type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
            if (!TryIoctl(VIDIOC_ENUM_FMT, &format))
            {
                break;
            }

            string description = CString(format.description, 32);
            for (uint sizeIndex = 0; ; sizeIndex++)
            {
                v4l2_frmsizeenum size = new() { index = sizeIndex, pixel_format = format.pixelformat };
                if (!TryIoctl(VIDIOC_ENUM_FRAMESIZES, &size))
                {
                    break;
                }

                if (size.type == V4L2_FRMSIZE_TYPE_DISCRETE)
                {
                    int width = (int)size.discrete.width, height = (int)size.discrete.height;
                    modes.Add(new V4L2Mode(format.pixelformat, description, width, height, false, FrameRates(format.pixelformat, width, height)));
                    continue;
                }

                // Stepwise or continuous: one entry describes the whole range, so list its two ends.
                int minWidth = (int)size.stepwise.min_width, minHeight = (int)size.stepwise.min_height;
                int maxWidth = (int)size.stepwise.max_width, maxHeight = (int)size.stepwise.max_height;
                modes.Add(new V4L2Mode(format.pixelformat, description, minWidth, minHeight, true, FrameRates(format.pixelformat, minWidth, minHeight)));
                modes.Add(new V4L2Mode(format.pixelformat, description, maxWidth, maxHeight, true, FrameRates(format.pixelformat, maxWidth, maxHeight)));
                break;
            }
        }

        return modes;
    }

    public V4L2Granted Negotiate(int width, int height, uint fourcc, double framesPerSecond)
    {
        v4l2_format format = new() { type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
        format.pix.width = (uint)width;
        format.pix.height = (uint)height;
        format.pix.pixelformat = fourcc;
        format.pix.field = V4L2_FIELD_NONE;
        Ioctl(VIDIOC_S_FMT, &format, "VIDIOC_S_FMT");

        double grantedFps = 0;
        v4l2_streamparm parameters = new() { type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
        if (TryIoctl(VIDIOC_G_PARM, &parameters) && (parameters.capture.capability & V4L2_CAP_TIMEPERFRAME) != 0)
        {
            if (framesPerSecond > 0)
            {
                // Time per frame as a fraction with a denominator that represents common rates (29.97, 30, 60) exactly.
                parameters.capture.timeperframe.numerator = 1000;
                parameters.capture.timeperframe.denominator = (uint)Math.Round(framesPerSecond * 1000);
                Ioctl(VIDIOC_S_PARM, &parameters, "VIDIOC_S_PARM");
            }

            v4l2_fract perFrame = parameters.capture.timeperframe;
            grantedFps = perFrame.numerator == 0 ? 0 : (double)perFrame.denominator / perFrame.numerator;
        }

        return new V4L2Granted(format.pix.pixelformat, (int)format.pix.width, (int)format.pix.height,
            (int)format.pix.bytesperline, (int)format.pix.sizeimage, grantedFps);
    }

    public void StartStreaming(int bufferCount)
    {
        v4l2_requestbuffers request = new() { count = (uint)bufferCount, type = V4L2_BUF_TYPE_VIDEO_CAPTURE, memory = V4L2_MEMORY_MMAP };
        Ioctl(VIDIOC_REQBUFS, &request, "VIDIOC_REQBUFS");
        if (request.count == 0)
        {
            throw new V4L2Exception(ENOMEM, $"{Path} granted no capture buffers.");
        }

        _maps = new nint[request.count];
        _mapLengths = new nuint[request.count];
        for (uint index = 0; index < request.count; index++)
        {
            v4l2_buffer buffer = new() { index = index, type = V4L2_BUF_TYPE_VIDEO_CAPTURE, memory = V4L2_MEMORY_MMAP };
            Ioctl(VIDIOC_QUERYBUF, &buffer, "VIDIOC_QUERYBUF");
            nint map = mmap(0, buffer.length, PROT_READ | PROT_WRITE, MAP_SHARED, _fd, buffer.m_offset);
            if (map == MAP_FAILED)
            {
                int errno = Errno;
                throw new V4L2Exception(errno, $"Cannot map a capture buffer of {Path}: {Describe(errno)}.");
            }

            _maps[index] = map;
            _mapLengths[index] = buffer.length;
            Requeue((int)index);
        }

        int type = (int)V4L2_BUF_TYPE_VIDEO_CAPTURE;
        Ioctl(VIDIOC_STREAMON, &type, "VIDIOC_STREAMON");
        _streaming = true;
    }

    public V4L2WaitResult Wait(int timeoutMilliseconds)
    {
        PollFd* fds = stackalloc PollFd[2];
        fds[0] = new PollFd { fd = _fd, events = POLLIN };
        fds[1] = new PollFd { fd = _wakeRead, events = POLLIN };
        int ready;
        do
        {
            ready = poll(fds, 2, timeoutMilliseconds);
        }
        while (ready < 0 && Errno == EINTR);

        if (ready < 0)
        {
            int errno = Errno;
            throw new V4L2Exception(errno, $"poll on {Path} failed: {Describe(errno)}.");
        }

        if (fds[1].revents != 0 || Volatile.Read(ref _woken) != 0)
        {
            return V4L2WaitResult.Woken;
        }

        if ((fds[0].revents & POLLIN) != 0)
        {
            return V4L2WaitResult.FrameReady;
        }

        return ready == 0 ? V4L2WaitResult.Timeout : V4L2WaitResult.DeviceError;
    }

    public bool TryDequeue(out V4L2Buffer buffer)
    {
        v4l2_buffer dequeued = new() { type = V4L2_BUF_TYPE_VIDEO_CAPTURE, memory = V4L2_MEMORY_MMAP };
        if (!TryIoctl(VIDIOC_DQBUF, &dequeued))
        {
            int errno = Errno;
            if (errno == EAGAIN)
            {
                buffer = default;
                return false;
            }

            throw new V4L2Exception(errno, $"VIDIOC_DQBUF on {Path} failed: {Describe(errno)}.");
        }

        if (dequeued.index >= _maps.Length)
        {
            throw new V4L2Exception(EIO, $"{Path} returned capture buffer {dequeued.index}, but only {_maps.Length} are mapped.");
        }

        ulong mapped = _mapLengths[dequeued.index];
        buffer = new V4L2Buffer((int)dequeued.index, _maps[dequeued.index], V4L2Buffer.ClampBytesUsed(dequeued.bytesused, mapped), (dequeued.flags & V4L2_BUF_FLAG_ERROR) != 0);
        return true;
    }

    public void Requeue(int index)
    {
        v4l2_buffer buffer = new() { index = (uint)index, type = V4L2_BUF_TYPE_VIDEO_CAPTURE, memory = V4L2_MEMORY_MMAP };
        Ioctl(VIDIOC_QBUF, &buffer, "VIDIOC_QBUF");
    }

    public void Wake()
    {
        if (Interlocked.Exchange(ref _woken, 1) == 0)
        {
            byte signal = 1;
            _ = write(_wakeWrite, &signal, 1);
        }
    }

    public void Dispose()
    {
        if (_fd < 0)
        {
            return;
        }

        if (_streaming)
        {
            int type = (int)V4L2_BUF_TYPE_VIDEO_CAPTURE;
            _ = TryIoctl(VIDIOC_STREAMOFF, &type);
        }

        for (int i = 0; i < _maps.Length; i++)
        {
            if (_maps[i] != 0)
            {
                _ = munmap(_maps[i], _mapLengths[i]);
            }
        }

        _ = close(_fd);
        _ = close(_wakeRead);
        _ = close(_wakeWrite);
        _fd = -1;
    }

    private List<double> FrameRates(uint fourcc, int width, int height)
    {
        var rates = new List<double>();
        for (uint index = 0; ; index++)
        {
            v4l2_frmivalenum interval = new() { index = index, pixel_format = fourcc, width = (uint)width, height = (uint)height };
            if (!TryIoctl(VIDIOC_ENUM_FRAMEINTERVALS, &interval))
            {
                break;
            }

            if (interval.type == V4L2_FRMIVAL_TYPE_DISCRETE)
            {
                AddRate(rates, interval.discrete);
                continue;
            }

            AddRate(rates, interval.stepwise.max);
            AddRate(rates, interval.stepwise.min);
            break;
        }

        return rates;
    }

    private static void AddRate(List<double> rates, v4l2_fract perFrame)
    {
        if (perFrame.numerator != 0)
        {
            rates.Add((double)perFrame.denominator / perFrame.numerator);
        }
    }

    private bool TryIoctl(nuint request, void* argument)
    {
        int result;
        do
        {
            result = ioctl(_fd, request, argument);
        }
        while (result < 0 && Errno == EINTR);
        return result >= 0;
    }

    private void Ioctl(nuint request, void* argument, string name)
    {
        if (!TryIoctl(request, argument))
        {
            int errno = Errno;
            throw new V4L2Exception(errno, $"{name} on {Path} failed: {Describe(errno)}.");
        }
    }

    private static string CString(byte* text, int capacity) =>
        Marshal.PtrToStringUTF8((nint)text, new ReadOnlySpan<byte>(text, capacity).IndexOf((byte)0) is int end and >= 0 ? end : capacity) ?? "";
}
