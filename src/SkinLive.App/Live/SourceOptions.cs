using System.Globalization;
using SkinLive.Capture;
using SkinLive.Capture.Synthetic;
using SkinLive.Frames;

namespace SkinLive.App.Live;

/// <summary>Opens the frame source a <c>--source</c> URI names.</summary>
public static class SourceOptions
{
    /// <summary>Frames in each source's pool: one being filled, one in the mailbox, one being uploaded, one spare.</summary>
    public const int PoolSize = 4;

    /// <summary>
    /// Opens <paramref name="uri"/>. A malformed URI is a <see cref="UsageException"/>; a source that cannot open
    /// (missing device or file, no ffmpeg) throws <see cref="SourceException"/> with one sentence.
    /// <paramref name="paceRealTime"/> overrides the pacing of file sources (null keeps the URI's choice).
    /// </summary>
    public static IFrameSource Open(string uri, bool? paceRealTime = null)
    {
        (string scheme, string query) = Split(uri);
        switch (scheme)
        {
            case "testpattern":
                return OpenTestPattern(query);
            case "synthetic":
                return OpenSynthetic(query);
        }

        SourceUri parsed;
        try
        {
            parsed = SourceUri.Parse(uri);
        }
        catch (SourceException ex)
        {
            throw new UsageException($"{ex.Message} Also built in: testpattern[:size=1280x720,format=yuyv,fps=30].");
        }

        // Frames grow to the stream's real size on first use; the pool only fixes how many there are.
        var pool = new FramePool(PoolSize, PixelFormat.Rgba8, 640, 480);
        return new SourceFactory { PaceRealTime = paceRealTime }.Create(parsed, pool);
    }

    private static (string Scheme, string Query) Split(string uri)
    {
        int colon = uri.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (uri.Trim().ToLowerInvariant(), string.Empty) : (uri[..colon].Trim().ToLowerInvariant(), uri[(colon + 1)..]);
    }

    private static SyntheticDermatoscopeSource OpenSynthetic(string query)
    {
        try
        {
            SyntheticOptions options = SyntheticOptions.Parse(query);
            options.Validate();
            return new SyntheticDermatoscopeSource(options);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static TestPatternSource OpenTestPattern(string query)
    {
        (int w, int h) = (1280, 720);
        PixelFormat format = PixelFormat.Rgba8;
        double fps = 30;
        foreach (string pair in query.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] kv = pair.Split('=', 2);
            string value = kv.Length == 2 ? kv[1] : string.Empty;
            switch (kv[0])
            {
                case "size":
                    (w, h) = ArgReader.ParseSize("testpattern size", value);
                    break;
                case "format":
                    if (!PixelFormats.TryParse(value, out format) || format is PixelFormat.Nv12 or PixelFormat.I420)
                    {
                        throw new UsageException($"testpattern format must be rgba, bgra, rgb24, yuyv or uyvy, not '{value}'.");
                    }

                    break;
                case "fps":
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out fps) || fps < 0 || fps > 1000)
                    {
                        throw new UsageException($"testpattern fps must be 0 (unpaced) to 1000, not '{value}'.");
                    }

                    break;
                default:
                    throw new UsageException($"testpattern has no option '{kv[0]}' (size, format, fps).");
            }
        }

        var pool = new FramePool(PoolSize, format, w, h);
        return new TestPatternSource(pool, w, h, format, fps, ColorSpec.Bt601Limited);
    }
}
