using SkinLive.Capture;
using SkinLive.Localization;

namespace SkinLive.App.Live;

/// <summary>What the classifier is doing, as far as the status line cares.</summary>
public enum ModelStatus
{
    /// <summary>No model is loaded (none shipped, or refused): the video runs alone.</summary>
    None,
    Running,
    /// <summary>The worker stopped on an error (<see cref="StatusInputs.ModelError"/>).</summary>
    Faulted,
    /// <summary>The last result was not finite; held until a valid one replaces it.</summary>
    InvalidResult,
}

/// <summary>A C or M switch under way.</summary>
public enum SwitchInProgress
{
    None,
    Camera,
    Model,
}

/// <summary>Everything the status line and the full-screen message are chosen from, for one frame.</summary>
public readonly record struct StatusInputs
{
    public SourceStatus Source { get; init; }

    /// <summary>Why the source failed (its status message), when <see cref="Source"/> is Faulted.</summary>
    public string? SourceFailure { get; init; }

    /// <summary>A running source that has delivered nothing new for too long.</summary>
    public bool Stalled { get; init; }

    public bool Kiosk { get; init; }

    /// <summary>Whether any frame has reached the screen yet.</summary>
    public bool HasFrame { get; init; }

    public ModelStatus Model { get; init; }

    public string? ModelError { get; init; }

    /// <summary>Why there is no model although one was asked for (null: none was asked for).</summary>
    public string? ModelProblem { get; init; }

    public SwitchInProgress Switching { get; init; }

    /// <summary>Why the last switch found nothing to switch to, while that is still worth saying (null: nothing).</summary>
    public string? SwitchFailure { get; init; }

    public string? RecordingFailure { get; init; }

    /// <summary>Why the CPU preprocessing backend stopped and the GPU took over (null: it did not).</summary>
    public string? PreprocessFailure { get; init; }

    /// <summary>Quality problems that withhold the verdict (None while frozen: a frozen picture is not judged again).</summary>
    public QualityFlags Quality { get; init; }
}

/// <summary>The status line and the full-screen message of one frame (null: none).</summary>
public readonly record struct StatusLine(string? Status, string? FullScreen);

/// <summary>
/// Chooses the one status line the user sees from <see cref="StatusInputs"/>: the first rule in
/// <see cref="Rules"/> that has something to say wins. Its output depends on its inputs only; messages built from a
/// reason are remembered per reason, so composing a frame allocates nothing while the reason stays the same.
/// </summary>
public sealed class StatusComposer
{
    public const string Reconnecting = "Reconnecting camera…";

    private readonly CachedMessage _sourceFailed = new("Camera failed: ");
    private readonly CachedMessage _modelFailed = new("No model: ");
    private readonly CachedMessage _recordingStopped = new("Recording stopped: ");
    private readonly Rule[] _rules;

    public StatusComposer()
    {
        _rules =
        [
            // A model that fails says so above everything: the screen shows no verdict and must say why.
            new("model failed", i => i.HasFrame && i.Model == ModelStatus.Faulted ? _modelFailed.For(i.ModelError) : null),
            new("model result invalid", i => i.HasFrame && i.Model == ModelStatus.InvalidResult ? "The model returned an invalid result (NaN); verdict withheld." : null),
            new("camera", i => i.Source switch
            {
                SourceStatus.Disconnected => "Camera disconnected, reconnecting…",
                SourceStatus.Faulted => _sourceFailed.For(i.SourceFailure),
                SourceStatus.Ended => "End of recording",
                _ => null,
            }),
            new("camera stalled", i => i.Stalled ? "No new picture from the camera: it has stalled" : null),
            new("switching", i => i.Switching switch
            {
                SwitchInProgress.Camera => "Switching camera…",
                SwitchInProgress.Model => "Loading the next model…",
                _ => null,
            }),
            new("switch failed", i => i.SwitchFailure),
            new("recording stopped", i => i.RecordingFailure is null ? null : _recordingStopped.For(i.RecordingFailure)),
            new("preprocessing fell back", i => i.PreprocessFailure),
            new("waiting for the camera", i => i.HasFrame ? null : "Waiting for the camera…"),
            new("no model", i => i.Model == ModelStatus.None ? i.ModelProblem ?? "No model loaded: video only" : null),
            new("picture quality", i => i.Model == ModelStatus.None ? null : LiveLocalization.Prompt(i.Quality)),
        ];
    }

    /// <summary>The rules, highest priority first (for tests and docs).</summary>
    public IEnumerable<string> Rules => _rules.Select(r => r.Name);

    public StatusLine Compose(in StatusInputs inputs)
    {
        string? status = null;
        foreach (Rule rule in _rules)
        {
            if ((status = rule.Message(inputs)) is not null)
            {
                break;
            }
        }

        // A kiosk covers the video while the camera is gone: there is nothing to screen.
        string? fullScreen = inputs.Kiosk && inputs.Source is SourceStatus.Disconnected or SourceStatus.Faulted ? Reconnecting : null;
        return new StatusLine(status, fullScreen);
    }

    private readonly record struct Rule(string Name, Func<StatusInputs, string?> Message);

    /// <summary>"prefix + reason", built once per distinct reason (compared by reference: reasons are kept strings).</summary>
    private sealed class CachedMessage(string prefix)
    {
        private string? _reason;
        private string? _message;

        public string For(string? reason)
        {
            if (_message is null || !ReferenceEquals(reason, _reason))
            {
                _reason = reason;
                _message = prefix + reason;
            }

            return _message;
        }
    }
}
