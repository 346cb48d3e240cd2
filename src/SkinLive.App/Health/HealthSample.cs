using SkinLive.Gpu.Platform;

namespace SkinLive.App.Health;

/// <summary>
/// One reading of the process's health: memory, collections, threads, descriptors, live GL objects and error
/// counters, at <see cref="Seconds"/> since the monitor started, after <see cref="Frames"/> displayed frames.
/// <see cref="RuntimePoolThreads"/> are the runtime's own on-demand threads (thread-pool workers, tiered JIT), which
/// come and go by design; <see cref="AssemblyFileDescriptors"/> are .dll files the runtime keeps open once loaded.
/// What is left of each (our threads, our files, pipes, devices) must stay constant.
/// </summary>
public readonly record struct HealthSample(
    double Seconds,
    long Frames,
    long ResidentBytes,
    long ManagedBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    int Threads,
    int RuntimePoolThreads,
    int FileDescriptors,
    int AssemblyFileDescriptors,
    long[] GlObjects,
    long GlErrors,
    long UnhandledExceptions)
{
    public const string CsvHeader = "seconds,frames,rss_bytes,managed_bytes,gc0,gc1,gc2,threads,runtime_pool_threads,fds,assembly_fds,gl_textures,gl_buffers,gl_framebuffers,gl_vertex_arrays,gl_programs,gl_queries,gl_syncs,gl_errors,unhandled_exceptions";

    public long Gl(GlObjectKind kind) => GlObjects[(int)kind];

    public string ToCsv() => string.Join(',', new object[]
    {
        Seconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), Frames, ResidentBytes, ManagedBytes,
        Gen0Collections, Gen1Collections, Gen2Collections, Threads, RuntimePoolThreads, FileDescriptors, AssemblyFileDescriptors,
    }.Concat(GlObjects.Cast<object>()).Concat([GlErrors, UnhandledExceptions]));
}
