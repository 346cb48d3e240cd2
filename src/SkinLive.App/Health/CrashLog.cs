using System.Diagnostics;

namespace SkinLive.App.Health;

/// <summary>
/// Says what crashed and where: every unhandled exception (any thread) and every unobserved task exception is
/// counted and logged as one line on stderr (thread name, exception type, message, first stack frame).
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
            // Runs on the thread that threw, so its name says where.
            log.WriteLine($"skinlive: crash: {Describe(e.ExceptionObject as Exception, Thread.CurrentThread.Name)}");
            log.Flush();
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

        string message = exception.Message.Split('\n', 2)[0].Trim();
        System.Reflection.MethodBase? method = new StackTrace(exception, fNeedFileInfo: false).GetFrames().FirstOrDefault(f => f.GetMethod() is not null)?.GetMethod();
        string at = method is null ? "" : $" (at {method.DeclaringType?.FullName}.{method.Name})";
        return $"{where}: {exception.GetType().Name}: {message}{at}";
    }
}
