using System.Diagnostics;

namespace SkinLive.App.Health;

/// <summary>
/// Says what crashed and where: every unhandled exception (any thread) and every unobserved task exception is
/// counted and logged as one line on stderr (thread name, exception type, message, first stack frame); an unhandled
/// one then ends the process with exit code 1.
/// <see cref="Install"/> once per process; the counts feed the health samples.
/// </summary>
public static class CrashLog
{
    private static long _unhandled;
    private static int _installed;

    /// <summary>Unhandled and unobserved exceptions seen since <see cref="Install"/>.</summary>
    public static long UnhandledExceptions => Interlocked.Read(ref _unhandled);

    public static void Install(TextWriter log)
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            Interlocked.Increment(ref _unhandled);
            // Runs on the thread that threw, so its name says where. Exiting here keeps the runtime from printing the
            // stack trace after this line (and from aborting with SIGABRT): the user sees one sentence.
            log.WriteLine($"skinlive: crash: {Describe(e.ExceptionObject as Exception, Thread.CurrentThread.Name)}");
            log.Flush();
            Environment.Exit(CommandFailure.ExitCode);
        };
        TaskScheduler.UnobservedTaskException += (_, e) =>
        {
            Interlocked.Increment(ref _unhandled);
            log.WriteLine($"skinlive: unobserved task exception: {Describe(e.Exception.InnerException ?? e.Exception, "task")}");
            e.SetObserved();
        };
    }

    /// <summary>"on thread 'render': InvalidOperationException: message (at Type.Method)".</summary>
    public static string Describe(Exception? exception, string? threadName)
    {
        string where = threadName is { Length: > 0 } ? $"on thread '{threadName}'" : "on an unnamed thread";
        if (exception is null)
        {
            return $"{where}: an exception that is not a .NET Exception";
        }

        Exception cause = CommandFailure.Unwrap(exception);
        string what = cause is DllNotFoundException ? CommandFailure.Describe(cause) : $"{cause.GetType().Name}: {cause.Message.Split('\n', 2)[0].Trim()}";
        System.Reflection.MethodBase? method = new StackTrace(cause, fNeedFileInfo: false).GetFrames().FirstOrDefault(f => f.GetMethod() is not null)?.GetMethod();
        string at = method is null ? "" : $" (at {method.DeclaringType?.FullName}.{method.Name})";
        return $"{where}: {what}{at}";
    }
}
