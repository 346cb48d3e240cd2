using SkinLive.Capture;
using SkinLive.Platform;

namespace SkinLive.App.Commands;

/// <summary><c>skinlive devices</c>: the V4L2 capture devices with their formats, frame sizes and frame rates.</summary>
public static class DevicesCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, NativeV4L2System.Instance);

    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, IV4L2System system)
    {
        if (args.Length > 0)
        {
            throw new UsageException($"devices takes no arguments, but got '{args[0]}'.");
        }

        IReadOnlyList<string> paths = system.DevicePaths();
        int listed = 0, failed = 0;
        foreach (string path in paths)
        {
            IV4L2Device device;
            try
            {
                device = system.Open(path);
            }
            catch (V4L2Exception ex)
            {
                stdout.WriteLine(ex.Message);
                failed++;
                continue;
            }

            using (device)
            {
                V4L2Capabilities capabilities;
                IReadOnlyList<V4L2Mode> modes;
                try
                {
                    capabilities = device.QueryCapabilities();
                    if (!capabilities.CanCapture)
                    {
                        // Metadata nodes (the second /dev/video of most UVC cameras) are not cameras.
                        continue;
                    }

                    modes = device.EnumerateModes();
                }
                catch (V4L2Exception ex)
                {
                    stdout.WriteLine(ex.Message);
                    failed++;
                    continue;
                }

                listed++;
                stdout.WriteLine($"{path}  {capabilities.Card}  (driver {capabilities.Driver}, {capabilities.BusInfo}){(capabilities.CanStream ? "" : "  no streaming I/O: unusable")}");
                stdout.WriteLine($"  {"format",-8} {"size",-12} frames/s");
                foreach (V4L2Mode mode in modes)
                {
                    string size = $"{mode.Width}x{mode.Height}" + (mode.IsRangeLimit ? "*" : "");
                    string rates = mode.FramesPerSecond.Count == 0 ? "?" : string.Join(" ", mode.FramesPerSecond.Select(fps => fps.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)));
                    stdout.WriteLine($"  {NativeV4L2.FourCCText(mode.FourCC),-8} {size,-12} {rates}");
                }

                if (modes.Any(mode => mode.IsRangeLimit))
                {
                    stdout.WriteLine("  * ends of a continuous or stepwise size range");
                }
            }
        }

        if (listed == 0)
        {
            stdout.WriteLine(paths.Count == 0 ? "No V4L2 capture devices found (no /dev/video* nodes). Use a file:, image:, ffmpeg: or synthetic source."
                : failed > 0 ? "No usable V4L2 capture devices found (see the errors above)."
                : "No V4L2 capture devices found (the /dev/video* nodes present are not capture devices).");
        }

        return 0;
    }
}
