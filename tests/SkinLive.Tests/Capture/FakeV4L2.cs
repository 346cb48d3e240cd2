using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using SkinLive.Capture;
using SkinLive.Platform;

namespace SkinLive.Tests.Capture;

/// <summary>A scripted stand-in for the kernel: tests plug and unplug the device and feed it frames.</summary>
internal sealed class FakeV4L2System : IV4L2System
{
    private readonly object _gate = new();
    private readonly ConcurrentQueue<string> _misuse = new();
    private FakeV4L2Device? _current;

    public FakeV4L2System(uint fourcc, int width, int height, int bytesPerLine)
    {
        Granted = new V4L2Granted(fourcc, width, height, bytesPerLine, bytesPerLine * height, 30);
    }

    public V4L2Granted Granted { get; }

    /// <summary>Whether opening succeeds; when false, Open fails with <see cref="MissingErrno"/>.</summary>
    public volatile bool Present = true;

    public int MissingErrno { get; init; } = NativeLibc.ENOENT;

    public int Opens;

    public List<FakeV4L2Device> Devices { get; } = [];

    public FakeV4L2Device? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>
    /// Fails the test if the source broke a rule of the device API on any device (a buffer queued twice, more buffers
    /// than exist). The fake's own checks run on the capture thread, where a throw only becomes a Faulted status that a
    /// test may never look at, so each failed check is also recorded here.
    /// </summary>
    public void AssertNoMisuse() =>
        Assert.True(_misuse.IsEmpty, $"The source misused the fake device: {string.Join("; ", _misuse)}");

    public IReadOnlyList<string> DevicePaths() => Present ? ["/dev/video0"] : [];

    public IV4L2Device Open(string path)
    {
        if (!Present)
        {
            throw new V4L2Exception(MissingErrno, $"Cannot open {path}: {NativeLibc.Describe(MissingErrno)}.");
        }

        Interlocked.Increment(ref Opens);
        var device = new FakeV4L2Device(path, Granted, _misuse);
        lock (_gate)
        {
            _current = device;
            Devices.Add(device);
        }

        return device;
    }
}

internal sealed class FakeV4L2Device(string path, V4L2Granted granted, ConcurrentQueue<string> misuse) : IV4L2Device
{
    private readonly ConcurrentQueue<(byte[] Data, bool Error)> _pending = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly byte[][] _buffers = new byte[4][];
    private readonly bool[] _queued = new bool[4];
    private volatile bool _unplugged;
    private volatile bool _woken;

    public string Path { get; } = path;

    public (int Width, int Height, uint FourCC, double Fps) Requested { get; private set; }

    public int BufferCount { get; private set; }

    public bool Streaming { get; private set; }

    public bool Disposed { get; private set; }

    public bool Woken => _woken;

    public int Requeued;

    public void Feed(byte[] data, bool error = false)
    {
        _pending.Enqueue((data, error));
        _signal.Release();
    }

    public void Unplug()
    {
        _unplugged = true;
        _signal.Release();
    }

    public V4L2Capabilities QueryCapabilities() => new("fake", "Fake Camera", "usb-fake", true, true);

    public IReadOnlyList<V4L2Mode> EnumerateModes() => [new V4L2Mode(granted.FourCC, "fake", granted.Width, granted.Height, false, [30, 15])];

    public V4L2Granted Negotiate(int width, int height, uint fourcc, double framesPerSecond)
    {
        Requested = (width, height, fourcc, framesPerSecond);
        return granted;
    }

    public void StartStreaming(int bufferCount)
    {
        Expect(bufferCount <= _buffers.Length, $"The fake holds {_buffers.Length} buffers, {bufferCount} were asked for.");
        BufferCount = bufferCount;
        for (int i = 0; i < bufferCount; i++)
        {
            _buffers[i] = GC.AllocateArray<byte>(1 << 16, pinned: true);
            _queued[i] = true;
        }

        Streaming = true;
    }

    public V4L2WaitResult Wait(int timeoutMilliseconds)
    {
        if (!_woken && !_unplugged && _pending.IsEmpty)
        {
            _signal.Wait(timeoutMilliseconds);
        }

        return _woken ? V4L2WaitResult.Woken : _unplugged ? V4L2WaitResult.DeviceError : _pending.IsEmpty ? V4L2WaitResult.Timeout : V4L2WaitResult.FrameReady;
    }

    public bool TryDequeue(out V4L2Buffer buffer)
    {
        if (_unplugged)
        {
            throw new V4L2Exception(NativeLibc.ENODEV, $"VIDIOC_DQBUF on {Path} failed: No such device.");
        }

        int index = Array.IndexOf(_queued, true);
        if (index < 0 || !_pending.TryDequeue(out var next))
        {
            buffer = default;
            return false;
        }

        _queued[index] = false;
        next.Data.CopyTo(_buffers[index], 0);
        buffer = new V4L2Buffer(index, Marshal.UnsafeAddrOfPinnedArrayElement(_buffers[index], 0), next.Data.Length, next.Error);
        return true;
    }

    public void Requeue(int index)
    {
        Expect(!_queued[index], $"Buffer {index} was queued twice.");
        _queued[index] = true;
        Interlocked.Increment(ref Requeued);
    }

    public void Wake()
    {
        _woken = true;
        _signal.Release();
    }

    public void Dispose() => Disposed = true;

    /// <summary>A rule of the device API: recorded for <see cref="FakeV4L2System.AssertNoMisuse"/>, then thrown as the kernel would fail the call.</summary>
    private void Expect(bool condition, string problem)
    {
        if (!condition)
        {
            misuse.Enqueue($"{Path}: {problem}");
            Assert.Fail(problem);
        }
    }
}
