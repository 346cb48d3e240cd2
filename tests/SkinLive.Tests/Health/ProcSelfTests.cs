using SkinLive.App.Health;

namespace SkinLive.Tests.Health;

public sealed class ProcSelfTests
{
    [Fact]
    public void Counts_agree_with_what_proc_lists_for_this_process()
    {
        (int threads, int pool) = ProcSelf.Threads();
        (int fds, int assemblies) = ProcSelf.Descriptors();

        // Other tests run in parallel and open and close files and threads; the counts must be of the right kind and size.
        Assert.InRange(threads, 2, Directory.GetDirectories("/proc/self/task").Length + 64);
        Assert.InRange(pool, 0, threads);
        Assert.InRange(fds, 3, Directory.GetFileSystemEntries("/proc/self/fd").Length + 256);
        Assert.InRange(assemblies, 1, fds);
        long resident = ProcSelf.ResidentBytes();
        Assert.InRange(resident, Environment.WorkingSet / 2, Environment.WorkingSet * 2);
    }

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
