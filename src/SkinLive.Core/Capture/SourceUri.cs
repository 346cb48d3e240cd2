using System.Globalization;
using SkinLive.Platform;

namespace SkinLive.Capture;

/// <summary>
/// A frame source named on the command line:
/// <c>synthetic[:class=mel,seed=3]</c>, <c>v4l2:/dev/video0?size=1280x720&amp;fps=30&amp;format=mjpeg</c> (or
/// <c>v4l2:0</c>; <c>wait</c> waits for a missing device), <c>file:clip.mp4?pace=none&amp;loop</c>,
/// <c>image:photo.jpg</c> or <c>image:folder?interval=2&amp;fps=30</c>, <c>ffmpeg:&lt;ffmpeg input arguments&gt;</c>
/// (e.g. <c>ffmpeg:-f v4l2 -i /dev/video0</c>; a single argument is taken as the input).
/// Options are <c>key=value</c> or bare flags; synthetic options are separated by commas, the others by
/// <c>&amp;</c> after a <c>?</c>. <see cref="Parse"/> rejects anything else with one clear sentence.
/// </summary>
public sealed record SourceUri(string Scheme, string Target, IReadOnlyDictionary<string, string> Options)
{
    public const string Synthetic = "synthetic";
    public const string V4L2 = "v4l2";
    public const string File = "file";
    public const string Image = "image";
    public const string Ffmpeg = "ffmpeg";

    public const string Forms = "synthetic[:class=mel,seed=3], v4l2:/dev/video0?size=1280x720&fps=30&format=mjpeg, file:clip.mp4, image:path_or_folder or ffmpeg:<input>";

    private static readonly Dictionary<string, string[]> KnownOptions = new()
    {
        [V4L2] = ["size", "fps", "format", "wait"],
        [File] = ["pace", "loop"],
        [Image] = ["interval", "fps"],
    };

    public static SourceUri Parse(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string scheme = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        string rest = colon < 0 ? "" : text[(colon + 1)..];
        switch (scheme)
        {
            case Synthetic:
                return new SourceUri(scheme, "", ParseOptions(text, rest, ','));
            case Ffmpeg:
                if (rest.Trim().Length == 0)
                {
                    throw new SourceException($"The source '{text}' needs ffmpeg input arguments after 'ffmpeg:' (e.g. ffmpeg:-f v4l2 -i /dev/video0).");
                }

                return new SourceUri(scheme, rest.Trim(), new Dictionary<string, string>());
            case V4L2:
            case File:
            case Image:
                int query = rest.IndexOf('?', StringComparison.Ordinal);
                string target = (query < 0 ? rest : rest[..query]).Trim();
                if (target.Length == 0)
                {
                    throw new SourceException($"The source '{text}' names no {(scheme == V4L2 ? "device" : "path")} after '{scheme}:'.");
                }

                var options = ParseOptions(text, query < 0 ? "" : rest[(query + 1)..], '&');
                string? unknown = options.Keys.FirstOrDefault(key => !KnownOptions[scheme].Contains(key));
                if (unknown is not null)
                {
                    throw new SourceException($"'{unknown}' is not an option of {scheme} sources (they take {string.Join(", ", KnownOptions[scheme])}).");
                }

                return new SourceUri(scheme, target, options);
            default:
                throw new SourceException($"'{text}' is not a frame source; use {Forms}.");
        }
    }

    public bool Has(string key) => Options.ContainsKey(key);

    /// <summary>A positive number option, or <paramref name="fallback"/> when absent.</summary>
    public double Number(string key, double fallback)
    {
        if (!Options.TryGetValue(key, out string? value))
        {
            return fallback;
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !(number > 0) || double.IsInfinity(number))
        {
            throw new SourceException($"The {Scheme} option {key}={value} is not a positive number.");
        }

        return number;
    }

    public V4L2Options ToV4L2Options()
    {
        int width = 1280, height = 720;
        if (Options.TryGetValue("size", out string? size))
        {
            string[] parts = size.ToLowerInvariant().Split('x');
            if (parts.Length != 2 || !int.TryParse(parts[0], out width) || !int.TryParse(parts[1], out height) || width <= 0 || height <= 0)
            {
                throw new SourceException($"The v4l2 size '{size}' is not WIDTHxHEIGHT (e.g. 1280x720).");
            }
        }

        uint fourcc = NativeV4L2.V4L2_PIX_FMT_MJPEG;
        if (Options.TryGetValue("format", out string? format))
        {
            fourcc = format.ToLowerInvariant() switch
            {
                "mjpeg" or "mjpg" => NativeV4L2.V4L2_PIX_FMT_MJPEG,
                "yuyv" or "yuy2" => NativeV4L2.V4L2_PIX_FMT_YUYV,
                "uyvy" => NativeV4L2.V4L2_PIX_FMT_UYVY,
                "nv12" => NativeV4L2.V4L2_PIX_FMT_NV12,
                _ => throw new SourceException($"The v4l2 format '{format}' is not one of mjpeg, yuyv, uyvy, nv12."),
            };
        }

        return new V4L2Options(V4L2Source.DevicePath(Target), width, height, fourcc, Number("fps", 30)) { WaitForDevice = Has("wait") };
    }

