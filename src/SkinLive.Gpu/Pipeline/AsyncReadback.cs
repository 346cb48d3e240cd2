using System.Runtime.InteropServices;
using Silk.NET.OpenGL;
using SkinLive.Gpu.Platform;
using SkinLive.Gpu.Rendering;
using SkinLive.Tensors;
using GlPixelFormat = Silk.NET.OpenGL.PixelFormat;

namespace SkinLive.Gpu.Pipeline;

/// <summary>Receives completed readbacks on the render thread; the span is valid only during the call.</summary>
public interface IReadbackSink
{
    /// <summary>Bytes of the read-back target, row 0 (GL's bottom row) first, RGBA per texel.</summary>
    void Receive(ReadOnlySpan<byte> data, in TensorStamp stamp);
}

/// <summary>What a readback reads: RGBA32F (tensors, maps) or RGBA8 (the composited picture, for recording).</summary>
public enum ReadbackFormat
{
    Rgba32F,
    Rgba8,
}

/// <summary>Publishes read-back tensors (the first <see cref="TensorDoubleBuffer.ElementCount"/> floats) to the inference thread.</summary>
public sealed class TensorSink(TensorDoubleBuffer tensors) : IReadbackSink
{
    public void Receive(ReadOnlySpan<byte> data, in TensorStamp stamp)
    {
        MemoryMarshal.Cast<byte, float>(data)[..tensors.ElementCount].CopyTo(tensors.BeginWrite());
        tensors.EndWrite(stamp);
    }
}

/// <summary>
/// Asynchronous readback of a framebuffer: glReadPixels into one of a ring of pixel-pack buffers, a fence
/// after it, and on later frames a zero-timeout poll of the oldest fence. A signalled readback is handed to the
/// sink with its frame stamp. When every buffer is still in flight the new readback is skipped and counted:
/// the render thread never waits for the GPU.
/// </summary>
public sealed unsafe class AsyncReadback : IDisposable
{
    private readonly RenderThreadGuard _renderThread = new("an async readback");
    private readonly GL _gl;
    private readonly GlSync _sync;
    private readonly IReadbackSink _sink;
    private readonly Slot[] _slots;
    private readonly nuint _bytes;
    private readonly PixelType _pixelType;
    private int _oldest;
    private int _inFlight;

