using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.Security;

/// <summary>
/// SkinLive never listens and connects nowhere unless asked (--otlp): a headless run's own sockets, read from
/// /proc while it runs. The .NET runtime's diagnostics endpoint (a Unix socket for dotnet-counters and
/// dotnet-trace) is the one listener, and DOTNET_EnableDiagnostics=0 removes it.
/// </summary>
public sealed class NetworkTests
{
    [Fact]
    public void The_socket_reader_sees_a_listening_socket_of_this_process()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        InetSocket socket = Assert.Single(ProcessSockets.Inet(Environment.ProcessId), s => s.IsListening && s.Local.EndsWith($":{port:X4}", StringComparison.Ordinal));
        Assert.Equal("tcp", socket.Table);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_headless_run_has_no_network_socket_and_listens_only_on_the_runtime_diagnostics_endpoint(bool diagnostics)
    {
        using TempDir temp = InferenceFixtures.Temp();
        string trace = temp.File("trace.jsonl");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "skinlive.dll"), "run", "--headless", "--source", "testpattern:size=160x120",
            "--window", "160x120", "--frames", "300", "--trace", trace])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("DOTNET_EnableDiagnostics");
        if (!diagnostics)
        {
            start.Environment["DOTNET_EnableDiagnostics"] = "0";
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var inet = new List<InetSocket>();
        var unix = new List<UnixSocket>();
        int samples = 0;
        try
        {
            // Sample while the model, the capture thread and the render loop all run (the trace is growing).
            while (!process.HasExited && samples < 5)
            {
                if (File.Exists(trace) && new FileInfo(trace).Length > 0)
                {
                    inet.AddRange(ProcessSockets.Inet(process.Id));
                    unix.AddRange(ProcessSockets.Unix(process.Id));
                    samples++;
                }

                await Task.Delay(100);
            }
        }
        catch (DirectoryNotFoundException) when (process.HasExited)
        {
            // It finished between the check and the read; the samples taken so far stand.
        }

        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            await process.WaitForExitAsync(deadline.Token);
        }

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        Assert.True(samples > 0, $"the run ended before its sockets could be read: {await stdout}");
        Assert.Empty(inet);
        string[] listeners = [.. unix.Where(s => s.IsListening).Select(s => s.Path ?? "(unnamed)").Distinct()];
        if (diagnostics)
        {
            string endpoint = Assert.Single(listeners);
            Assert.Contains($"dotnet-diagnostic-{process.Id}-", endpoint);
        }
        else
        {
            Assert.Empty(listeners);
        }
    }
}
