using System.IO.Enumeration;
using System.Text;
using SkinLive.Platform;

namespace SkinLive.App.Health;

/// <summary>
/// This process's resident memory, threads and descriptors, read from /proc/self without allocating per entry:
/// the health thread samples for weeks, and a sampler that makes garbage would itself be the drift it measures
/// (reading the same with string arrays and FileInfo cost ~180 KB per sample).
/// </summary>
internal static class ProcSelf
{
    private const int PathBytes = 256;
    private static readonly EnumerationOptions s_entries = new() { AttributesToSkip = 0, IgnoreInaccessible = true };

    /// <summary>Resident set size: the second field of /proc/self/statm, in pages.</summary>
    public static long ResidentBytes()
    {
        Span<byte> text = stackalloc byte[128];
        int length = ReadFile("/proc/self/statm\0"u8, text);
        int field = text[..Math.Max(length, 0)].IndexOf((byte)' ');
        long pages = 0;
        for (int i = field + 1; field >= 0 && i < length && text[i] is >= (byte)'0' and <= (byte)'9'; i++)
        {
            pages = (pages * 10) + (text[i] - '0');
        }

        return pages * Environment.SystemPageSize;
    }

    /// <summary>All threads, and those of them the runtime starts and retires on its own (pool, tiering, timer).</summary>
    public static (int All, int RuntimePool) Threads() => CountEntries("/proc/self/task", IsRuntimePoolThread);

    /// <summary>
    /// All open descriptors, and those that map an assembly (the runtime opens and closes them as it loads code).
    /// The listing holds one descriptor of its own while it runs; it is the same in every sample.
    /// </summary>
    public static (int All, int Assemblies) Descriptors() => CountEntries("/proc/self/fd", IsAssembly);

    /// <summary>Entries of <paramref name="directory"/>, and how many of them <paramref name="matches"/>.</summary>
    private static (int All, int Matching) CountEntries(string directory, FileSystemEnumerable<bool>.FindTransform matches)
    {
        (int all, int matching) = (0, 0);
        foreach (bool match in new FileSystemEnumerable<bool>(directory, matches, s_entries))
        {
            all++;
            matching += match ? 1 : 0;
        }

        return (all, matching);
    }

    private static bool IsRuntimePoolThread(ref FileSystemEntry task)
    {
        Span<byte> path = stackalloc byte[PathBytes];
        Span<byte> name = stackalloc byte[64];
        int length = ReadFile(PathOf(task, "/comm", path), name);
        if (length <= 0)
        {
            return false; // the thread ended while we looked
        }

        ReadOnlySpan<byte> comm = name[..length];
        return comm.StartsWith(".NET TP "u8) || comm.StartsWith(".NET Tiered"u8) || comm.StartsWith(".NET Timer"u8);
    }

    private static unsafe bool IsAssembly(ref FileSystemEntry fd)
    {
        Span<byte> path = stackalloc byte[PathBytes];
        Span<byte> target = stackalloc byte[PathBytes];
        ReadOnlySpan<byte> link = PathOf(fd, "", path);
        nint length;
        fixed (byte* linkPath = link)
        fixed (byte* targetPath = target)
        {
            length = NativeLibc.readlink(linkPath, targetPath, (nuint)target.Length);
        }

        return length > 0 && target[..(int)length].EndsWith(".dll"u8);
    }

    /// <summary>"directory/name" + suffix as a NUL-terminated UTF-8 path in <paramref name="into"/>.</summary>
    private static ReadOnlySpan<byte> PathOf(in FileSystemEntry entry, string suffix, Span<byte> into)
    {
        int written = Encoding.UTF8.GetBytes(entry.Directory, into);
        into[written++] = (byte)'/';
        written += Encoding.UTF8.GetBytes(entry.FileName, into[written..]);
        written += Encoding.UTF8.GetBytes(suffix, into[written..]);
        into[written++] = 0;
        return into[..written];
    }

    /// <summary>Reads a small /proc file into <paramref name="into"/>; the bytes read, or -1 if it is gone.</summary>
    private static unsafe int ReadFile(ReadOnlySpan<byte> nulTerminatedPath, Span<byte> into)
    {
        fixed (byte* path = nulTerminatedPath)
        fixed (byte* buffer = into)
        {
            int fd = NativeLibc.open(path, NativeLibc.O_RDONLY | NativeLibc.O_CLOEXEC);
            if (fd < 0)
            {
                return -1;
            }

            nint read = NativeLibc.read(fd, buffer, (nuint)into.Length);
            NativeLibc.close(fd);
            return (int)read;
        }
    }
}
