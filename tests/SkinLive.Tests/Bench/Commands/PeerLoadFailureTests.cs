namespace SkinLive.Tests.Bench.Commands;

/// <summary><c>skinlive-bench pipeline --compare</c> where the peer's native library cannot load: one sentence, exit 1.</summary>
public sealed class PeerLoadFailureTests : IDisposable
{
    private readonly string _copy = Directory.CreateTempSubdirectory("skinlive-bench-copy-").FullName;

    [Fact]
    public void Compare_without_a_loadable_opencv_says_which_library_is_missing_in_one_sentence_and_exits_1()
    {
        // The benchmark's build output, linked file by file, with an OpenCvSharpExtern whose dependency is gone:
        // the loader fails as it does on a machine without GTK.
        string native = Path.Combine("runtimes", "linux-x64", "native", "libOpenCvSharpExtern.so");
        LinkTree(AppContext.BaseDirectory, _copy, skip: native);
        BrokenNativeLibrary.Build(Path.Combine(_copy, native), "libskinlive-test-gone.so.0");

        (int code, string stdout, string stderr) = SkinliveProcess.Run(
            ["pipeline", "--compare", "--frames", "10", "--size", "160x120", "--model", Path.Combine(_copy, "Fixtures", "Inference", "tiny.onnx")],
            program: Path.Combine(_copy, SkinliveProcess.Bench));

        Assert.Equal(1, code);
        Assert.Equal(
            "skinlive-bench pipeline: the native library OpenCvSharpExtern cannot load because libskinlive-test-gone.so.0 is missing; install the Debian package that provides it (apt-file search libskinlive-test-gone.so.0).",
            stderr.Trim());
        Assert.DoesNotContain(" at ", stdout + stderr);
    }

    private static void LinkTree(string from, string to, string skip)
    {
        foreach (string directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(from, file);
            if (relative == skip)
            {
                continue;
            }

            // The host resolves the program's own path through links, and reads the deps file beside it: those are copied.
            if (relative.StartsWith("skinlive-bench.", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(to, relative));
            }
            else
            {
                File.CreateSymbolicLink(Path.Combine(to, relative), file);
            }
        }
    }

    public void Dispose() => Directory.Delete(_copy, recursive: true);
}
