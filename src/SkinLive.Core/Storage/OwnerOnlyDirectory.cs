namespace SkinLive.Storage;

/// <summary>
/// Creates the folders SkinLive writes into (snapshots, recordings, traces, profiles, eval reports, synthetic
/// datasets) with mode 0700, parents included: pictures of someone's skin and what the model said about them are
/// no business of the machine's other accounts. A folder that already exists keeps the permissions its owner gave it.
/// </summary>
public static class OwnerOnlyDirectory
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> and its missing parents owner-only; nothing happens to existing ones.</summary>
    public static void Create(string path)
    {
        // Unix modes do not exist on Windows; SkinLive (V4L2, EGL, libc) runs on Linux only.
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("SkinLive runs on Linux only.");
        }

        // Directory.CreateDirectory(path, mode) gives the mode to the last folder only, so each missing level is
        // created on its own, outermost first.
        var missing = new Stack<string>();
        for (string? folder = Path.GetFullPath(path); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            missing.Push(folder);
        }

        while (missing.TryPop(out string? folder))
        {
            Directory.CreateDirectory(folder, Mode);
        }
    }

    /// <summary>Creates, owner-only, the folder that <paramref name="filePath"/> will be written into.</summary>
    public static void CreateFor(string filePath)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(filePath));
        if (directory is not null)
        {
            Create(directory);
        }
    }
}
