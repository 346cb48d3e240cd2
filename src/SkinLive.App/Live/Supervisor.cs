using System.Diagnostics;
using SkinLive.Capture;
using SkinLive.Inference.Runtime;

namespace SkinLive.App.Live;

/// <summary>
/// Watches the source and the model from the render thread, once per frame, and keeps a kiosk going: it tells a
/// stalled camera from a slow one, and restarts a failed or silent source and a failed model worker periodically.
/// Restarting joins threads, so it happens on its own worker; the render thread only decides when.
/// </summary>
public sealed class Supervisor : IDisposable
{
    private static readonly TimeSpan FailedSourceRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SilentSourceRestart = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FailedModelRetry = TimeSpan.FromSeconds(2);
    private readonly bool _kiosk;
    private readonly WorkerThread _worker = new("supervisor");
    private readonly Action _restartSource;
    private readonly Action _restartModel;
    private RetryTimer _sourceRetry;
    private RetryTimer _modelRetry;
    private IFrameSource? _sourceToRestart;
    private InferenceWorker? _modelToRestart;
    private long _uploadsSeen;
    private long _lastUploadAt;

    /// <param name="kiosk">Whether to restart what fails (unattended); otherwise only the stall is detected.</param>
    public Supervisor(bool kiosk)
    {
        _kiosk = kiosk;
        _restartSource = () =>
        {
            IFrameSource source = _sourceToRestart!;
            try
            {
                source.Stop();
                source.Start();
            }
            catch (ObjectDisposedException)
            {
                // A C switch retired it meanwhile; the one shown now is supervised instead.
            }
        };
        _restartModel = () =>
        {
            InferenceWorker worker = _modelToRestart!;
            Console.Error.WriteLine($"skinlive: restarting the model after: {worker.Error}");
            worker.Stop();
            worker.Start();
        };
    }

    /// <summary>Whether the running source has delivered nothing new for longer than three frame intervals (at least a second).</summary>
    public bool Stalled { get; private set; }

    /// <summary>Render thread, once per frame, after the upload.</summary>
    /// <param name="uploads">Camera frames uploaded so far.</param>
    /// <param name="frozen">Whether the picture is frozen (no uploads expected).</param>
    public void WatchSource(IFrameSource source, long uploads, bool frozen)
    {
        long now = Stopwatch.GetTimestamp();
        TimeSpan stalledFor = TimeSpan.Zero;
        if (uploads != _uploadsSeen || frozen || source.Status != SourceStatus.Running)
        {
            _uploadsSeen = uploads;
            _lastUploadAt = now;
        }
        else
        {
            stalledFor = Stopwatch.GetElapsedTime(_lastUploadAt, now);
        }

        double limit = Math.Max(1, source.NominalFps > 0 ? 3 / source.NominalFps : 1);
        Stalled = _uploadsSeen > 0 && stalledFor.TotalSeconds > limit;
        if (!_kiosk)
        {
            return;
        }

        // One timer for both reasons, as a camera that stays silent is reopened as a failed one is.
        if (source.Status == SourceStatus.Faulted ? _sourceRetry.Due(FailedSourceRetry, now) : Stalled && stalledFor > SilentSourceRestart && _sourceRetry.Due(SilentSourceRestart, now))
        {
            _sourceToRestart = source;
            _worker.TryRun(_restartSource);
        }
    }

    /// <summary>Render thread, once per frame while a model is shown: a kiosk restarts a failed worker every 2 s.</summary>
    public void WatchModel(InferenceWorker worker)
    {
        if (_kiosk && worker.State == WorkerState.Faulted && _modelRetry.Due(FailedModelRetry, Stopwatch.GetTimestamp()))
        {
            _modelToRestart = worker;
            _worker.TryRun(_restartModel);
        }
    }

    /// <summary>Waits for a restart in progress.</summary>
    public void Dispose() => _worker.Dispose();

    /// <summary>Due once per interval while asked every frame: the first ask arms it, the first ask after the interval fires it.</summary>
    private struct RetryTimer
    {
        private long _dueAt;

        public bool Due(TimeSpan interval, long now)
        {
            if (_dueAt == 0)
            {
                _dueAt = now + (long)(interval.TotalSeconds * Stopwatch.Frequency);
                return false;
            }

            if (now < _dueAt)
            {
                return false;
            }

            _dueAt = 0;
            return true;
        }
    }
}
