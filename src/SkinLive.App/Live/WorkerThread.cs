namespace SkinLive.App.Live;

/// <summary>
/// A named background thread that runs one job at a time for the render thread: whatever may block (joining a
/// thread, loading a model, encoding a file) goes here. <see cref="TryRun"/> hands over a job without allocating
/// (pass a delegate made once) and never waits; it refuses while a job is running. The thread starts with the first
/// job, so a run that never needs it (no key pressed, nothing failed) has no extra thread. Jobs must catch what they
/// expect; anything else ends the process as any unhandled exception does (and is logged by CrashLog).
/// </summary>
public sealed class WorkerThread : IDisposable
{
    private readonly string _name;
    private readonly object _gate = new();
    private Thread? _thread;
    private Action? _job;
    private bool _busy;
    private bool _stopping;

    public WorkerThread(string name) => _name = name;

    /// <summary>True from <see cref="TryRun"/> until the job has returned.</summary>
    public bool Busy
    {
        get
        {
            lock (_gate)
            {
                return _busy;
            }
        }
    }

    /// <summary>Starts <paramref name="job"/> on the worker unless one is running; returns whether it was taken.</summary>
    public bool TryRun(Action job)
    {
        lock (_gate)
        {
            if (_busy || _stopping)
            {
                return false;
            }

            _busy = true;
            _job = job;
            if (_thread is null)
            {
                _thread = new Thread(Loop) { IsBackground = true, Name = _name };
                _thread.Start();
            }

            Monitor.Pulse(_gate);
            return true;
        }
    }

    /// <summary>Lets the job in progress finish, then ends the thread.</summary>
    public void Dispose()
    {
        Thread? thread;
        lock (_gate)
        {
            _stopping = true;
            thread = _thread;
            Monitor.Pulse(_gate);
        }

        thread?.Join();
    }

    private void Loop()
    {
        while (true)
        {
            Action job;
            lock (_gate)
            {
                while (_job is null && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_job is null)
                {
                    return;
                }

                job = _job;
                _job = null;
            }

            try
            {
                job();
            }
            finally
            {
                lock (_gate)
                {
                    _busy = false;
                }
            }
        }
    }
}
