using SkinLive.Frames;

namespace SkinLive.Capture;

/// <summary>One image shown as a still, or a folder shown as a slideshow in name order.</summary>
public sealed record ImageOptions(string Path)
{
    /// <summary>How long each image of a folder stays on screen.</summary>
    public TimeSpan SlideInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the current image is posted, so a consumer that starts late still gets a steady stream.</summary>
    public double FramesPerSecond { get; init; } = 30;
}

/// <summary>
/// Still images: JPEGs decode with libjpeg-turbo, every other format ffmpeg reads (PNG, BMP, TIFF, WebP) through a
/// one-shot ffmpeg child. Each image is decoded once when it comes on screen and copied into pooled frames at
/// <see cref="ImageOptions.FramesPerSecond"/>. An image that cannot be decoded is skipped and counted; when none
/// of them can be, the source is Faulted with the reason.
/// </summary>
public sealed class ImageSource : ThreadedFrameSource
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"];

    private readonly ImageOptions _options;
    private readonly string[] _files;
    private JpegDecoder? _jpeg;

    public ImageSource(ImageOptions options, FramePool pool)
        : base(pool)
    {
        _options = options;
        if (Directory.Exists(options.Path))
        {
            _files = Directory.GetFiles(options.Path)
                .Where(file => Extensions.Contains(System.IO.Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToArray();
            if (_files.Length == 0)
            {
                throw new SourceException($"The folder {options.Path} has no images ({string.Join(", ", Extensions)}).");
            }
        }
        else if (File.Exists(options.Path))
        {
            _files = [options.Path];
        }
        else
        {
            throw new SourceException($"The image or folder {options.Path} does not exist.");
        }

        if (options.FramesPerSecond <= 0 || options.SlideInterval <= TimeSpan.Zero)
        {
            throw new SourceException("An image source needs a positive frame rate and slide interval.");
        }
    }

    public IReadOnlyList<string> Files => _files;

    public override string Description => _files.Length == 1 ? $"image {_files[0]}" : $"slideshow {_options.Path} ({_files.Length} images)";

    public override double NominalFps => _options.FramesPerSecond;

    /// <summary>Decodes one image file into a new unpooled frame (RGB, or I420 for JPEG); throws SourceException when it cannot.</summary>
    public static Frame DecodeFile(string path, JpegDecoder jpeg)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length > 2 && bytes[0] == 0xFF && bytes[1] == 0xD8)
        {
            if (jpeg.TryReadHeader(bytes, out JpegInfo info))
            {
                Frame frame = Frame.Create(JpegDecoder.OutputFormat(info, PixelFormat.I420), info.Width, info.Height, ColorSpec.Bt601Full);
                if (jpeg.TryDecode(bytes, info, frame))
                {
                    return frame;
                }
            }

            throw new SourceException($"{path} is not a readable JPEG ({jpeg.LastError}).");
        }

        VideoProbe probe = FfmpegTool.Probe(["-i", path], path);
        Frame decoded = Frame.Create(PixelFormat.Rgb24, probe.Width, probe.Height);
        using var process = FfmpegTool.Start("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", path, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]);
        try
        {
            process.StandardInput.Close();
            Task<string> errors = process.StandardError.ReadToEndAsync();
            int read = process.StandardOutput.BaseStream.ReadAtLeast(decoded.Data, decoded.Length, throwOnEndOfStream: false);
            process.WaitForExit();
            if (read < decoded.Length || process.ExitCode != 0)
            {
                throw new SourceException($"ffmpeg could not decode {path} ({errors.Result.Trim()}).");
            }

            return decoded;
        }
        finally
        {
            FfmpegTool.KillAndReap(process);
        }
    }

    protected override void Run(CancellationToken stop)
    {
        _jpeg ??= new JpegDecoder();
        TimeSpan period = TimeSpan.FromSeconds(1 / _options.FramesPerSecond);
        string? lastError = null;
        int failedInARow = 0;
        for (int index = 0; !stop.IsCancellationRequested; index = (index + 1) % _files.Length)
        {
            Frame image;
            try
            {
                image = DecodeFile(_files[index], _jpeg);
            }
            catch (SourceException ex)
            {
                CountSkipped();
                lastError = ex.Message;
                if (++failedInARow == _files.Length)
                {
                    SetStatus(SourceStatus.Faulted, lastError);
                    return;
                }

                continue;
            }

            failedInARow = 0;
            long slideEnd = Frame.Now() + (long)(_options.SlideInterval.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            do
            {
                Frame? frame = RentFrame(image.Format, image.Width, image.Height, image.Color);
                if (frame is not null)
                {
                    image.ReadOnlyData.CopyTo(frame.Data);
                    Publish(frame);
                }

                if (stop.WaitHandle.WaitOne(period))
                {
                    return;
                }
            }
            while (_files.Length == 1 || Frame.Now() < slideEnd);
        }
    }

    protected override void DisposeResources() => _jpeg?.Dispose();
}
