using SkinLive.App;
using SkinLive.Capture;
using SkinLive.Faults;

namespace SkinLive.Fuzz;

/// <summary>
/// The config file reader (<c>--config skinlive.json</c>): load, then the typed reads <c>run</c> makes of it (flag,
/// text, whole number, number, size, source URI, fault plan), then the unknown-key check. Bad settings are a
/// <see cref="UsageException"/> (or the source's and fault plan's own exception) with one sentence.
/// </summary>
internal static class ConfigTarget
{
    private static readonly string s_path = Path.Combine(Directory.CreateTempSubdirectory("skinlive-fuzz-config-").FullName, "skinlive.json");

    public static void Run(byte[] input)
    {
        File.WriteAllBytes(s_path, input);
        try
        {
            var settings = new ArgReader(["--config", s_path]);
            settings.Flag("--headless");
            settings.Flag("--kiosk");
            settings.Int("--threads", 1, 1, 64);
            settings.Int("--frames", 0, 0);
            settings.Double("--max-fps", 60, 0, 1000);
            settings.Double("--seconds", 10, 0);
            settings.Size("--window", (1280, 720));
            settings.Option("--output");
            settings.Option("--vsync", "on");
            SourceUri.Parse(settings.Option("--source", "synthetic"));
            if (settings.Option("--inject-fault") is string faults)
            {
                FaultPlan.Parse(faults);
            }

            settings.EnsureConsumed();
        }
        catch (Exception ex) when (ex is UsageException or SourceException or FormatException)
        {
        }
    }
}
