namespace SkinLive.Localization;

/// <summary>
/// Limits for <see cref="QualityFlags"/>. Luminance is in 0..1; fractions are of the in-view pixels (inside the
/// dermatoscope's circle, or the whole map when there is none). The defaults were chosen on the procedural maps of
/// the localization tests; check them against a live feed with the values in <see cref="QualityMetrics"/>.
/// </summary>
public sealed record QualityThresholds
{
    /// <summary>
    /// Below this <see cref="QualityMetrics.Sharpness"/> the picture is blurry. On the low-resolution map only blur wider
    /// than about one map pixel (frame width / map width) is visible. On the test maps in focus measure 0.0047..0.11
    /// and a 5×5 map-pixel defocus 0.0009..0.0024; the default sits between.
    /// </summary>
    public float MinSharpness { get; init; } = 3.5e-3f;

    /// <summary>Mean in-view luminance below this is too dark.</summary>
    public float MinMeanLuminance { get; init; } = 0.15f;

    /// <summary>Mean in-view luminance above this is too bright.</summary>
    public float MaxMeanLuminance { get; init; } = 0.85f;

    /// <summary>A pixel at or below this luminance counts as crushed to black.</summary>
    public float DarkClipLevel { get; init; } = 0.02f;

    /// <summary>A pixel at or above this luminance counts as clipped to white.</summary>
    public float BrightClipLevel { get; init; } = 0.98f;

    /// <summary>More crushed in-view pixels than this fraction is too dark.</summary>
    public float MaxDarkClippedFraction { get; init; } = 0.25f;

    /// <summary>More clipped in-view pixels than this fraction is too bright (glare).</summary>
    public float MaxBrightClippedFraction { get; init; } = 0.10f;

    /// <summary>A lesion covering less than this fraction of the view is too small to judge.</summary>
    public float MinLesionAreaFraction { get; init; } = 0.01f;

    /// <summary>A lesion covering more than this fraction of the view leaves too little skin around it to judge its border.</summary>
    public float MaxLesionAreaFraction { get; init; } = 0.5f;

    public static QualityThresholds Default { get; } = new();

    internal void Validate()
    {
        Require(MinSharpness >= 0, nameof(MinSharpness), "must not be negative");
        Require(MinMeanLuminance is >= 0 and <= 1 && MaxMeanLuminance is >= 0 and <= 1 && MinMeanLuminance < MaxMeanLuminance,
            nameof(MinMeanLuminance), "and MaxMeanLuminance must lie in 0..1 with the minimum below the maximum");
        Require(DarkClipLevel is >= 0 and <= 1 && BrightClipLevel is >= 0 and <= 1 && DarkClipLevel < BrightClipLevel,
            nameof(DarkClipLevel), "and BrightClipLevel must lie in 0..1 with the dark level below the bright one");
        Require(MaxDarkClippedFraction is >= 0 and <= 1 && MaxBrightClippedFraction is >= 0 and <= 1,
            nameof(MaxDarkClippedFraction), "and MaxBrightClippedFraction must lie in 0..1");
        Require(MinLesionAreaFraction is >= 0 and <= 1 && MaxLesionAreaFraction is >= 0 and <= 1 && MinLesionAreaFraction < MaxLesionAreaFraction,
            nameof(MinLesionAreaFraction), "and MaxLesionAreaFraction must lie in 0..1 with the minimum below the maximum");
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"Quality threshold {name} {rule}.", name);
        }
    }
}
