using SkinLive.Capture.Synthetic;
using SkinLive.Frames;

namespace SkinLive.Capture;

/// <summary>
/// Frames rendered once, before a benchmark, and kept in memory: replaying them costs the source nothing, and
/// every pipeline that replays the same <see cref="FrameReplay"/> sees the very same pixels. Frames are unpooled
/// (<see cref="Frame.Release"/> does nothing), so a replay hands out its own buffers without copying.
/// </summary>
public sealed class FrameReplay
{
    private readonly Frame[] _frames;

    public FrameReplay(IReadOnlyList<Frame> frames)
    {
        if (frames.Count == 0)
        {
            throw new ArgumentException("A replay needs at least one frame.", nameof(frames));
        }

        Frame first = frames[0];
        if (frames.Any(f => f.Format != first.Format || f.Width != first.Width || f.Height != first.Height))
        {
            throw new ArgumentException("Every frame of a replay must have the same format and size.", nameof(frames));
        }

        _frames = [.. frames];
    }

    public int Count => _frames.Length;

    public PixelFormat Format => _frames[0].Format;

    public int Width => _frames[0].Width;

    public int Height => _frames[0].Height;

    public Frame this[int index] => _frames[index];

    /// <summary>
    /// The synthetic dermatoscope's first <paramref name="count"/> frames (as played at 30 fps) in
    /// <paramref name="format"/>: drawn as the source draws them (RGBA or YUYV), other formats encoded from RGBA
    /// with BT.601 limited range, as a camera would send them.
    /// </summary>
    public static FrameReplay Synthetic(SyntheticOptions options, PixelFormat format, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        bool native = format is PixelFormat.Rgba8 or PixelFormat.Yuyv;
        SyntheticOptions drawn = options with { PixelFormat = native ? format : PixelFormat.Rgba8, Fps = 30, SwitchSeconds = 0 };
        ColorSpec color = format.IsYuv() ? ColorSpec.Bt601Limited : default;
        using var source = new SyntheticDermatoscopeSource(drawn);
        Frame? scratch = native ? null : Frame.Create(PixelFormat.Rgba8, options.Width, options.Height);
        var frames = new Frame[count];
        for (int i = 0; i < count; i++)
        {
            Frame frame = Frame.Create(format, options.Width, options.Height, color);
            if (scratch is null)
            {
                source.RenderFrame(frame, i);
            }
            else
            {
                source.RenderFrame(scratch, i);
                PixelEncoder.FromRgba(scratch.ReadOnlyData, options.Width, options.Height, format, color, frame.Data);
                frame.Truth = scratch.Truth;
            }

            frames[i] = frame;
        }

        return new FrameReplay(frames);
    }
}
