using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using SkinLive.Platform;

namespace SkinLive.Tests.Platform;

/// <summary>
/// Every native library that anything built here loads (the P/Invoke targets of our assemblies, the NuGet packages'
/// .so files, and what Mesa and GLFW open at run time) resolves with its whole dependency closure on this machine,
/// and each library we load ourselves has its Debian package in scripts/bootstrap.sh. A developer's machine can keep
/// packages from manual installs; this test is how a fresh one (scripts/fresh-machine-check.sh) reports what is missing.
/// </summary>
public sealed partial class NativeDependencyClosureTests
{
    [Fact]
    public void Every_native_library_the_build_loads_resolves_with_its_whole_dependency_closure()
    {
        var problems = new List<string>();
        foreach ((string library, string loadedBy) in LibrariesToCheck())
        {
            string? path = Resolve(library);
            if (path is null)
            {
                problems.Add($"{library} (loaded by {loadedBy}) is missing: {NativePackages.InstallHint(library)}.");
                continue;
            }

            foreach (string dependency in MissingDependencies(path))
            {
                problems.Add($"{dependency}, needed by {Path.GetFileName(path)} (loaded by {loadedBy}), is missing: {NativePackages.InstallHint(dependency)}.");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct()));
    }

    [Fact]
    public void Every_library_we_load_ourselves_has_its_debian_package_in_bootstrap()
    {
        HashSet<string> bootstrapped = BootstrapPackages();
        var problems = new List<string>();
        foreach (string library in PInvokeTargets().Select(t => t.Library).Concat(NativePackages.LoadedAtRunTime.Select(l => l.Library)).Distinct())
        {
            string? package = NativePackages.For(library);
            if (package is null)
            {
                problems.Add($"{library} has no Debian package in NativePackages.");
            }
            else if (!bootstrapped.Contains(package) && !NativePackages.BaseSystem.Contains(package))
            {
                problems.Add($"{library} comes from the Debian package {package}, which scripts/bootstrap.sh does not install.");
            }
        }

        // The NuGet libraries' own dependencies that a minimal Debian lacks (GTK for OpenCV, fontconfig for Skia).
        foreach (string package in new[] { "libgtk-3-0", "libfontconfig1" })
        {
            if (!bootstrapped.Contains(package))
            {
                problems.Add($"scripts/bootstrap.sh does not install {package}, which a NuGet native library needs.");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Missing_dependency_is_read_from_ldd_with_the_file_that_needs_it()
    {
        // ldd's own format, as glibc 2.36 prints it for a library whose dependency is absent.
        const string output = "\tlinux-vdso.so.1 (0x00007ffd)\n\tlibgtk-3.so.0 => not found\n\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f)\n";
        Assert.Equal(["libgtk-3.so.0"], ParseNotFound(output));
        Assert.Equal("install the Debian package libgtk-3-0 (scripts/bootstrap.sh does)", NativePackages.InstallHint("libgtk-3.so.0"));
    }

    private static IEnumerable<(string Library, string LoadedBy)> LibrariesToCheck()
    {
        foreach ((string library, string assembly) in PInvokeTargets())
        {
            yield return (library, assembly);
        }

        foreach ((string library, string loadedBy) in NativePackages.LoadedAtRunTime)
        {
            yield return (library, loadedBy);
        }

        // The NuGet packages' native files that the build copied (ONNX Runtime, SkiaSharp, OpenCvSharpExtern, ...).
        foreach (string file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.so*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}runtimes{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || f.Contains($"{Path.DirectorySeparatorChar}linux-x64{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            yield return (file, "the build output");
        }
    }

    /// <summary>The library of every DllImport and LibraryImport in our assemblies, with the assembly that imports it.</summary>
    private static IEnumerable<(string Library, string Assembly)> PInvokeTargets()
    {
        var seen = new HashSet<string>();
        foreach (string file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll")
            .Where(f => Path.GetFileName(f).StartsWith("SkinLive.", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(f).StartsWith("skinlive", StringComparison.Ordinal)))
        {
            Assembly assembly = Assembly.LoadFrom(file);
            foreach (Type type in assembly.GetTypes())
            {
                foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
                {
                    if (method.GetCustomAttribute<System.Runtime.InteropServices.DllImportAttribute>() is { } import && seen.Add(import.Value))
                    {
                        // "libc" is how .NET names the C library; on glibc it is libc.so.6.
                        yield return (import.Value == "libc" ? "libc.so.6" : import.Value, assembly.GetName().Name!);
                    }
                }
            }
        }
    }

    private static string? Resolve(string library)
    {
        if (Path.IsPathRooted(library))
        {
            return File.Exists(library) ? library : null;
        }

        // The DRI drivers are opened by path from Mesa's driver folder, not through the loader's cache.
        string dri = Path.Combine("/usr/lib/x86_64-linux-gnu/dri", library);
        if (File.Exists(dri))
        {
            return dri;
        }

        foreach (string line in Run("/sbin/ldconfig", "-p").Split('\n'))
        {
            // "	libglfw.so.3 (libc6,x86-64) => /lib/x86_64-linux-gnu/libglfw.so.3"
            string trimmed = line.Trim();
            if (trimmed.StartsWith(library + " ", StringComparison.Ordinal) && trimmed.Contains("x86-64", StringComparison.Ordinal))
            {
                return trimmed[(trimmed.IndexOf("=> ", StringComparison.Ordinal) + 3)..];
            }
        }

        return null;
    }

    private static IEnumerable<string> MissingDependencies(string path) => ParseNotFound(Run("ldd", path));

    private static List<string> ParseNotFound(string lddOutput) =>
        [.. NotFound().Matches(lddOutput).Select(m => m.Groups["file"].Value)];

    [GeneratedRegex(@"^\s*(?<file>\S+) => not found", RegexOptions.Multiline)]
    private static partial Regex NotFound();

    private static HashSet<string> BootstrapPackages()
    {
        string script = File.ReadAllText(Path.Combine(RepositoryPaths.Root(), "scripts", "bootstrap.sh"));
        Match list = Regex.Match(script, @"^packages=\(\n(?<body>.*?)\n\)$", RegexOptions.Singleline | RegexOptions.Multiline);
        Assert.True(list.Success, "scripts/bootstrap.sh has no packages=( ... ) list.");
        return [.. list.Groups["body"].Value.Split('\n')
            .Select(l => l.Split('#', 2)[0])
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
    }

    private static string Run(string program, string argument)
    {
        var start = new ProcessStartInfo(program, [argument]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        _ = stderr.Result;
        return stdout;
    }
}
