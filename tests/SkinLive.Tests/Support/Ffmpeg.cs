using System.Diagnostics;
using SkinLive.Frames;

namespace SkinLive.Tests;

/// <summary>ffmpeg and ffprobe for end-to-end tests: clips and pictures made at test time, frames counted in outputs.</summary>
internal static class Ffmpeg
{
    /// <summary>The bounding box, in pixels, of the lesion <see cref="LesionScene"/> draws in a 320×240 frame.</summary>
    public static RectangleF LesionBox => new(120, 72, 100, 76);

    /// <summary>
    /// A lavfi input: tan skin with fresh sensor noise every frame and a dark brown ellipse (centre 170,110, semi-axes
    /// 50 × 38 in a 320×240 frame: <see cref="LesionBox"/>), a lesion whose place is known exactly.
    /// </summary>
    public static string LesionScene(int width, int height, int fps)
    {
        string inside = "lt(pow((X-170)/50\\,2)+pow((Y-110)/38\\,2)\\,1)";
        string Channel(int lesion, int skin) => $"if({inside}\\,{lesion}\\,{skin})+random(1)*24";
        return $"color=c=black:size={width}x{height}:rate={fps},format=rgb24," +
            $"geq=r='{Channel(95, 200)}':g='{Channel(60, 152)}':b='{Channel(45, 128)}'";
    }

    public static void Run(params string[] args)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "-hide_banner", "-loglevel", "error", "-y" }.Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ffmpeg failed: {error}");
    }

    public static int CountVideoFrames(string path)
    {
        var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return int.Parse(output, System.Globalization.CultureInfo.InvariantCulture);
    }
}
