using System.Globalization;

namespace SkinLive.Tests.Security;

/// <summary>An IPv4/IPv6 socket from /proc/PID/net/{tcp,tcp6,udp,udp6}; addresses as the kernel prints them (hex).</summary>
internal sealed record InetSocket(string Table, string Local, string Remote, int State, long Inode)
{
    private const int TcpListen = 0x0A;

    public bool IsListening => Table.StartsWith("tcp", StringComparison.Ordinal) && State == TcpListen;

    public override string ToString() => $"{Table} {Local} -> {Remote} state {State:X2} inode {Inode}";
}

/// <summary>A Unix domain socket from /proc/PID/net/unix.</summary>
internal sealed record UnixSocket(long Inode, bool IsListening, string? Path);

/// <summary>
/// The sockets a process owns: the socket inodes among its open file descriptors, looked up in the kernel's
/// socket tables of its network namespace (which list every process's sockets, so ownership comes from the fds).
/// </summary>
internal static class ProcessSockets
{
    private const int SocketAcceptsConnections = 0x10000;

    public static IReadOnlyList<InetSocket> Inet(int pid)
    {
        HashSet<long> owned = Inodes(pid);
        var sockets = new List<InetSocket>();
        foreach (string table in (string[])["tcp", "tcp6", "udp", "udp6"])
        {
            foreach (string[] columns in Rows($"/proc/{pid}/net/{table}"))
            {
                long inode = long.Parse(columns[9], CultureInfo.InvariantCulture);
                if (owned.Contains(inode))
                {
                    sockets.Add(new InetSocket(table, columns[1], columns[2], int.Parse(columns[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture), inode));
                }
            }
        }

        return sockets;
    }

    public static IReadOnlyList<UnixSocket> Unix(int pid)
    {
        HashSet<long> owned = Inodes(pid);
        var sockets = new List<UnixSocket>();
        foreach (string[] columns in Rows($"/proc/{pid}/net/unix"))
        {
            long inode = long.Parse(columns[6], CultureInfo.InvariantCulture);
            if (owned.Contains(inode))
            {
                int flags = int.Parse(columns[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                sockets.Add(new UnixSocket(inode, (flags & SocketAcceptsConnections) != 0, columns.Length > 7 ? columns[7] : null));
            }
        }

        return sockets;
    }

    /// <summary>Inodes of the sockets among the process's file descriptors (links read as "socket:[INODE]").</summary>
    private static HashSet<long> Inodes(int pid)
    {
        var inodes = new HashSet<long>();
        foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (IOException)
            {
                continue; // closed between the listing and the read
            }

            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(long.Parse(target["socket:[".Length..^1], CultureInfo.InvariantCulture));
            }
        }

        return inodes;
    }

    private static IEnumerable<string[]> Rows(string table) =>
        File.Exists(table)
            ? File.ReadLines(table).Skip(1).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(columns => columns.Length > 6)
            : [];
}
