using SkinLive.Frames;

namespace SkinLive.Localization;

/// <summary>Picture quality measured on the low-resolution map, over the in-view pixels.</summary>
/// <param name="Sharpness">Variance of the 4-neighbour Laplacian of luminance divided by the squared mean luminance (exposure-independent).</param>
/// <param name="MeanLuminance">Mean in-view luminance, 0..1.</param>
/// <param name="DarkClippedFraction">Fraction of in-view pixels at or below <see cref="QualityThresholds.DarkClipLevel"/>.</param>
/// <param name="BrightClippedFraction">Fraction of in-view pixels at or above <see cref="QualityThresholds.BrightClipLevel"/>.</param>
/// <param name="LesionAreaFraction">Fraction of the view the tracked lesion covers (0 without one).</param>
public readonly record struct QualityMetrics(
    float Sharpness,
    float MeanLuminance,
    float DarkClippedFraction,
    float BrightClippedFraction,
    float LesionAreaFraction);

/// <summary>
/// The visible part of the frame, normalized to the frame (0..1, y down). A dermatoscope shows a circle
/// (<see cref="IsCircular"/>; its radius in frame-width and frame-height units differ unless the frame is square);
/// otherwise the whole frame is in view.
/// </summary>
public readonly record struct FieldOfView(bool IsCircular, float CenterX, float CenterY, float RadiusX, float RadiusY)
{
    public static FieldOfView WholeFrame => new(false, 0.5f, 0.5f, 0.5f, 0.5f);

    /// <summary>The view's bounding box, clamped to the frame.</summary>
    public RectangleF Bounds
    {
        get
        {
            float x0 = Math.Clamp(CenterX - RadiusX, 0, 1), y0 = Math.Clamp(CenterY - RadiusY, 0, 1);
            float x1 = Math.Clamp(CenterX + RadiusX, 0, 1), y1 = Math.Clamp(CenterY + RadiusY, 0, 1);
            return new RectangleF(x0, y0, x1 - x0, y1 - y0);
        }
    }
}

/// <summary>
/// What <see cref="LesionLocalizer.Locate(ReadOnlySpan{float}, ReadOnlySpan{float}, long)"/> found in one map.
/// Boxes are normalized to the frame (0..1, y down).
/// </summary>
/// <param name="FrameId">The frame the map was computed from.</param>
/// <param name="HasLesion">A lesion is being tracked; <see cref="Box"/> is valid. Turns on and off with hysteresis.</param>
/// <param name="Box">The smoothed lesion box to draw and to crop from (see <see cref="ToRoi"/>); empty without a lesion.</param>
/// <param name="BoxFrameId">The last frame whose detection moved <see cref="Box"/> (older than <see cref="FrameId"/> while a lesion is briefly lost).</param>
/// <param name="Detected">A plausible lesion was found in this very map.</param>
/// <param name="RawBox">This map's detection, unsmoothed; empty when not <see cref="Detected"/>.</param>
/// <param name="Contrast">Mean darkness of the detected lesion above the local skin level (0 when not detected).</param>
/// <param name="Score">Contrast-to-noise ratio of the detection: <see cref="Contrast"/> over the standard deviation of the rest of the view's contrast.</param>
/// <param name="Quality">Reasons to withhold a verdict; <see cref="QualityFlags.None"/> when the picture is fit to judge.</param>
/// <param name="Metrics">The measurements behind <see cref="Quality"/>.</param>
/// <param name="View">The dermatoscope's field of view found in this map.</param>
public readonly record struct LocalizationResult(
    long FrameId,
    bool HasLesion,
    RectangleF Box,
    long BoxFrameId,
    bool Detected,
    RectangleF RawBox,
    float Contrast,
    float Score,
    QualityFlags Quality,
    QualityMetrics Metrics,
    FieldOfView View)
{
    /// <summary>
    /// The crop for the classifier: the lesion box grown by <paramref name="expandFraction"/> and made square in frame
    /// pixels; without a lesion, the largest square centred on the view. Always inside the frame.
    /// </summary>
    public RectangleF ToRoi(int frameWidth, int frameHeight, float expandFraction = LesionLocalizer.DefaultRoiExpansion) =>
        HasLesion
            ? LesionLocalizer.ToRoi(Box, frameWidth, frameHeight, expandFraction)
            : LesionLocalizer.ToRoi(View.Bounds, frameWidth, frameHeight, 0);
}
