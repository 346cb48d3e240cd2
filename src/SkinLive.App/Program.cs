using SkinLive.Platform;

namespace SkinLive.App;

public static class Program
{
    public static int Main(string[] args)
    {
        // ONNX Runtime 1.31 on Linux records usage telemetry (a device id and an event store under ~/.cache, a
        // session file in the temp folder) queued for Microsoft's collector (mobile.events.data.microsoft.com).
        // SkinLive makes no connection and writes no file that the user did not ask for, so it is switched off
        // before ONNX Runtime first loads.
        _ = NativeLibc.setenv("ORT_DISABLE_TELEMETRY", "1", overwrite: 1);
        Health.CrashLog.Install(Console.Error);
        return Cli.Run(args, Console.Out, Console.Error);
    }
}
