namespace SkinLive.Localization;

/// <summary>
/// Tuning of <see cref="LesionLocalizer"/>. Lengths are in map pixels of the map's height (a map pixel's width is
/// scaled by the frame aspect, so shapes are measured as they are in the frame). Defaults are documented per property.
/// </summary>
public sealed record LocalizerOptions
{
    /// <summary>
    /// Least darkness above the local skin level a pixel needs to count as lesion, whatever Otsu says; keeps skin
    /// texture and noise out when no lesion is in view. Pigmented lesions on skin are typically 0.2..0.5 darker.
    /// </summary>
    public float MinLesionContrast { get; init; } = 0.08f;

    /// <summary>
    /// Grows each side of the thresholded box by this fraction of its size: Otsu cuts a soft lesion edge at mid
    /// contrast, while a soft lesion fades out further. 0 keeps the thresholded box; the live app uses
    /// <see cref="SoftEdgeMargin"/>, calibrated on the synthetic feed (thresholded boxes covered ~70 % of the drawn
    /// lesion's area; with it, ~95 %).
    /// </summary>
    public float EdgeMargin { get; init; }

    public const float SoftEdgeMargin = 0.08f;

    /// <summary>
    /// Which darkness percentile of each ring around the view's centre is taken as the skin level there. Below the median,
    /// so a lesion covering up to three quarters of a ring does not become "skin"; vignetting is a ring effect and cancels.
    /// </summary>
    public float BackgroundPercentile { get; init; } = 0.25f;

    /// <summary>
    /// Contrast (darkness units) per standard deviation of the skin's chromaticity: a pixel whose colour lies
    /// <see cref="MinLesionContrast"/> / this many deviations from the skin's counts as lesion even if no darker.
    /// Default 0.015: about 5.3 deviations (calibrated on the synthetic feed: tighter makes flushed skin lesion,
    /// looser misses pink lesions).
    /// </summary>
    public float ChromaContrastPerSigma { get; init; } = 0.015f;

    /// <summary>
    /// Floor of the skin's ln(B/G) deviation: camera noise; keeps flat skin from making every tint a lesion. The
    /// ln(R/G) floor is twice this, as healthy skin's redness varies in patches (flush, erythema).
    /// </summary>
    public float MinChromaSigma { get; init; } = 0.01f;

    /// <summary>Pixels darker than this luminance have no trustworthy colour (rim, hair, shadow) and are judged by darkness only.</summary>
    public float MinColourLuminance { get; init; } = 0.08f;

    /// <summary>Components smaller than this many map pixels are noise or where hairs cross (about 5×5 pixels, 0.13% of a 160×120 map).</summary>
    public int MinComponentPixels { get; init; } = 24;

    /// <summary>Least width across the component's minor axis (map pixels); thinner shapes are hair strands.</summary>
    public float MinThickness { get; init; } = 3f;

    /// <summary>Largest major/minor axis ratio of a lesion; longer shapes are hair strands or creases.</summary>
    public float MaxElongation { get; init; } = 4f;

    /// <summary>Least fraction of its bounding box a component fills; curved and diagonal strands fill far less.</summary>
    public float MinFillRatio { get; init; } = 0.25f;

    /// <summary>
    /// A component touching the edge of the view must reach at least this fraction of the view's radius inwards;
    /// shallower ones are vignette or the dermatoscope's rim.
    /// </summary>
    public float MinInwardDepth { get; init; } = 0.12f;

    /// <summary>Smallest weight of a new box in the exponential smoothing (a still lesion: heavy smoothing).</summary>
    public float SmoothingMin { get; init; } = 0.2f;

    /// <summary>
    /// A box coordinate moving by this fraction of the box size in one frame is followed at once (weight 1); slower
    /// changes are weighted in between, so the box keeps up with motion but does not jitter when still.
    /// </summary>
    public float FastMotion { get; init; } = 0.3f;

    /// <summary>A detection overlapping the tracked box by less than this IoU is a jump (another lesion, or a fast move).</summary>
    public float MatchIoU { get; init; } = 0.25f;

    /// <summary>Consecutive matching detections needed before a new box is shown (or a jump is accepted).</summary>
    public int AppearFrames { get; init; } = 2;

    /// <summary>Consecutive frames without a matching detection before the box is dropped.</summary>
    public int DisappearFrames { get; init; } = 5;

    public QualityThresholds Quality { get; init; } = QualityThresholds.Default;

    public static LocalizerOptions Default { get; } = new();

    internal void Validate()
    {
        Require(MinLesionContrast is > 0 and < 1, nameof(MinLesionContrast), "must lie strictly between 0 and 1");
        Require(BackgroundPercentile is > 0 and < 1, nameof(BackgroundPercentile), "must lie strictly between 0 and 1");
        Require(MinComponentPixels >= 1, nameof(MinComponentPixels), "must be at least 1");
        Require(MinThickness >= 0 && MaxElongation >= 1 && MinFillRatio is >= 0 and <= 1, nameof(MinThickness),
            "must not be negative, MaxElongation at least 1 and MinFillRatio in 0..1");
        Require(ChromaContrastPerSigma >= 0 && MinChromaSigma > 0 && MinColourLuminance is >= 0 and < 1, nameof(ChromaContrastPerSigma),
            "must not be negative, MinChromaSigma be positive and MinColourLuminance lie in 0..1");
        Require(MinInwardDepth is >= 0 and <= 1, nameof(MinInwardDepth), "must lie in 0..1");
        Require(SmoothingMin is > 0 and <= 1 && FastMotion > 0, nameof(SmoothingMin), "must lie in (0, 1] and FastMotion be positive");
        Require(MatchIoU is >= 0 and <= 1, nameof(MatchIoU), "must lie in 0..1");
        Require(AppearFrames >= 1 && DisappearFrames >= 1, nameof(AppearFrames), "and DisappearFrames must be at least 1");
        Quality.Validate();
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"Localizer option {name} {rule}.", name);
        }
    }
}
