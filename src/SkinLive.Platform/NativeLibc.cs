using System.Runtime.InteropServices;

namespace SkinLive.Platform;

/// <summary>
/// The few libc calls V4L2 capture, path checks, the process environment and the /proc health sampler need. Every
/// call sets the last P/Invoke error, read with <see cref="Errno"/>.
/// </summary>
public static partial class NativeLibc
{
    private const string Lib = "libc";

    public const int O_RDONLY = 0;
    public const int O_RDWR = 2;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;

    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOENT = 2;
    public const int ENOTTY = 25;

    public const int PROT_READ = 1;
    public const int PROT_WRITE = 2;
    public const int MAP_SHARED = 1;
    public static readonly nint MAP_FAILED = -1;

    public const short POLLIN = 0x001;
    public const short POLLPRI = 0x002;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;
    public const short POLLNVAL = 0x020;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int fd;
        public short events;
        public short revents;
    }

    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags);

    /// <summary>open with a NUL-terminated UTF-8 path the caller holds (no marshalling allocation).</summary>
    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true)]
    public static unsafe partial int open(byte* path, int flags);

    [LibraryImport(Lib, EntryPoint = "readlink", SetLastError = true)]
    public static unsafe partial nint readlink(byte* path, byte* buf, nuint size);

    [LibraryImport(Lib, EntryPoint = "close", SetLastError = true)]
    public static partial int close(int fd);

    /// <summary>ioctl with a pointer argument (the only kind V4L2 uses).</summary>
    [LibraryImport(Lib, EntryPoint = "ioctl", SetLastError = true)]
    public static unsafe partial int ioctl(int fd, nuint request, void* arg);

    [LibraryImport(Lib, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport(Lib, EntryPoint = "munmap", SetLastError = true)]
    public static partial int munmap(nint addr, nuint length);

    [LibraryImport(Lib, EntryPoint = "poll", SetLastError = true)]
    public static unsafe partial int poll(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport(Lib, EntryPoint = "pipe2", SetLastError = true)]
    public static unsafe partial int pipe2(int* fds, int flags);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    public static unsafe partial nint read(int fd, void* buf, nuint count);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint write(int fd, void* buf, nuint count);

    /// <summary>setenv(3): unlike Environment.SetEnvironmentVariable on Unix, native libraries' getenv sees it.</summary>
    [LibraryImport(Lib, EntryPoint = "setenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int setenv(string name, string value, int overwrite);

    /// <summary>realpath(3) with a null buffer: the result is allocated with malloc and must be freed with <see cref="free"/>.</summary>
    [LibraryImport(Lib, EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint realpath(string path, nint resolved);

    [LibraryImport(Lib, EntryPoint = "free")]
    public static partial void free(nint pointer);

    /// <summary>The absolute path with every symbolic link resolved, or null (see <see cref="Errno"/>) when it does not exist.</summary>
    public static string? RealPath(string path)
    {
        nint resolved = realpath(path, 0);
        if (resolved == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    /// <summary>errno of the last call above on this thread.</summary>
    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>The C library's text for an errno value (e.g. "No such device").</summary>
    public static string Describe(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
