using System.Globalization;
using SkinLive.App.Health;

namespace SkinLive.Tests.Health;

/// <summary>Run alone, so that no other test starts threads or opens files while the counts are compared.</summary>
[CollectionDefinition(nameof(ProcSelfCollection), DisableParallelization = true)]
public sealed class ProcSelfCollection;

[Collection(nameof(ProcSelfCollection))]
public sealed class ProcSelfTests
{
    /// <summary>Resident memory may move by what the reads themselves touch; threads and descriptors get no slack beyond the two reads.</summary>
    private const long ResidentSlack = 1 << 20;

    /// <summary>A thread the runtime starts and ends between the two plain reads is seen by ProcSelf alone; a retry reads again.</summary>
    private const int Attempts = 5;

    [Fact]
    public void Counts_agree_with_what_proc_lists_for_this_process()
    {
        // Three descriptors of our own to one assembly, so the assembly count is not only what the runtime holds.
        string assembly = typeof(ProcSelf).Assembly.Location;
        using FileStream first = File.OpenRead(assembly), second = File.OpenRead(assembly), third = File.OpenRead(assembly);

        // Each count is read between two reads of the same by plain managed code, and must lie between them (exactly,
        // for threads and descriptors): a count off by one is off in every attempt.
        string? problem = null;
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            Expected before = Read();
            (int threads, int pool) = ProcSelf.Threads();
            (int fds, int assemblies) = ProcSelf.Descriptors();
            long resident = ProcSelf.ResidentBytes();
            Expected after = Read();

            problem = Outside(before.Threads, threads, after.Threads, 0, "threads")
                ?? Outside(before.PoolThreads, pool, after.PoolThreads, 0, "runtime pool threads")
                ?? Outside(before.Descriptors, fds, after.Descriptors, 0, "descriptors")
                ?? Outside(before.AssemblyDescriptors, assemblies, after.AssemblyDescriptors, 0, "assembly descriptors")
                ?? Outside(before.ResidentBytes, resident, after.ResidentBytes, ResidentSlack, "resident bytes")
                ?? (assemblies >= 3 ? null : $"ProcSelf counts {assemblies} assembly descriptors, the test holds 3");
            if (problem is null)
            {
                return;
            }
        }

        Assert.Fail($"{problem} (in each of {Attempts} attempts)");
    }

    private readonly record struct Expected(int Threads, int PoolThreads, int Descriptors, int AssemblyDescriptors, long ResidentBytes);

    /// <summary>The same counts read the plain way: /proc/self/status, and the entries of /proc/self/task and /proc/self/fd.</summary>
    private static Expected Read()
    {
        string[] status = File.ReadAllLines("/proc/self/status");
        long Field(string name) => long.Parse(status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

        int pool = Directory.GetDirectories("/proc/self/task").Count(task =>
        {
            try
            {
                string comm = File.ReadAllText(Path.Combine(task, "comm"));
                return comm.StartsWith(".NET TP ", StringComparison.Ordinal) || comm.StartsWith(".NET Tiered", StringComparison.Ordinal) || comm.StartsWith(".NET Timer", StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false; // the thread ended while we looked
            }
        });

        // The listing holds a descriptor of its own while it runs, as ProcSelf's does.
        string[] fds = Directory.GetFileSystemEntries("/proc/self/fd");
        int assemblies = fds.Count(fd => new FileInfo(fd).LinkTarget?.EndsWith(".dll", StringComparison.Ordinal) == true);
        return new Expected((int)Field("Threads"), pool, fds.Length, assemblies, Field("VmRSS") * 1024);
    }

    private static string? Outside(long before, long actual, long after, long slack, string what) =>
        actual >= Math.Min(before, after) - slack && actual <= Math.Max(before, after) + slack
            ? null
            : $"ProcSelf counts {actual} {what}; /proc listed {before} just before and {after} just after";

    [Fact]
    public void Sampling_allocates_almost_nothing_so_a_soak_does_not_measure_its_own_garbage()
    {
        Sample();
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int Samples = 20;
        for (int i = 0; i < Samples; i++)
        {
            Sample();
        }

        // Two directory enumerators per sample remain; reading the same with string arrays and FileInfo cost ~180 KB.
        long perSample = (GC.GetAllocatedBytesForCurrentThread() - before) / Samples;
        Assert.True(perSample < 4096, $"{perSample} bytes allocated per sample");

        static void Sample()
        {
            ProcSelf.Threads();
            ProcSelf.Descriptors();
            ProcSelf.ResidentBytes();
        }
    }
}
