using System.Diagnostics;

namespace SkinLive.Tests;

/// <summary>
/// A real ELF shared library, built with gcc at test time, whose DT_NEEDED names a library that is then deleted:
/// the dynamic loader refuses it exactly as it refuses OpenCvSharpExtern on a machine without GTK.
/// </summary>
internal static class BrokenNativeLibrary
{
    /// <summary>Writes <paramref name="path"/>, needing <paramref name="missingSoname"/>, which does not exist afterwards.</summary>
    public static void Build(string path, string missingSoname)
    {
        string work = Directory.CreateTempSubdirectory("skinlive-brokenlib-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(work, "gone.c"), "int skinlive_gone(void) { return 1; }\n");
            File.WriteAllText(Path.Combine(work, "uses.c"), "int skinlive_gone(void);\nint skinlive_uses(void) { return skinlive_gone(); }\n");
            Gcc(work, "-shared", "-fPIC", $"-Wl,-soname,{missingSoname}", "-o", missingSoname, "gone.c");
            Gcc(work, "-shared", "-fPIC", "-o", path, "uses.c", "-L.", $"-l:{missingSoname}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Gcc(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("gcc", args) { WorkingDirectory = directory, RedirectStandardError = true, UseShellExecute = false };
        using Process gcc = Process.Start(start) ?? throw new InvalidOperationException("gcc did not start; install the Debian package gcc (scripts/bootstrap.sh).");
        string errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        Assert.True(gcc.ExitCode == 0, $"gcc {string.Join(' ', args)} failed: {errors}");
    }
}
