namespace SkinLive.App;

public static class Program
{
    public static int Main(string[] args)
    {
        Health.CrashLog.Install(Console.Error);
        return Cli.Run(args, Console.Out, Console.Error);
    }
}
