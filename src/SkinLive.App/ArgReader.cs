using System.Globalization;

namespace SkinLive.App;

/// <summary>
/// Reads <c>--name value</c> options and <c>--flag</c> switches; anything left over is a positional argument.
/// Every lookup removes what it read, so <see cref="EnsureConsumed"/> can reject unknown options with one sentence.
/// </summary>
public sealed class ArgReader
{
    private readonly List<string> _args;

    public ArgReader(IEnumerable<string> args) => _args = [.. args];

    public bool Flag(string name)
    {
        int i = _args.IndexOf(name);
        if (i < 0)
        {
            return false;
        }

        _args.RemoveAt(i);
        return true;
    }

    public string? Option(string name)
    {
        int i = _args.IndexOf(name);
        if (i < 0)
        {
            return null;
        }

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
        IReadOnlyList<string> rest = Positionals();
        if (rest.Count > 0)
        {
            throw new UsageException($"unexpected argument '{rest[0]}'.");
        }
    }
}
