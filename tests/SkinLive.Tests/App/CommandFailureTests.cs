using System.Runtime.InteropServices;
using SkinLive.App;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.App;

public sealed class CommandFailureTests
{
    [Fact]
    public void Library_whose_dependency_is_missing_is_one_sentence_naming_the_missing_file()
    {
        using TempDir temp = new();
        string library = temp.File("libskinlive-uses.so");
        BrokenNativeLibrary.Build(library, "libskinlive-test-gone.so.0");
        DllNotFoundException loaderError = Assert.Throws<DllNotFoundException>(() => NativeLibrary.Load(library));

        // As OpenCvSharp reports it: the loader's exception inside a type initializer's.
        string sentence = CommandFailure.Describe(new TypeInitializationException("OpenCvSharp.Internal.NativeMethods", loaderError));

        Assert.Single(sentence.Split('\n'));
        Assert.Contains("libskinlive-test-gone.so.0 is missing", sentence);
        Assert.Contains("apt-file search libskinlive-test-gone.so.0", sentence);
        Assert.DoesNotContain(" at ", sentence);
    }

    [Fact]
    public void Missing_gtk_behind_opencv_names_the_debian_package()
    {
        // The loader's message on a fresh Debian 12 (scripts/fresh-machine-check.sh, before GTK was bootstrapped).
        var loaderError = new DllNotFoundException(
            "Unable to load shared library 'OpenCvSharpExtern' or one of its dependencies. In order to help diagnose loading problems, consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable: \n"
            + "/src/skinlive/tests/SkinLive.Tests/bin/Release/net10.0/runtimes/linux-x64/native/OpenCvSharpExtern.so: cannot open shared object file: No such file or directory\n"
            + "libgtk-3.so.0: cannot open shared object file: No such file or directory\n"
            + "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libOpenCvSharpExtern.so: cannot open shared object file: No such file or directory\n");

        Assert.Equal(
            "the native library OpenCvSharpExtern cannot load because libgtk-3.so.0 is missing; install the Debian package libgtk-3-0 (scripts/bootstrap.sh does).",
            CommandFailure.Describe(new TypeInitializationException("OpenCvSharp.Internal.NativeMethods", loaderError)));
    }

    [Fact]
    public void Other_exception_is_its_type_and_first_line()
    {
        var error = new InvalidOperationException("The replay source failed.\nsecond line");
        Assert.Equal("unexpected InvalidOperationException: The replay source failed.", CommandFailure.Describe(new AggregateException(error)));
    }
}
