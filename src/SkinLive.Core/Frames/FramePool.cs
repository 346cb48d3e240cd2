namespace SkinLive.Frames;

/// <summary>
/// A fixed set of frames allocated once. <see cref="TryRent"/> never allocates in the steady state and
/// never blocks for long (a short lock guards a stack of free frames); when every frame is in use it
/// returns null and the source drops the frame it was about to fill.
/// </summary>
public sealed class FramePool
{
    private readonly Frame[] _free;
    private readonly object _gate = new();
    private int _freeCount;

    public FramePool(int count, PixelFormat format, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Capacity = count;
        _free = new Frame[count];
        int bytes = PixelFormats.FrameBytes(format, width, height);
        for (int i = 0; i < count; i++)
        {
            _free[i] = new Frame(this, bytes);
        }

        _freeCount = count;
    }

    public int Capacity { get; }

    public int FreeCount
    {
        get
        {
            lock (_gate)
            {
                return _freeCount;
            }
        }
    }

    /// <summary>A free frame laid out as asked, or null when all are in use.</summary>
    public Frame? TryRent(PixelFormat format, int width, int height, ColorSpec color)
    {
        Frame frame;
        lock (_gate)
        {
            if (_freeCount == 0)
            {
                return null;
            }

            frame = _free[--_freeCount];
            _free[_freeCount] = null!;
        }

        frame.Reset(format, width, height, color);
        return frame;
    }

    internal void Return(Frame frame)
    {
        lock (_gate)
        {
            if (_freeCount == _free.Length)
            {
                throw new InvalidOperationException("A frame was released twice.");
            }

            _free[_freeCount++] = frame;
        }
    }
}
