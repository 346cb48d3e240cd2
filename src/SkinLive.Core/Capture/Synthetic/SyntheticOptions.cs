using System.Globalization;
using SkinLive.Frames;

namespace SkinLive.Capture.Synthetic;

/// <summary>
/// Settings of the live synthetic dermatoscope. <see cref="Class"/> null cycles through every class, one lesion
/// per <see cref="SwitchSeconds"/>; a fixed class shows a new lesion of that class as often. Fps 0 is unpaced
/// (as fast as the consumer takes frames; motion still advances as if at 30 fps). SwitchSeconds 0 keeps one lesion.
/// </summary>
public sealed record SyntheticOptions
{
    /// <summary>Scene time per frame when unpaced, so motion looks the same as at the usual camera rate.</summary>
    public const double UnpacedSceneFps = 30;

    private const string Keys = "class, seed, size, fps, format, vignette, hair, switch";

    public int Width { get; init; } = 1280;

    public int Height { get; init; } = 720;

    public double Fps { get; init; } = 30;

    public int Seed { get; init; } = 1;

    public int? Class { get; init; }

    public PixelFormat PixelFormat { get; init; } = PixelFormat.Rgba8;

    public bool Vignette { get; init; } = true;

    public bool Hair { get; init; } = true;

    public double SwitchSeconds { get; init; } = 8;

    /// <summary>Throws <see cref="ArgumentException"/> with one sentence when a setting is out of range.</summary>
    public void Validate()
    {
        if (Width is < 16 or > 8192 || Height is < 16 or > 8192)
        {
            throw new ArgumentException($"Synthetic frame size {Width}x{Height} is outside 16..8192 per side.");
        }

        if (!(Fps >= 0 && Fps <= 1000))
        {
            throw new ArgumentException($"Synthetic fps {Fps} is outside 0..1000 (0 = unpaced).");
        }

        if (Seed < 0)
        {
            throw new ArgumentException($"Synthetic seed {Seed} is negative.");
        }

        if (Class is < 0 or >= HamClasses.Count)
        {
            throw new ArgumentException($"Synthetic class index {Class} is outside 0..{HamClasses.Count - 1}.");
        }

        if (PixelFormat is not (PixelFormat.Rgba8 or PixelFormat.Yuyv))
        {
            throw new ArgumentException($"The synthetic source delivers rgba or yuyv, not {PixelFormat}.");
        }

        if (!(SwitchSeconds >= 0 && SwitchSeconds <= 86400))
        {
            throw new ArgumentException($"Synthetic switch interval {SwitchSeconds} s is outside 0..86400 (0 = never).");
        }
    }

    /// <summary>
    /// Parses <c>class=mel,seed=3,size=1280x720,fps=30,format=yuyv,vignette=0,hair=1,switch=8</c> (',' or '&amp;'
    /// between pairs; every key optional). Throws <see cref="FormatException"/> with one sentence naming the bad
    /// key or value.
    /// </summary>
    public static SyntheticOptions Parse(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var options = new SyntheticOptions();
        var seen = new HashSet<string>();
        foreach (string pair in query.TrimStart('?').Split([',', '&'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw new FormatException($"Synthetic option '{pair}' is not key=value (keys: {Keys}).");
            }

            string key = pair[..equals].Trim().ToLowerInvariant();
            string value = pair[(equals + 1)..].Trim();
            if (!seen.Add(key))
            {
                throw new FormatException($"Synthetic option '{key}' is given twice.");
            }

            options = key switch
            {
                "class" => options with { Class = ParseClass(value) },
                "seed" => options with { Seed = ParseInt(key, value, 0, int.MaxValue) },
                "size" => ParseSize(options, value),
                "fps" => options with { Fps = ParseDouble(key, value, 0, 1000) },
                "format" => options with { PixelFormat = ParseFormat(value) },
                "vignette" => options with { Vignette = ParseBool(key, value) },
                "hair" => options with { Hair = ParseBool(key, value) },
                "switch" => options with { SwitchSeconds = ParseDouble(key, value, 0, 86400) },
                _ => throw new FormatException($"Unknown synthetic option '{key}'; expected one of {Keys}."),
            };
        }

        return options;
    }

    private static int? ParseClass(string value)
    {
        if (value.Equals("cycle", StringComparison.OrdinalIgnoreCase) || value.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return HamClasses.TryParse(value, out int index)
            ? index
            : throw new FormatException($"Synthetic class '{value}' is not one of {string.Join(", ", HamClasses.Codes)} or cycle.");
    }

    private static SyntheticOptions ParseSize(SyntheticOptions options, string value)
    {
        string[] parts = value.ToLowerInvariant().Split('x');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int width)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int height)
            || width is < 16 or > 8192 || height is < 16 or > 8192)
        {
            throw new FormatException($"Synthetic size '{value}' is not WIDTHxHEIGHT with each side in 16..8192 (e.g. 1280x720).");
        }

        return options with { Width = width, Height = height };
    }

    private static PixelFormat ParseFormat(string value)
    {
        if (PixelFormats.TryParse(value, out PixelFormat format) && format is PixelFormat.Rgba8 or PixelFormat.Yuyv)
        {
            return format;
        }

        throw new FormatException($"Synthetic format '{value}' is not rgba or yuyv.");
    }

    private static int ParseInt(string key, string value, int min, int max)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int result) && result >= min && result <= max)
        {
            return result;
        }

        throw new FormatException($"Synthetic option {key}='{value}' is not a whole number in {min}..{max}.");
    }

    private static double ParseDouble(string key, string value, double min, double max)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double result) && result >= min && result <= max)
        {
            return result;
        }

        throw new FormatException($"Synthetic option {key}='{value}' is not a number in {min}..{max}.");
    }

    private static bool ParseBool(string key, string value) => value.ToLowerInvariant() switch
    {
        "1" or "true" or "on" or "yes" => true,
        "0" or "false" or "off" or "no" => false,
        _ => throw new FormatException($"Synthetic option {key}='{value}' is not 1/0 (on/off)."),
    };
}
