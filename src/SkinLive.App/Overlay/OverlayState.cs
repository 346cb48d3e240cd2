using SkinLive.Frames;

namespace SkinLive.App.Overlay;

public enum RiskGroup
{
    Uncertain,
    Benign,
    Malignant,
}

/// <summary>
/// Everything the overlay shows, updated by the render thread from the newest localization, classification and
/// source status. Strings are references to text prepared once (labels, messages), so updating allocates nothing.
/// </summary>
public sealed class OverlayState
{
    public const string Disclaimer = "Screening aid, not a diagnosis. Not a medical device.";

    /// <summary>The lesion box in normalized frame coordinates, or null when no lesion is in view.</summary>
    public RectangleF? Box { get; set; }

    /// <summary>Source frame the box was computed from (-1: none).</summary>
    public long BoxFrame { get; set; } = -1;

    /// <summary>Source frame the classification on screen was computed from (-1: none).</summary>
    public long ResultFrame { get; set; } = -1;

    public long ResultCaptureTimestamp { get; set; }

    /// <summary>Per-class probabilities of the classification on screen, in label order (null: none).</summary>
    public float[]? Probabilities { get; set; }

    /// <summary>Quality problems with the picture, comma separated (null: none).</summary>
    public string? Quality { get; set; }

    /// <summary>Display name of the top class, or null when there is no verdict to show.</summary>
    public string? Label { get; set; }

    public float Confidence { get; set; }

    public RiskGroup Risk { get; set; }

    public bool Stable { get; set; }

    /// <summary>Up to three (name, probability) pairs for the bars; <see cref="TopCount"/> are valid.</summary>
    public (string Name, float Probability)[] Top { get; } = new (string, float)[3];

    public int TopCount { get; set; }

    /// <summary>A prompt or status line (camera disconnected, no model, hold steady…), or null.</summary>
    public string? Status { get; set; }

    /// <summary>When set, the whole screen shows this message (kiosk reconnecting).</summary>
    public string? FullScreenMessage { get; set; }

    public bool ShowHud { get; set; } = true;

    /// <summary>The preprocessing backend in use ("gpu" or "cpu"), for the HUD.</summary>
    public string Preprocess { get; set; } = "gpu";

    /// <summary>The keys and what they do, for the HUD (null: none).</summary>
    public string? KeyHelp { get; set; }

    /// <summary>Recent frame times in ms, newest first, for the HUD graph; <see cref="FrameTimeCount"/> are valid.</summary>
    public float[] FrameTimes { get; } = new float[240];

    public int FrameTimeCount { get; set; }

    public double FramesPerSecond { get; set; }

    public double FrameMilliseconds { get; set; }

    public double InferenceMilliseconds { get; set; }

    public long StaleFrames { get; set; }

    public string SourceDescription { get; set; } = string.Empty;

    public string ModelName { get; set; } = "no model";
}
