using System.Globalization;

namespace SkinLive.App;

/// <summary>
/// Reads <c>--name value</c> options and <c>--flag</c> switches; anything left over is a positional argument.
/// With <c>--config FILE.json</c>, every option may also come from that file's top-level keys (name without the
/// dashes; switches as true/false); the command line wins. Every lookup removes what it read, so
/// <see cref="EnsureConsumed"/> can reject unknown options and settings with one sentence.
/// </summary>
public sealed class ArgReader
{
    private readonly List<string> _args;
    private readonly Dictionary<string, string> _config = new(StringComparer.Ordinal);
    private readonly string? _configPath;

    public ArgReader(IEnumerable<string> args)
    {
        _args = [.. args];
        _configPath = Option("--config");
        if (_configPath is not null)
        {
            LoadConfig(_configPath);
        }
    }

    public bool Flag(string name)
    {
        int i = _args.IndexOf(name);
        if (i >= 0)
        {
            _args.RemoveAt(i);
            _config.Remove(name[2..]);
            return true;
        }

        if (_config.Remove(name[2..], out string? value))
        {
            return value switch
            {
                "true" => true,
                "false" => false,
                _ => throw new UsageException($"setting '{name[2..]}' in {_configPath} must be true or false, not '{value}'."),
            };
        }

        return false;
    }

    public string? Option(string name)
    {
        int i = _args.IndexOf(name);
        if (i < 0)
        {
            return name.Length > 2 && _config.Remove(name[2..], out string? configured) ? configured : null;
        }

        _config.Remove(name[2..]);

        if (i + 1 >= _args.Count || _args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"{name} needs a value.");
        }

        string value = _args[i + 1];
        _args.RemoveRange(i, 2);
        return value;
    }

    public string Option(string name, string fallback) => Option(name) ?? fallback;

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        string? text = Option(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new UsageException($"{name} must be a whole number from {min} to {max}, not '{text}'.");
        }

        return value;
    }

    public double Double(string name, double fallback, double min = double.MinValue, double max = double.MaxValue)
    {
        string? text = Option(name);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < min || value > max)
        {
            throw new UsageException($"{name} must be a number from {min} to {max}, not '{text}'.");
        }

        return value;
    }

    /// <summary>A size written WIDTHxHEIGHT, e.g. 1280x720.</summary>
    public (int Width, int Height) Size(string name, (int Width, int Height) fallback)
    {
        string? text = Option(name);
        return text is null ? fallback : ParseSize(name, text);
    }

    public static (int Width, int Height) ParseSize(string what, string text)
    {
        string[] parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            && w is >= 1 and <= 16384 && h is >= 1 and <= 16384)
        {
            return (w, h);
        }

        throw new UsageException($"{what} must look like 1280x720 (each side 1 to 16384), not '{text}'.");
    }

    private void LoadConfig(string path)
    {
        System.Text.Json.JsonDocument document;
        try
        {
            document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the config file {path}: {ex.Message}");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new UsageException($"the config file {path} is not valid JSON ({ex.Message}).");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                throw new UsageException($"the config file {path} must hold one JSON object of settings.");
            }

            foreach (System.Text.Json.JsonProperty setting in document.RootElement.EnumerateObject())
            {
                _config[setting.Name] = setting.Value.ValueKind switch
                {
                    System.Text.Json.JsonValueKind.String => setting.Value.GetString()!,
                    System.Text.Json.JsonValueKind.True => "true",
                    System.Text.Json.JsonValueKind.False => "false",
                    System.Text.Json.JsonValueKind.Number => setting.Value.GetRawText(),
                    _ => throw new UsageException($"setting '{setting.Name}' in {path} must be a string, number or true/false."),
                };
            }
        }
    }

    /// <summary>The remaining positional arguments; an unread option is an error.</summary>
    public IReadOnlyList<string> Positionals()
    {
        string? unknown = _args.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal));
        if (unknown is not null)
        {
            throw new UsageException($"unknown option '{unknown}'.");
        }

        return _args;
    }

    public void EnsureConsumed()
    {
        if (_config.Count > 0)
        {
            throw new UsageException($"unknown setting '{_config.Keys.First()}' in {_configPath}.");
        }

        IReadOnlyList<string> rest = Positionals();
        if (rest.Count > 0)
        {
            throw new UsageException($"unexpected argument '{rest[0]}'.");
        }
    }
}