    public AsyncReadback(GL gl, GlSync sync, IReadbackSink sink, int targetWidth, int targetHeight, int ringSize = 3, ReadbackFormat format = ReadbackFormat.Rgba32F)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ringSize, 2);
        _gl = gl;
        _sync = sync;
        _sink = sink;
        TargetWidth = targetWidth;
        TargetHeight = targetHeight;
        _pixelType = format == ReadbackFormat.Rgba8 ? PixelType.UnsignedByte : PixelType.Float;
        _bytes = (nuint)(targetWidth * targetHeight * 4 * (format == ReadbackFormat.Rgba8 ? 1 : sizeof(float)));

        _slots = new Slot[ringSize];
        for (int i = 0; i < ringSize; i++)
        {
            uint buffer = gl.GenBuffer();
            GlObjectCounts.Of(gl).Created(GlObjectKind.Buffer);
            gl.BindBuffer(BufferTargetARB.PixelPackBuffer, buffer);
            gl.BufferData(BufferTargetARB.PixelPackBuffer, _bytes, null, BufferUsageARB.StreamRead);
            _slots[i].Buffer = buffer;
        }

        gl.BindBuffer(BufferTargetARB.PixelPackBuffer, 0);
    }

    public int TargetWidth { get; }
    public int TargetHeight { get; }

    /// <summary>Readbacks not issued because every buffer was still in flight.</summary>
    public long Skipped { get; private set; }

    public long Completed { get; private set; }

    /// <summary>Frames between issuing the newest completed readback and its completion.</summary>
    public long LastLatencyFrames { get; private set; }

    public long TotalLatencyFrames { get; private set; }

    public int InFlight => _inFlight;

    /// <summary>Queues a readback of <paramref name="target"/> stamped with <paramref name="stamp"/>; false (and counted) when the ring is full.</summary>
    public bool TryIssue(RenderTarget target, in TensorStamp stamp, long frameNumber) => TryIssue(target.Framebuffer, stamp, frameNumber);

    /// <summary>Queues a readback of <paramref name="framebuffer"/> (0: the window); false (and counted) when the ring is full.</summary>
    public bool TryIssue(uint framebuffer, in TensorStamp stamp, long frameNumber)
    {
        _renderThread.Check();
        if (_inFlight == _slots.Length)
        {
            Skipped++;
            return false;
        }

        int index = (_oldest + _inFlight) % _slots.Length;
        ref Slot slot = ref _slots[index];
        _gl.BindFramebuffer(FramebufferTarget.ReadFramebuffer, framebuffer);
        _gl.ReadBuffer(framebuffer == 0 ? ReadBufferMode.Back : ReadBufferMode.ColorAttachment0);
        _gl.PixelStore(PixelStoreParameter.PackAlignment, 1);
        _gl.BindBuffer(BufferTargetARB.PixelPackBuffer, slot.Buffer);
        _gl.ReadPixels(0, 0, (uint)TargetWidth, (uint)TargetHeight, GlPixelFormat.Rgba, _pixelType, null);
        _gl.BindBuffer(BufferTargetARB.PixelPackBuffer, 0);
        _gl.BindFramebuffer(FramebufferTarget.ReadFramebuffer, 0);
        slot.Fence = _sync.Fence();
        slot.Flushed = false;
        slot.Stamp = stamp;
        slot.FrameNumber = frameNumber;
        _inFlight++;
        return true;
    }

    /// <summary>Publishes every readback whose fence has signalled, oldest first, without waiting. Returns how many completed.</summary>
    public int Poll(long frameNumber)
    {
        _renderThread.Check();
        int completed = 0;
        while (_inFlight > 0)
        {
            ref Slot slot = ref _slots[_oldest];
            bool signaled = _sync.IsSignaled(slot.Fence, flush: !slot.Flushed);
            slot.Flushed = true;
            if (!signaled)
            {
                break;
            }

            _sync.Delete(slot.Fence);
            slot.Fence = 0;
            Publish(ref slot);
            LastLatencyFrames = frameNumber - slot.FrameNumber;
            TotalLatencyFrames += LastLatencyFrames;
            Completed++;
            completed++;
            _oldest = (_oldest + 1) % _slots.Length;
            _inFlight--;
        }

        return completed;
    }

    public void Dispose()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Fence != 0)
            {
                _sync.Delete(_slots[i].Fence);
                _slots[i].Fence = 0;
            }

            if (_slots[i].Buffer != 0)
            {
                _gl.DeleteBuffer(_slots[i].Buffer);
                GlObjectCounts.Of(_gl).Deleted(GlObjectKind.Buffer);
                _slots[i].Buffer = 0;
            }
        }

        _inFlight = 0;
    }

    private void Publish(ref Slot slot)
    {
        _gl.BindBuffer(BufferTargetARB.PixelPackBuffer, slot.Buffer);
        void* mapped = _gl.MapBufferRange(BufferTargetARB.PixelPackBuffer, 0, _bytes, MapBufferAccessMask.ReadBit);
        if (mapped is not null)
        {
            _sink.Receive(new ReadOnlySpan<byte>(mapped, (int)_bytes), slot.Stamp);
            _gl.UnmapBuffer(BufferTargetARB.PixelPackBuffer);
        }

        _gl.BindBuffer(BufferTargetARB.PixelPackBuffer, 0);
    }

    private struct Slot
    {
        public uint Buffer;
        public nint Fence;
        public bool Flushed;
        public TensorStamp Stamp;
        public long FrameNumber;
    }
}
