using SkinLive.Frames;
using SkinLive.Platform;

namespace SkinLive.Capture;

/// <summary>What to ask a V4L2 device for. Zero width/height/fps leave the driver's current choice.</summary>
public sealed record V4L2Options(string Device, int Width = 1280, int Height = 720, uint FourCC = 0, double FramesPerSecond = 30)
{
    /// <summary>Kiosk mode: a device that is missing at start is waited for instead of being an error.</summary>
    public bool WaitForDevice { get; init; }

    /// <summary>No frame for this long means the stream stalled (the device is treated as disconnected).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a disconnected device is reopened.</summary>
    public TimeSpan ReopenInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int BufferCount { get; init; } = 4;
}

/// <summary>
/// A V4L2 camera: opens and negotiates at construction (so a missing device is one clear error at start, unless
/// <see cref="V4L2Options.WaitForDevice"/>), then streams on its thread. YUYV, UYVY and NV12 are copied as-is into
/// pooled frames (the GPU converts them); MJPEG is decoded to I420. Unplug (any device error) or a stall makes the
/// status Disconnected and the source reopens the device every <see cref="V4L2Options.ReopenInterval"/> until it is
/// back. Stop wakes a blocked poll at once through the device's wake-up pipe.
/// </summary>
public sealed class V4L2Source : ThreadedFrameSource
{
    private readonly IV4L2System _system;
    private readonly V4L2Options _options;
    private JpegDecoder? _jpeg;
    private IV4L2Device? _device;
    private V4L2Granted _granted;
    private V4L2FrameLayout _layout;

    public V4L2Source(V4L2Options options, FramePool pool, IV4L2System? system = null)
        : base(pool)
    {
        _options = options;
        _system = system ?? NativeV4L2System.Instance;
        try
        {
            _device = OpenAndNegotiate();
        }
        catch (V4L2Exception ex) when (options.WaitForDevice)
        {
            SetStatus(SourceStatus.Disconnected, ex.Message);
        }
        catch (V4L2Exception ex)
        {
            throw new SourceException(ex.Errno is NativeLibc.ENOENT
                ? $"There is no camera at {options.Device} (run 'skinlive devices' to list them)."
                : ex.Message, ex);
        }
    }

    /// <summary>Resolves "0" or "/dev/video0" to a device path.</summary>
    public static string DevicePath(string deviceOrIndex) =>
        int.TryParse(deviceOrIndex, out int index) && index >= 0 ? $"/dev/video{index}" : deviceOrIndex;

    public override string Description => _granted.Width == 0
        ? $"{_options.Device} (not open)"
        : $"{_options.Device} {_granted.Width}x{_granted.Height} {NativeV4L2.FourCCText(_granted.FourCC)} {_granted.FramesPerSecond:0.##} fps";

    /// <summary>What the driver granted on the latest open (zero before the first successful open).</summary>
    public V4L2Granted Granted => _granted;

    public override double NominalFps => _granted.FramesPerSecond;

    /// <summary>How many times the device was opened (1 without disconnects).</summary>
    public int Opens { get; private set; }

