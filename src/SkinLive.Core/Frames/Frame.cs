using System.Diagnostics;

namespace SkinLive.Frames;

/// <summary>What a synthetic source knows about a frame it drew; empty for real sources.</summary>
public readonly record struct GroundTruth(bool HasLesion, int ClassIndex, RectangleF Box)
{
    public static GroundTruth None => default;
}

/// <summary>An axis-aligned rectangle in pixels or normalized units (the user says which).</summary>
public readonly record struct RectangleF(float X, float Y, float Width, float Height)
{
    public float Right => X + Width;
    public float Bottom => Y + Height;
    public float Area => Math.Max(0, Width) * Math.Max(0, Height);

    public static RectangleF Unit => new(0, 0, 1, 1);

    public float IntersectionOverUnion(RectangleF other)
    {
        float ix = Math.Max(0, Math.Min(Right, other.Right) - Math.Max(X, other.X));
        float iy = Math.Max(0, Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y));
        float inter = ix * iy;
        float union = Area + other.Area - inter;
        return union <= 0 ? 0 : inter / union;
    }
}

/// <summary>
/// A pooled CPU frame. The buffer is pinned once at allocation (so uploads and native decoders can use it
/// without per-frame pinning) and reused; <see cref="Length"/> bytes of it are valid.
/// Ownership: whoever holds the reference owns it until it calls <see cref="Release"/>, exactly once.
/// </summary>
public sealed class Frame
{
    private readonly FramePool? _owner;
    private byte[] _buffer;

    internal Frame(FramePool? owner, int capacity)
    {
        _owner = owner;
        _buffer = GC.AllocateUninitializedArray<byte>(Math.Max(capacity, 1), pinned: true);
    }

    /// <summary>An unpooled frame for tests and still images; Release is a no-op.</summary>
    public static Frame Create(PixelFormat format, int width, int height, ColorSpec color = default)
    {
        var frame = new Frame(null, PixelFormats.FrameBytes(format, width, height));
        frame.Reset(format, width, height, color);
        return frame;
    }

    public PixelFormat Format { get; private set; }
    public int Width { get; private set; }
    public int Height { get; private set; }
    public ColorSpec Color { get; private set; }
    public int Length { get; private set; }

    /// <summary>Index of the frame in its source (for a file: the decoded frame number).</summary>
    public long Id { get; set; }

    /// <summary>Monotonic capture time in <see cref="Stopwatch"/> ticks, taken by us when the frame was dequeued.</summary>
    public long CaptureTimestamp { get; set; }

    public GroundTruth Truth { get; set; }

    public Span<byte> Data => _buffer.AsSpan(0, Length);

    public ReadOnlySpan<byte> ReadOnlyData => _buffer.AsSpan(0, Length);

    /// <summary>Sets the layout; grows the buffer only when the new layout does not fit (a size change, not the steady state).</summary>
    public void Reset(PixelFormat format, int width, int height, ColorSpec color)
    {
        int bytes = PixelFormats.FrameBytes(format, width, height);
        if (bytes > _buffer.Length)
        {
            _buffer = GC.AllocateUninitializedArray<byte>(bytes, pinned: true);
        }

        Format = format;
        Width = width;
        Height = height;
        Color = color;
        Length = bytes;
        Id = 0;
        CaptureTimestamp = 0;
        Truth = GroundTruth.None;
    }

    /// <summary>Gives the frame back to its pool. The caller must not touch it afterwards.</summary>
    public void Release() => _owner?.Return(this);

    public static long Now() => Stopwatch.GetTimestamp();
}
