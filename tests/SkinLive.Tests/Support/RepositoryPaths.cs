namespace SkinLive.Tests;

/// <summary>Where the checkout the tests were built from lies, and the App project's own build output in it.</summary>
internal static class RepositoryPaths
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SkinLive.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no SkinLive.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>
    /// The folder `dotnet run --project src/SkinLive.App` runs from (same configuration and framework as the tests):
    /// skinlive.dll with the models/ and shaders/ the App project copies, and none of the benchmark's files.
    /// </summary>
    public static string AppOutput()
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = tests.Name, configuration = tests.Parent!.Name;
        return Path.Combine(Root(), "src", "SkinLive.App", "bin", configuration, framework);
    }
}
