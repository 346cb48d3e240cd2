using SkinLive.Frames;

namespace SkinLive.Capture;

/// <summary>
/// The built-in test pattern: colour bars over a grey ramp with a white band sweeping across, at a fixed rate or
/// unpaced. Both pictures are encoded once in the requested format; each frame copies the bars and then the band's
/// columns, so a frame costs two memory copies and no allocation.
/// </summary>
public sealed class TestPatternSource : ThreadedFrameSource
{
    private readonly byte[] _bars;
    private readonly byte[] _band;
    private readonly double _fps;

    public TestPatternSource(FramePool pool, int width, int height, PixelFormat format = PixelFormat.Rgba8, double fps = 30, ColorSpec color = default)
        : base(pool)
    {
        if (format is PixelFormat.Nv12 or PixelFormat.I420)
        {
            throw new ArgumentException("The test pattern is produced in packed formats (RGBA, BGRA, RGB24, YUYV, UYVY).", nameof(format));
        }

        Width = width;
        Height = height;
        Format = format;
        Color = color;
        _fps = fps;
        byte[] rgba = new byte[width * height * 4];
        DrawBars(rgba, width, height);
        _bars = new byte[PixelFormats.FrameBytes(format, width, height)];
        PixelEncoder.FromRgba(rgba, width, height, format, color, _bars);
        rgba.AsSpan().Fill(235);
        _band = new byte[_bars.Length];
        PixelEncoder.FromRgba(rgba, width, height, format, color, _band);
    }

    public int Width { get; }
    public int Height { get; }
    public PixelFormat Format { get; }
    public ColorSpec Color { get; }

    public override string Description => $"test pattern {Width}x{Height} {Format}" + (_fps > 0 ? $" {_fps:0.#} fps" : " unpaced");

    public override double NominalFps => _fps;

    /// <summary>Colour bars (top 2/3: white, yellow, cyan, green, magenta, red, blue, black) over a grey ramp.</summary>
    public static void DrawBars(Span<byte> rgba, int width, int height)
    {
        ReadOnlySpan<byte> bars = [235, 235, 235, 235, 235, 16, 16, 235, 235, 16, 235, 16, 235, 16, 235, 235, 16, 16, 16, 16, 235, 16, 16, 16];
        int split = height * 2 / 3;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int o = ((y * width) + x) * 4;
                if (y < split)
                {
                    int bar = Math.Min(x * 8 / width, 7) * 3;
                    rgba[o] = bars[bar];
                    rgba[o + 1] = bars[bar + 1];
                    rgba[o + 2] = bars[bar + 2];
                }
                else
                {
                    byte grey = (byte)(x * 255 / Math.Max(width - 1, 1));
                    rgba[o] = grey;
                    rgba[o + 1] = grey;
                    rgba[o + 2] = grey;
                }

                rgba[o + 3] = 255;
            }
        }
    }

    protected override void Run(CancellationToken stop)
    {
        long index = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            Frame? frame = RentFrame(Format, Width, Height, Color);
            if (frame is not null)
            {
                _bars.CopyTo(frame.Data);
                int bandWidth = Math.Max(2, Width / 16) & ~1;
                int x0 = (int)(index * 8 % Math.Max(Width - bandWidth, 1)) & ~1;
                CopyBand(frame.Data, x0, Math.Min(x0 + bandWidth, Width));
                Publish(frame);
            }

            index++;
            if (_fps > 0)
            {
                TimeSpan due = TimeSpan.FromSeconds(index / _fps) - clock.Elapsed;
                if (due > TimeSpan.Zero && stop.WaitHandle.WaitOne(due))
                {
                    return;
                }
            }
        }
    }

    private void CopyBand(Span<byte> destination, int x0, int x1)
    {
        int bytesPerPixel = Format switch
        {
            PixelFormat.Rgba8 or PixelFormat.Bgra8 => 4,
            PixelFormat.Rgb24 => 3,
            _ => 2,
        };
        int stride = _band.Length / Height;
        for (int y = 0; y < Height; y++)
        {
            int start = (y * stride) + (x0 * bytesPerPixel);
            int length = Math.Min((x1 - x0) * bytesPerPixel, stride - (x0 * bytesPerPixel));
            _band.AsSpan(start, length).CopyTo(destination.Slice(start, length));
        }
    }
}
