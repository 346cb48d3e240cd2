using System.Diagnostics;
using System.Globalization;
using SkinLive.App.Profiling;
using SkinLive.Capture;
using SkinLive.Frames;

namespace SkinLive.Bench.Commands;

/// <summary>
/// <c>skinlive-bench capture [--frames N]</c>: MJPEG decode cost at 640x480, 1280x720 and 1920x1080 (to I420 and to
/// RGB, on the calling thread, i.e. one core), and the frame rate of the unpaced ffmpeg file source at 1280x720.
/// The JPEGs and the clip are made by ffmpeg from its test source in a temporary folder that is deleted afterwards.
/// </summary>
public static class BenchCaptureCommand
{
    private static readonly (int Width, int Height)[] Sizes = [(640, 480), (1280, 720), (1920, 1080)];

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        int frames = 300;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] != "--frames")
            {
                throw new UsageException($"capture takes only --frames N, not '{args[i]}'.");
            }

            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out frames) || frames <= 0)
            {
                throw new UsageException("--frames needs a positive count of frames.");
            }

            i++;
        }

        stdout.WriteLine($"command: skinlive-bench capture {string.Join(' ', args)}".TrimEnd());
        stdout.WriteLine($"machine: {MachineInfo.CpuModel()}, {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        DirectoryInfo folder = Directory.CreateTempSubdirectory("skinlive-bench-capture-");
        try
        {
            using var decoder = new JpegDecoder();
            stdout.WriteLine();
            stdout.WriteLine($"MJPEG decode, libjpeg-turbo, one thread, {frames} frames per row (webcam-style 4:2:2 JPEGs, quality 3 in ffmpeg's -q:v):");
            stdout.WriteLine($"  {"size",-10} {"output",-7} {"ms/frame",9} {"frames/s",9}");
            foreach ((int width, int height) in Sizes)
            {
                byte[][] jpegs = MakeJpegs(folder.FullName, width, height);
                foreach (PixelFormat output in new[] { PixelFormat.I420, PixelFormat.Rgb24 })
                {
                    double ms = DecodeMilliseconds(decoder, jpegs, output, frames);
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {width + "x" + height,-10} {output,-7} {ms,9:0.00} {1000 / ms,9:0.0}"));
                }
            }

            stdout.WriteLine();
            string clip = Path.Combine(folder.FullName, "clip.mp4");
            RunFfmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", clip);
            (long delivered, double seconds) = PlayUnpaced(clip);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ffmpeg file source, 1280x720 H.264 -> I420, unpaced: {delivered} frames in {seconds:0.00} s = {delivered / seconds:0.0} frames/s ({1000 * seconds / delivered:0.00} ms/frame)"));
            return decoder.Corrupt == 0 ? 0 : Fail(stderr, $"{decoder.Corrupt} benchmark JPEGs failed to decode ({decoder.LastError}).");
        }
        catch (SourceException ex)
        {
            return Fail(stderr, ex.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine($"skinlive-bench capture: {message}");
        return 1;
    }

    private static double DecodeMilliseconds(JpegDecoder decoder, byte[][] jpegs, PixelFormat output, int frames)
    {
        if (!decoder.TryReadHeader(jpegs[0], out JpegInfo info))
        {
            throw new SourceException($"ffmpeg wrote a JPEG that libjpeg-turbo cannot read ({decoder.LastError}).");
        }

        Frame frame = Frame.Create(JpegDecoder.OutputFormat(info, output), info.Width, info.Height, ColorSpec.Bt601Full);
        for (int i = 0; i < Math.Min(10, frames); i++)
        {
            decoder.TryDecode(jpegs[i % jpegs.Length], info, frame);
        }

        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < frames; i++)
        {
            decoder.TryDecode(jpegs[i % jpegs.Length], info, frame);
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds / frames;
    }

    private static byte[][] MakeJpegs(string folder, int width, int height)
    {
        string pattern = Path.Combine(folder, $"{width}x{height}_%02d.jpg");
        RunFfmpeg("-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=30", "-frames:v", "30", "-q:v", "3", "-pix_fmt", "yuvj422p", pattern);
        return Directory.GetFiles(folder, $"{width}x{height}_*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
    }

    private static (long Frames, double Seconds) PlayUnpaced(string clip)
    {
        var pool = new FramePool(3, PixelFormat.I420, 1280, 720);
        using var source = new FfmpegSource(FfmpegOptions.ForFile(clip) with { PaceRealTime = false }, pool);
        long start = Stopwatch.GetTimestamp();
        source.Start();
        while (source.Status == SourceStatus.Running)
        {
            source.Mailbox.TryTake()?.Release();
            Thread.Sleep(1);
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (source.Status != SourceStatus.Ended)
        {
            throw new SourceException(source.StatusMessage ?? $"The file source stopped as {source.Status}.");
        }

        return (source.FramesCaptured + source.FramesSkipped, seconds);
    }

    private static void RunFfmpeg(params string[] arguments)
    {
        using Process process = FfmpegTool.Start("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", .. arguments]);
        process.StandardInput.Close();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new SourceException($"ffmpeg could not make the benchmark input ({errors.Result.Trim()}).");
        }
    }
}
