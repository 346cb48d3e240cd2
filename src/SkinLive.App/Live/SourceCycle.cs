using SkinLive.Capture;

namespace SkinLive.App.Live;

/// <summary>
/// The C key: the next camera. Candidates are the source the run started with, every V4L2 capture device, and the
/// synthetic dermatoscope, each once. Opening a device and stopping one can take a while (ioctls, joining a capture
/// thread, reaping ffmpeg), so both happen on a <see cref="BackgroundSwitch{T}"/>; the render thread only polls
/// <see cref="TryTakeOpened"/> and swaps.
/// </summary>
public sealed class SourceCycle : IDisposable
{
    private readonly Func<IReadOnlyList<string>> _candidates;
    private readonly Func<string, IFrameSource> _open;
    private readonly BackgroundSwitch<IFrameSource> _switch;
    private string _current;
    private volatile bool _disposeRetired;
    private string _openedDescription = string.Empty;

    /// <param name="startUri">The source shown now.</param>
    /// <param name="candidates">Lists the sources to cycle through (called on the worker, at each switch).</param>
    /// <param name="open">Opens a source URI; throws <see cref="SourceException"/> with one sentence.</param>
    public SourceCycle(string startUri, Func<IReadOnlyList<string>> candidates, Func<string, IFrameSource> open)
    {
        _current = startUri;
        _candidates = candidates;
        _open = open;
        _switch = new BackgroundSwitch<IFrameSource>("switch: camera", OpenNext, Close);
    }

    /// <summary>The URI of the source shown now.</summary>
    public string Current => _current;

    /// <summary>True from <see cref="RequestNext"/> until the render thread has taken the outcome.</summary>
    public bool Switching => _switch.Switching;

    /// <summary>The description of the source last opened, read on the worker (sources build it on each call).</summary>
    public string OpenedDescription => _openedDescription;

    /// <summary>Starts opening the candidate after the current one; ignored while a switch is under way.</summary>
    public void RequestNext() => _switch.Request();

    /// <summary>
    /// Render thread, once per frame: the newly opened, started source once it is ready (the caller owns it from
    /// then on), else null; when no other source could be opened, <paramref name="error"/> says why in one sentence.
    /// </summary>
    public IFrameSource? TryTakeOpened(out string? error)
    {
        error = null;
        if (!_switch.TryTake(out Switched<IFrameSource> opened))
        {
            return null;
        }

        error = opened.Error;
        if (opened.Value is not null)
        {
            _current = opened.Name;
        }

        return opened.Value;
    }

    /// <summary>Stops a source no longer shown off the render thread, and disposes it when <paramref name="dispose"/> (the caller owned it).</summary>
    public void Retire(IFrameSource source, bool dispose)
    {
        _disposeRetired = dispose;
        _switch.Retire(source);
    }

    public void Dispose() => _switch.Dispose();

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

    private void Close(IFrameSource source)
    {
        try
        {
            if (_disposeRetired)
            {
                source.Dispose();
            }
            else
            {
                source.Stop();
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or SourceException)
        {
            Console.Error.WriteLine($"skinlive: closing {source.Description} failed: {ex.Message}");
        }
    }

    private Switched<IFrameSource> OpenNext()
    {
        string from = _current;
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
                _openedDescription = source.Description;
                return new Switched<IFrameSource>(source, uri, null);
            }
            catch (SourceException ex)
            {
                error = ex.Message;
            }
        }

        return new Switched<IFrameSource>(null, from, error ?? "No other camera was found.");
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
}
