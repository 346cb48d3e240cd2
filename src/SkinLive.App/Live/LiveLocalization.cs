using SkinLive.App.Overlay;
using SkinLive.Gpu.Pipeline;
using SkinLive.Localization;

namespace SkinLive.App.Live;

/// <summary>
/// Turns each new localization map into the lesion box on screen, the ROI the classifier crops on the next
/// frames, and the quality prompt that withholds the verdict. Runs on the render thread (≈0.4 ms per map).
/// </summary>
public sealed class LiveLocalization
{
    private LesionLocalizer? _localizer;
    private long _mapVersion;
    private int _frameWidth;
    private int _frameHeight;

    public LocalizationResult Last { get; private set; }

    /// <summary>Quality problems of the last map; the verdict is shown only when this is <see cref="QualityFlags.None"/>.</summary>
    public QualityFlags Quality => _localizer is null ? QualityFlags.NoLesion : Last.Quality;

    /// <summary>Processes the pipeline's newest map if it is new; returns whether the lesion changed place.</summary>
    public bool Update(GpuFramePipeline pipeline, FrameLoop loop, OverlayState state)
    {
        LocalizationMap map = loop.Map;
        if (map.Version == _mapVersion || !pipeline.HasFrame)
        {
            return false;
        }

        _mapVersion = map.Version;
        if (_localizer is null || pipeline.FrameWidth != _frameWidth || pipeline.FrameHeight != _frameHeight)
        {
            _frameWidth = pipeline.FrameWidth;
            _frameHeight = pipeline.FrameHeight;
            _localizer = new LesionLocalizer(map.Width, map.Height, _frameWidth / (float)_frameHeight, new LocalizerOptions { EdgeMargin = LocalizerOptions.SoftEdgeMargin });
        }

        bool hadLesion = Last.HasLesion;
        var previousBox = Last.Box;
        Last = _localizer.Locate(map.Darkness, map.Luma, map.ChromaRed, map.ChromaBlue, map.Stamp.FrameId);
        state.Box = Last.HasLesion ? Last.Box : null;
        state.BoxFrame = Last.HasLesion ? Last.BoxFrameId : -1;
        state.Quality = Describe(Last.Quality);
        loop.Roi = Last.ToRoi(_frameWidth, _frameHeight);
        return Last.HasLesion != hadLesion || (Last.HasLesion && Last.Box.IntersectionOverUnion(previousBox) < 0.3f);
    }

    /// <summary>Forgets the tracked lesion (new source, unfreeze).</summary>
    public void Reset() => _localizer?.Reset();

    /// <summary>The one prompt the user sees for <paramref name="flags"/>, most actionable first (null when the picture is fine).</summary>
    public static string? Prompt(QualityFlags flags) =>
        flags.HasFlag(QualityFlags.TooDark) ? "Too dark: add light" :
        flags.HasFlag(QualityFlags.TooBright) ? "Too bright: reduce glare" :
        flags.HasFlag(QualityFlags.Blurry) ? "Hold steady: picture is blurred" :
        flags.HasFlag(QualityFlags.NoLesion) ? "No lesion in view" :
        flags.HasFlag(QualityFlags.LesionCutOff) ? "Centre the lesion in the view" :
        flags.HasFlag(QualityFlags.LesionTooSmall) ? "Move closer" :
        flags.HasFlag(QualityFlags.LesionTooLarge) ? "Move back" :
        null;

    private static string? Describe(QualityFlags flags) => flags == QualityFlags.None ? null : FlagNames[(int)flags & (FlagNames.Length - 1)];

    // Every combination of the seven flags, named once, so describing a frame allocates nothing.
    private static readonly string[] FlagNames = Enumerable.Range(0, 128)
        .Select(i => ((QualityFlags)i).ToString().Replace(", ", ",", StringComparison.Ordinal).ToLowerInvariant())
        .ToArray();
}
