using SkinLive.Capture;

namespace SkinLive.App.Live;

/// <summary>
/// The C key: the next camera. Candidates are the source the run started with, every V4L2 capture device, and the
/// synthetic dermatoscope, each once. Opening a device and stopping one can take a while (ioctls, joining a capture
/// thread, reaping ffmpeg), so both happen on a worker; the render thread only polls <see cref="TryTakeOpened"/>
/// and swaps. One switch at a time.
/// </summary>
public sealed class SourceCycle
{
    private readonly Func<IReadOnlyList<string>> _candidates;
    private readonly Func<string, IFrameSource> _open;
    private string _current;
    private Task<Opened>? _opening;

    /// <param name="startUri">The source shown now.</param>
    /// <param name="candidates">Lists the sources to cycle through (called on the worker, at each switch).</param>
    /// <param name="open">Opens a source URI; throws <see cref="SourceException"/> with one sentence.</param>
    public SourceCycle(string startUri, Func<IReadOnlyList<string>> candidates, Func<string, IFrameSource> open)
    {
        _current = startUri;
        _candidates = candidates;
        _open = open;
    }

    /// <summary>The URI of the source shown now.</summary>
    public string Current => _current;

    /// <summary>True from <see cref="RequestNext"/> until the render thread has taken the outcome.</summary>
    public bool Switching => _opening is not null;

    /// <summary>Starts opening the candidate after the current one; ignored while a switch is under way.</summary>
    public void RequestNext()
    {
        if (_opening is null)
        {
            string from = _current;
            _opening = Task.Run(() => OpenNext(from));
        }
    }

    /// <summary>
    /// Render thread, once per frame: the newly opened, started source once it is ready (the caller owns it from
    /// then on), else null; when no other source could be opened, <paramref name="error"/> says why in one sentence.
    /// </summary>
    public IFrameSource? TryTakeOpened(out string? error)
    {
        error = null;
        if (_opening is not { IsCompleted: true } done)
        {
            return null;
        }

        _opening = null;
        Opened opened = done.Result;
        if (opened.Source is null)
        {
            error = opened.Error;
            return null;
        }

        _current = opened.Uri;
        return opened.Source;
    }

    /// <summary>Stops and disposes a source no longer shown, off the render thread.</summary>
    public static void Retire(IFrameSource source) => Task.Run(() =>
    {
        try
        {
            source.Dispose();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or SourceException)
        {
            Console.Error.WriteLine($"skinlive: closing {source.Description} failed: {ex.Message}");
        }
    });

    /// <summary>The start source, each V4L2 capture device (v4l2:/dev/videoN), then the synthetic dermatoscope.</summary>
    public static IReadOnlyList<string> Candidates(string startUri, IV4L2System system)
    {
        var list = new List<string> { startUri };
        foreach (string path in system.DevicePaths())
        {
            try
            {
                using IV4L2Device device = system.Open(path);
                if (device.QueryCapabilities().CanCapture)
                {
                    Add(list, $"{SourceUri.V4L2}:{path}");
                }
            }
            catch (V4L2Exception)
            {
                // Busy or gone: not a candidate this time.
            }
        }

        Add(list, SourceUri.Synthetic);
        return list;
    }

    private static void Add(List<string> list, string uri)
    {
        if (!list.Contains(uri, StringComparer.Ordinal))
        {
            list.Add(uri);
        }
    }

    private Opened OpenNext(string from)
    {
        IReadOnlyList<string> list = _candidates();
        int at = Math.Max(0, IndexOf(list, from));
        string? error = null;
        for (int step = 1; step < list.Count + 1; step++)
        {
            string uri = list[(at + step) % list.Count];
            if (uri == from)
            {
                continue;
            }

            try
            {
                IFrameSource source = _open(uri);
                source.Start();
                return new Opened(uri, source, null);
            }
            catch (SourceException ex)
            {
                error = ex.Message;
            }
        }

        return new Opened(from, null, error ?? "No other camera was found.");
    }

    private static int IndexOf(IReadOnlyList<string> list, string uri)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == uri)
            {
                return i;
            }
        }

        return -1;
    }

    private readonly record struct Opened(string Uri, IFrameSource? Source, string? Error);
}
