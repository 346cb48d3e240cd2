using System.Reflection;
using System.Text.RegularExpressions;
using SkinLive.Platform;

namespace SkinLive.App;

/// <summary>
/// The one sentence a user sees when an exception escapes a command, on any thread: no stack trace ever reaches
/// them. A native library that cannot load is reported by the file that is missing and the Debian package that
/// provides it, whatever wrapped it (a type initializer, a reflection call).
/// </summary>
public static partial class CommandFailure
{
    /// <summary>Exit code of a command that failed on an unexpected exception (bad input exits 2, a refused model or source 1).</summary>
    public const int ExitCode = 1;

    public static string Describe(Exception exception)
    {
        Exception cause = Unwrap(exception);
        if (cause is DllNotFoundException missing)
        {
            return DescribeMissingLibrary(missing);
        }

        string message = cause.Message.Split('\n', 2)[0].Trim().TrimEnd('.');
        return $"unexpected {cause.GetType().Name}: {message}.";
    }

    /// <summary>The exception that says what went wrong, inside the wrappers that only say where.</summary>
    public static Exception Unwrap(Exception exception)
    {
        Exception current = exception;
        while (current is TypeInitializationException or TargetInvocationException or AggregateException { InnerExceptions.Count: 1 }
            && current.InnerException is { } inner)
        {
            current = inner;
        }

        return current;
    }

    private static string DescribeMissingLibrary(DllNotFoundException exception)
    {
        string requested = RequestedLibrary().Match(exception.Message) is { Success: true } r ? r.Groups["name"].Value : "a native library";
        // The loader lists each path it tried; a dependency of the library is the more useful name when one is missing.
        string? dependency = null;
        foreach (Match m in MissingFile().Matches(exception.Message))
        {
            string file = m.Groups["file"].Value;
            if (!file.Contains(requested, StringComparison.Ordinal))
            {
                dependency = file;
                break;
            }
        }

        return dependency is null
            ? $"the native library {requested} is not installed or not next to the program; {NativePackages.InstallHint(requested)}."
            : $"the native library {requested} cannot load because {dependency} is missing; {NativePackages.InstallHint(dependency)}.";
    }

    [GeneratedRegex(@"shared library '(?<name>[^']+)'")]
    private static partial Regex RequestedLibrary();

    [GeneratedRegex(@"(?<file>[^\s/:]+\.so(\.\d+)*): cannot open shared object file")]
    private static partial Regex MissingFile();
}