    protected override void Run(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            IV4L2Device? device = _device;
            if (device is null)
            {
                try
                {
                    device = OpenAndNegotiate();
                }
                catch (V4L2Exception ex)
                {
                    SetStatus(SourceStatus.Disconnected, ex.Message);
                    stop.WaitHandle.WaitOne(_options.ReopenInterval);
                    continue;
                }

                _device = device;
            }

            try
            {
                Stream(device, stop);
            }
            catch (V4L2Exception ex)
            {
                SetStatus(SourceStatus.Disconnected, ex.Message);
            }
            finally
            {
                _device = null;
                device.Dispose();
            }

            if (!stop.IsCancellationRequested && Status == SourceStatus.Disconnected)
            {
                stop.WaitHandle.WaitOne(_options.ReopenInterval);
            }
        }
    }

    protected override void DisposeResources()
    {
        _device?.Dispose();
        _device = null;
        _jpeg?.Dispose();
    }

    private IV4L2Device OpenAndNegotiate()
    {
        string path = DevicePath(_options.Device);
        IV4L2Device device = _system.Open(path);
        try
        {
            V4L2Capabilities capabilities = device.QueryCapabilities();
            if (!capabilities.CanCapture || !capabilities.CanStream)
            {
                throw new V4L2Exception(NativeLibc.EINVAL, $"{path} ({capabilities.Card}) is not a streaming video capture device.");
            }

            uint fourcc = _options.FourCC != 0 ? _options.FourCC : NativeV4L2.V4L2_PIX_FMT_MJPEG;
            V4L2Granted granted = device.Negotiate(_options.Width, _options.Height, fourcc, _options.FramesPerSecond);
            if (!IsSupported(granted.FourCC))
            {
                throw new V4L2Exception(NativeLibc.EINVAL, $"{path} offers {NativeV4L2.FourCCText(granted.FourCC)}, which SkinLive cannot read (it reads YUYV, UYVY, NV12 and MJPEG).");
            }

            V4L2FrameLayout layout = default;
            if (!IsJpeg(granted.FourCC) && !V4L2FrameLayout.TryCreate(granted, out layout, out string? problem))
            {
                throw new V4L2Exception(NativeLibc.EINVAL, $"{path} granted {problem}, which SkinLive cannot read.");
            }

            _granted = granted;
            _layout = layout;
            Opens++;
            return device;
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private static bool IsSupported(uint fourcc) =>
        fourcc == NativeV4L2.V4L2_PIX_FMT_YUYV || fourcc == NativeV4L2.V4L2_PIX_FMT_UYVY || fourcc == NativeV4L2.V4L2_PIX_FMT_NV12 || IsJpeg(fourcc);

    private static bool IsJpeg(uint fourcc) => fourcc == NativeV4L2.V4L2_PIX_FMT_MJPEG || fourcc == NativeV4L2.V4L2_PIX_FMT_JPEG;

    private void Stream(IV4L2Device device, CancellationToken stop)
    {
        // The registration fires at once if Stop already happened, so a wake is never lost.
        using CancellationTokenRegistration wake = stop.Register(device.Wake);
        device.StartStreaming(_options.BufferCount);
        SetStatus(SourceStatus.Running, null);
        long stallTicks = (long)(_options.StallTimeout.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        long lastFrame = Frame.Now();
        while (!stop.IsCancellationRequested)
        {
            long remaining = lastFrame + stallTicks - Frame.Now();
            if (remaining <= 0)
            {
                throw new V4L2Exception(NativeLibc.EIO, $"{device.Path} sent no frame for {_options.StallTimeout.TotalSeconds:0.#} s.");
            }

            int timeoutMs = (int)Math.Ceiling(remaining * 1000.0 / System.Diagnostics.Stopwatch.Frequency);
            switch (device.Wait(timeoutMs))
            {
                case V4L2WaitResult.Woken:
                    return;
                case V4L2WaitResult.Timeout:
                    continue;
                case V4L2WaitResult.DeviceError:
                    throw new V4L2Exception(NativeLibc.ENODEV, $"{device.Path} reported an error; it was probably unplugged.");
            }

            while (device.TryDequeue(out V4L2Buffer buffer))
            {
                long timestamp = Frame.Now();
                lastFrame = timestamp;
                try
                {
                    Frame? frame = buffer.Error ? null : Convert(buffer);
                    if (frame is not null)
                    {
                        Publish(frame, timestamp);
                    }
                    else if (buffer.Error)
                    {
                        CountSkipped();
                    }
                }
                finally
                {
                    device.Requeue(buffer.Index);
                }
            }
        }
    }

    /// <summary>A pooled frame holding the buffer's image, or null (already counted) when it was skipped.</summary>
    private unsafe Frame? Convert(V4L2Buffer buffer)
    {
        var data = new ReadOnlySpan<byte>((void*)buffer.Data, buffer.BytesUsed);
        if (IsJpeg(_granted.FourCC))
        {
            return Decode(data);
        }

        V4L2FrameLayout layout = _layout;
        Frame? frame = RentFrame(layout.Format, layout.Width, layout.Height, ColorSpec.Bt601Limited);
        if (frame is not null && !layout.TryCopy(data, frame.Data))
        {
            frame.Release();
            CountSkipped();
            return null;
        }

        return frame;
    }

    private Frame? Decode(ReadOnlySpan<byte> jpeg)
    {
        // Created on first use so YUYV cameras work without libturbojpeg; disposed after the thread has exited.
        JpegDecoder decoder = _jpeg ??= new JpegDecoder();
        if (!decoder.TryReadHeader(jpeg, out JpegInfo info))
        {
            CountSkipped();
            return null;
        }

        Frame? frame = RentFrame(JpegDecoder.OutputFormat(info, PixelFormat.I420), info.Width, info.Height, ColorSpec.Bt601Full);
        if (frame is null)
        {
            return null;
        }

        if (!decoder.TryDecode(jpeg, info, frame))
        {
            frame.Release();
            CountSkipped();
            return null;
        }

        return frame;
    }
}