    public FfmpegOptions ToFfmpegOptions()
    {
        if (Scheme == File)
        {
            string pace = Options.GetValueOrDefault("pace", "realtime");
            if (pace is not ("none" or "realtime"))
            {
                throw new SourceException($"The file option pace={pace} is not 'none' or 'realtime'.");
            }

            return FfmpegOptions.ForFile(Target) with { PaceRealTime = pace == "realtime", Loop = Has("loop") };
        }

        IReadOnlyList<string> arguments = FfmpegTool.SplitArguments(Target);
        // A live input (a camera) sets its own pace; pacing again on the probed rate would only add delay.
        return new FfmpegOptions(arguments.Contains("-i") ? arguments : ["-i", .. arguments], Target) { PaceRealTime = false };
    }

    public ImageOptions ToImageOptions() => new(Target)
    {
        SlideInterval = TimeSpan.FromSeconds(Number("interval", 2)),
        FramesPerSecond = Number("fps", 30),
    };

    public override string ToString() =>
        Scheme + (Target.Length > 0 || Options.Count > 0 ? ":" : "") + Target
        + (Options.Count == 0 ? "" : (Scheme == Synthetic ? "" : "?") + string.Join(Scheme == Synthetic ? "," : "&", Options.Select(pair => pair.Value.Length == 0 ? pair.Key : $"{pair.Key}={pair.Value}")));

    private static Dictionary<string, string> ParseOptions(string text, string options, char separator)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string option in options.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = option.IndexOf('=', StringComparison.Ordinal);
            string key = (equals < 0 ? option : option[..equals]).Trim().ToLowerInvariant();
            string value = equals < 0 ? "" : option[(equals + 1)..].Trim();
            if (key.Length == 0 || (equals >= 0 && value.Length == 0))
            {
                throw new SourceException($"The option '{option}' in '{text}' is not key=value.");
            }

            if (!parsed.TryAdd(key, value))
            {
                throw new SourceException($"The option '{key}' appears twice in '{text}'.");
            }
        }

        return parsed;
    }
}

/// <summary>
/// Builds a source from a <see cref="SourceUri"/>. The synthetic dermatoscope lives in its own library folder and is
/// plugged in by whoever composes the app: pass a <see cref="SyntheticFactory"/> that turns the parsed options
/// (e.g. class=mel, seed=3) into the source, typically
/// <c>(options, pool) =&gt; new SyntheticDermatoscopeSource(SyntheticOptions.From(options), pool)</c>.
/// </summary>
public sealed class SourceFactory(SourceFactory.SyntheticFactory? synthetic = null)
{
    public delegate IFrameSource SyntheticFactory(IReadOnlyDictionary<string, string> options, Frames.FramePool pool);

    /// <summary>Overrides the pacing of file sources (the CLI's --pace); null keeps the URI's choice.</summary>
    public bool? PaceRealTime { get; init; }

    public IFrameSource Create(string uri, Frames.FramePool pool) => Create(SourceUri.Parse(uri), pool);

    public IFrameSource Create(SourceUri uri, Frames.FramePool pool)
    {
        switch (uri.Scheme)
        {
            case SourceUri.Synthetic:
                return synthetic is not null
                    ? synthetic(uri.Options, pool)
                    : throw new SourceException("The synthetic source is not available in this build.");
            case SourceUri.V4L2:
                return new V4L2Source(uri.ToV4L2Options(), pool);
            case SourceUri.File:
            case SourceUri.Ffmpeg:
                FfmpegOptions options = uri.ToFfmpegOptions();
                return new FfmpegSource(PaceRealTime is bool pace ? options with { PaceRealTime = pace } : options, pool);
            case SourceUri.Image:
                return new ImageSource(uri.ToImageOptions(), pool);
            default:
                throw new SourceException($"'{uri}' is not a frame source; use {SourceUri.Forms}.");
        }
    }
}
