using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace SkinLive.Capture;

/// <summary>What ffprobe says about an input's first video stream.</summary>
public readonly record struct VideoProbe(int Width, int Height, double FramesPerSecond, string ColorSpace, string ColorRange, string PixelFormat);

/// <summary>Runs ffmpeg and ffprobe (Debian package ffmpeg) as child processes.</summary>
public static class FfmpegTool
{
    public const string DebianPackage = "ffmpeg";

    /// <summary>Starts ffmpeg or ffprobe with stdout and stderr redirected; a missing binary is one clear sentence.</summary>
    public static Process Start(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(start) ?? throw new SourceException($"{tool} could not be started.");
        }
        catch (Win32Exception ex)
        {
            throw new SourceException($"{tool} was not found; install the Debian package {DebianPackage} (scripts/bootstrap.sh).", ex);
        }
    }

    /// <summary>Size and frame rate of the first video stream of an input given as ffmpeg input arguments.</summary>
    public static VideoProbe Probe(IReadOnlyList<string> inputArguments, string what)
    {
        string[] arguments = ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height,avg_frame_rate,r_frame_rate,color_space,color_range,pix_fmt",
            "-of", "default=noprint_wrappers=1", .. inputArguments];
        using Process probe = Start("ffprobe", arguments);
        probe.StandardInput.Close();
        Task<string> errors = probe.StandardError.ReadToEndAsync();
        string output = probe.StandardOutput.ReadToEnd();
        probe.WaitForExit();
        string error = FirstLine(errors.Result);

        var fields = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2)).Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0]).ToDictionary(group => group.Key, group => group.First()[1]);
        if (probe.ExitCode != 0 || !fields.TryGetValue("width", out string? width) || !fields.TryGetValue("height", out string? height)
            || !int.TryParse(width, out int w) || !int.TryParse(height, out int h) || w <= 0 || h <= 0)
        {
            throw new SourceException(error.Length > 0
                ? $"{what} is not a video ffmpeg can read ({error})."
                : $"{what} has no video stream ffmpeg can read.");
        }

        double fps = Rate(fields.GetValueOrDefault("avg_frame_rate"));
        if (fps <= 0)
        {
            fps = Rate(fields.GetValueOrDefault("r_frame_rate"));
        }

        return new VideoProbe(w, h, fps, fields.GetValueOrDefault("color_space") ?? "", fields.GetValueOrDefault("color_range") ?? "",
            fields.GetValueOrDefault("pix_fmt") ?? "");
    }

    /// <summary>Ends a child and waits for it so no zombie or orphan remains; safe on an exited or disposed process.</summary>
    public static void KillAndReap(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // The process was never started or is already reaped: nothing left to end.
        }
    }

    /// <summary>Splits ffmpeg input arguments on blanks; double quotes keep blanks inside one argument.</summary>
    public static IReadOnlyList<string> SplitArguments(string text)
    {
        var arguments = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (any)
                {
                    arguments.Add(current.ToString());
                    current.Clear();
                    any = false;
                }
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }

        if (quoted)
        {
            throw new SourceException($"The ffmpeg arguments '{text}' have an unclosed quote.");
        }

        if (any)
        {
            arguments.Add(current.ToString());
        }

        return arguments;
    }

    private static double Rate(string? fraction)
    {
        if (fraction is null)
        {
            return 0;
        }

        string[] parts = fraction.Split('/');
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double numerator)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double denominator) && denominator > 0)
        {
            return numerator / denominator;
        }

        return double.TryParse(fraction, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : 0;
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
}
