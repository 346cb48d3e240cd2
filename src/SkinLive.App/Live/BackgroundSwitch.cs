namespace SkinLive.App.Live;

/// <summary>What a switch prepared: the new thing and what it is called (its URI or path), or why there is none.</summary>
public readonly record struct Switched<T>(T? Value, string Name, string? Error)
    where T : class;

/// <summary>
/// Switching to the next camera or model without stopping the video: the render thread asks with
/// <see cref="Request"/>, a worker prepares the next one (opening a device or loading a model may take seconds), and
/// the render thread takes it with <see cref="TryTake"/> once it is ready and swaps. The one it replaces goes back
/// through <see cref="Retire"/> and is closed on the worker too. One switch at a time; a request made while the last
/// one is still being closed starts as soon as that is done. Nothing here allocates on the render thread.
/// </summary>
public sealed class BackgroundSwitch<T> : IDisposable
    where T : class
{
    private readonly WorkerThread _worker;
    private readonly Func<Switched<T>> _prepare;
    private readonly Action<T> _close;
    private readonly Action _prepareJob;
    private readonly Action _retireJob;
    private readonly Func<bool> _startRetiring;
    private bool _switching;
    private bool _pending;
    private volatile bool _ready;
    private Switched<T> _outcome;
    private T? _retiring;

    /// <param name="name">The worker thread's name.</param>
    /// <param name="prepare">Makes the next one, on the worker; says why in <see cref="Switched{T}.Error"/> when there is none.</param>
    /// <param name="close">Closes one no longer shown, on the worker.</param>
    public BackgroundSwitch(string name, Func<Switched<T>> prepare, Action<T> close)
    {
        _worker = new WorkerThread(name);
        _prepare = prepare;
        _close = close;
        _prepareJob = () =>
        {
            _outcome = _prepare();
            _ready = true;
        };
        _retireJob = () =>
        {
            T retiring = _retiring!;
            _retiring = null;
            _close(retiring);
        };
        _startRetiring = () => _worker.TryRun(_retireJob);
    }

    /// <summary>True from <see cref="Request"/> until the render thread has taken the outcome.</summary>
    public bool Switching => _switching;

    /// <summary>Render thread: starts preparing the next one; ignored while a switch is under way.</summary>
    public void Request()
    {
        if (!_switching)
        {
            _switching = true;
            _pending = !_worker.TryRun(_prepareJob);
        }
    }

    /// <summary>Render thread, once per frame: the outcome once the worker has it (the caller owns the value), else false.</summary>
    public bool TryTake(out Switched<T> outcome)
    {
        if (_pending)
        {
            // Asked while the worker was closing the one replaced before.
            _pending = !_worker.TryRun(_prepareJob);
        }

        if (!_ready)
        {
            outcome = default;
            return false;
        }

        outcome = _outcome;
        _outcome = default;
        _ready = false;
        _switching = false;
        return true;
    }

    /// <summary>Closes <paramref name="old"/> on the worker (it has just been replaced, so the worker is idle).</summary>
    public void Retire(T old)
    {
        _retiring = old;
        if (!_worker.TryRun(_retireJob))
        {
            // Only while the worker is still returning from the switch it just made: a moment, never a long wait.
            SpinWait.SpinUntil(_startRetiring);
        }
    }

    /// <summary>Waits for the worker's job in progress and ends it; a value prepared but not taken is closed.</summary>
    public void Dispose()
    {
        _worker.Dispose();
        if (_ready && _outcome.Value is { } untaken)
        {
            _close(untaken);
        }
    }
}
