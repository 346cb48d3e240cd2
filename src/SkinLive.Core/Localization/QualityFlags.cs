namespace SkinLive.Localization;

/// <summary>Why the picture is not good enough for a verdict; several may hold at once. <see cref="None"/> means judge it.</summary>
[Flags]
public enum QualityFlags
{
    None = 0,

    /// <summary>Sharpness (normalized variance of the Laplacian of luminance) below <see cref="QualityThresholds.MinSharpness"/>.</summary>
    Blurry = 1 << 0,

    /// <summary>Mean in-view luminance too low, or too many in-view pixels crushed to black.</summary>
    TooDark = 1 << 1,

    /// <summary>Mean in-view luminance too high, or too many in-view pixels clipped to white (glare).</summary>
    TooBright = 1 << 2,

    /// <summary>The lesion covers less than <see cref="QualityThresholds.MinLesionAreaFraction"/> of the view: move closer.</summary>
    LesionTooSmall = 1 << 3,

    /// <summary>The lesion covers more than <see cref="QualityThresholds.MaxLesionAreaFraction"/> of the view: move back.</summary>
    LesionTooLarge = 1 << 4,

    /// <summary>The lesion touches the edge of the view, so part of it is not seen.</summary>
    LesionCutOff = 1 << 5,

    /// <summary>No plausible lesion is in view.</summary>
    NoLesion = 1 << 6,
}
