using SkinLive.Preprocessing;

namespace SkinLive.App.Live;

/// <summary>Which result a camera frame is shown with.</summary>
public enum OverlayTiming
{
    /// <summary>Each frame with its own box and classification when they are ready within the deadline, else (counted late) the newest.</summary>
    Sync,

    /// <summary>Each frame at once, with the newest result there is (usually the previous frame's).</summary>
    Latest,
}

/// <summary>When a run ends and what it leaves behind.</summary>
public sealed record LiveOptions
{
    /// <summary>Stop after this many displayed frames (0: no limit).</summary>
    public int Frames { get; init; }

    /// <summary>Stop after this many seconds (0: no limit).</summary>
    public double Seconds { get; init; }

    /// <summary>PNG of the last displayed frame, overlay included (null: none).</summary>
    public string? SnapshotPath { get; init; }

    /// <summary>Video file of the composited output (null: no recording).</summary>
    public string? RecordPath { get; init; }

    /// <summary>Frame rate written into the recording: one recorded frame per displayed frame.</summary>
    public double RecordFps { get; init; } = 30;

    /// <summary>Wait for the encoder rather than drop a frame (headless runs).</summary>
    public bool RecordLossless { get; init; }

    /// <summary>Where S saves a snapshot (PNG with overlay + JSON of what was shown); null: S does nothing.</summary>
    public string? SnapshotDirectory { get; init; }

    /// <summary>Unattended mode: cursor hidden, quit only by Ctrl+Alt+Q, a failed source is restarted.</summary>
    public bool Kiosk { get; init; }

    /// <summary>Frames kept for a profile report (0: only the recent history the HUD draws).</summary>
    public int ProfileFrames { get; init; }

    /// <summary>JSON-lines file with one line per displayed frame (null: none).</summary>
    public string? TracePath { get; init; }

    /// <summary>Class labels, in model output order, for the trace's probabilities.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>How often the health monitor samples memory, threads, descriptors and GL objects (zero: no monitor).</summary>
    public TimeSpan HealthInterval { get; init; }

    /// <summary>Longest warm-up left out of the health drift numbers (the warm-up is the first third of the run, at most this).</summary>
    public TimeSpan HealthMaxWarmUp { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Faults to inject (tests and drills); null in normal use.</summary>
    public Faults.FaultPlan? Faults { get; init; }

    /// <summary>Why there is no model although one was asked for (e.g. refused by its pinned sha256); shown as the status.</summary>
    public string? ModelProblem { get; init; }

    /// <summary>CSV file the health samples are appended to as they are taken (null: kept in memory only).</summary>
    public string? HealthCsvPath { get; init; }

    /// <summary>Whether a new camera frame waits for its own result before it is shown (<see cref="OverlayTiming.Sync"/>).</summary>
    public OverlayTiming Overlay { get; init; } = OverlayTiming.Sync;

    /// <summary>How long a new frame waits for its own result under <see cref="OverlayTiming.Sync"/> before it is shown with the newest one.</summary>
    public TimeSpan OverlayDeadline { get; init; } = TimeSpan.FromSeconds(1 / 60.0);

    /// <summary>Which backend makes tensors and localization maps; <see cref="PreprocessBackend.Auto"/> picks by GL renderer.</summary>
    public PreprocessBackend Preprocess { get; init; } = PreprocessBackend.Auto;

    /// <summary>Folder the profile report is written to when the run ends (null: none).</summary>
    public string? ProfilePath { get; init; }
}
