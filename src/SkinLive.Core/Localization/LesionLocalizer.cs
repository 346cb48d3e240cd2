using SkinLive.Frames;

namespace SkinLive.Localization;

/// <summary>
/// Finds the lesion in a low-resolution map of the frame and judges picture quality, allocation-free per call.
/// <para>
/// Input per frame: two planes of <c>MapWidth × MapHeight</c> floats, row-major, row 0 at the top of the frame,
/// values 0..1: <em>darkness</em> (lesion contrast, e.g. 1 - luminance) and <em>luminance</em>, both area-averaged
/// from the full frame. Steps: the dermatoscope's dark round rim is found and everything outside it ignored; the skin
/// level per ring around the view's centre (vignetting) is subtracted; Otsu's threshold (at least
/// <see cref="LocalizerOptions.MinLesionContrast"/>) splits lesion from skin; a 3×3 opening and closing clean the mask;
/// of the 8-connected components, the largest plausible one (not a strand, not a sliver on the rim) is the lesion;
/// its box is smoothed over frames. One instance serves one stream from one thread.
/// </para>
/// </summary>
public sealed class LesionLocalizer
{
    public const int DefaultMapWidth = 160;
    public const int DefaultMapHeight = 120;
    public const float DefaultRoiExpansion = 0.2f;

    // Sharpness skips pixels this close (isotropic map pixels) to the view's edge, whose rim is sharp whatever the focus.
    private const float SharpnessInset = 3f;

    // The skin's colour leaves out the last lesion box grown by this fraction of its size on every side.
    private const float ExclusionMargin = 0.15f;

    private readonly LocalizerOptions _options;
    private readonly float _pixelAspect;
    private readonly float[] _darkness;
    private readonly float[] _luminance;
    private readonly float[] _chromaRed;
    private readonly float[] _chromaBlue;
    private readonly bool[] _colourUsable;
    private readonly SkinChroma _skinChroma = new();
    private readonly float[] _depth;
    private readonly float[] _radius;
    private readonly float[] _contrast;
    private readonly byte[] _mask;
    private readonly byte[] _scratch;
    private readonly int[] _contrastHistogram = new int[Otsu.Bins];
    private readonly FieldOfViewEstimator _view;
    private readonly RadialBackground _background = new();
    private readonly ComponentLabeler _labeler;
    private readonly BoxTracker _tracker;
    private QualityFlags _lesionFlags;
    private float _lesionAreaFraction;

    /// <param name="mapWidth">Map width in pixels.</param>
    /// <param name="mapHeight">Map height in pixels.</param>
    /// <param name="frameAspect">
    /// The frame's width / height; defaults to the map's. When it differs (a 16:9 frame in a 4:3 map), map pixels are
    /// not square and a round field of view is an ellipse in the map; shapes are measured as they are in the frame.
    /// </param>
    /// <param name="options">Tuning and quality thresholds; <see cref="LocalizerOptions.Default"/> when null.</param>
    public LesionLocalizer(int mapWidth = DefaultMapWidth, int mapHeight = DefaultMapHeight, float? frameAspect = null, LocalizerOptions? options = null)
    {
        if (mapWidth < 16 || mapHeight < 16 || mapWidth > 1024 || mapHeight > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(mapWidth), $"Localization map size {mapWidth}x{mapHeight} is outside 16..1024.");
        }

        float aspect = frameAspect ?? ((float)mapWidth / mapHeight);
        if (!(aspect is > 0.1f and < 10f))
        {
            throw new ArgumentOutOfRangeException(nameof(frameAspect), $"Frame aspect {aspect} is outside 0.1..10.");
        }

        _options = options ?? LocalizerOptions.Default;
        _options.Validate();
        MapWidth = mapWidth;
        MapHeight = mapHeight;
        _pixelAspect = aspect * mapHeight / mapWidth;
        int pixels = mapWidth * mapHeight;
        _darkness = new float[pixels];
        _luminance = new float[pixels];
        _chromaRed = new float[pixels];
        _chromaBlue = new float[pixels];
        _colourUsable = new bool[pixels];
        _depth = new float[pixels];
        _radius = new float[pixels];
        _contrast = new float[pixels];
        _mask = new byte[pixels];
        _scratch = new byte[pixels];
        _view = new FieldOfViewEstimator(mapWidth, mapHeight, _pixelAspect);
        _labeler = new ComponentLabeler(mapWidth, mapHeight, _pixelAspect);
        _tracker = new BoxTracker(_options);
    }

    public int MapWidth { get; }

    public int MapHeight { get; }

    public LocalizerOptions Options => _options;

    /// <summary>Forgets the tracked lesion (new source, new patient, unfrozen picture).</summary>
    public void Reset()
    {
        _tracker.Reset();
        _lesionFlags = QualityFlags.None;
        _lesionAreaFraction = 0;
    }

    /// <summary>
    /// One map as read back interleaved (e.g. an RG32F or RGBA32F target): <paramref name="channels"/> floats per
    /// pixel, darkness in channel 0, luminance in channel 1 and, with 4 channels, ln(R/G) and ln(B/G) in 2 and 3.
    /// </summary>
    public LocalizationResult Locate(ReadOnlySpan<float> interleaved, int channels, long frameId)
    {
        int pixels = MapWidth * MapHeight;
        if (channels < 2 || interleaved.Length != pixels * channels)
        {
            throw new ArgumentException(
                $"Expected {MapWidth}x{MapHeight} pixels of at least 2 channels; got {interleaved.Length} floats for {channels} channels.",
                nameof(interleaved));
        }

        bool colour = channels >= 4;
        for (int i = 0, j = 0; i < pixels; i++, j += channels)
        {
            _darkness[i] = interleaved[j];
            _luminance[i] = interleaved[j + 1];
            if (colour)
            {
                _chromaRed[i] = interleaved[j + 2];
                _chromaBlue[i] = interleaved[j + 3];
            }
        }

        return colour ? Locate(_darkness, _luminance, _chromaRed, _chromaBlue, frameId) : Locate(_darkness, _luminance, frameId);
    }

    /// <summary>One map as two planes of <c>MapWidth × MapHeight</c> floats (row 0 at the top), without colour.</summary>
    public LocalizationResult Locate(ReadOnlySpan<float> darkness, ReadOnlySpan<float> luminance, long frameId) =>
        Locate(darkness, luminance, [], [], frameId);

    /// <summary>
    /// One map as planes of <c>MapWidth × MapHeight</c> floats (row 0 at the top): darkness, luminance and the
    /// log-chromaticities ln(R/G) and ln(B/G) (both empty for a map without colour).
    /// </summary>
    public LocalizationResult Locate(ReadOnlySpan<float> darkness, ReadOnlySpan<float> luminance, ReadOnlySpan<float> chromaRed, ReadOnlySpan<float> chromaBlue, long frameId)
    {
        int pixels = MapWidth * MapHeight;
        bool colour = chromaRed.Length > 0 || chromaBlue.Length > 0;
        if (darkness.Length != pixels || luminance.Length != pixels || (colour && (chromaRed.Length != pixels || chromaBlue.Length != pixels)))
        {
            throw new ArgumentException(
                $"Expected planes of {MapWidth}x{MapHeight} = {pixels} floats; got {darkness.Length}, {luminance.Length}, {chromaRed.Length} and {chromaBlue.Length}.");
        }

        _view.Estimate(luminance, _depth, _radius);
        QualityMetrics exposure = MeasureExposureAndSharpness(luminance);

        _background.Build(darkness, _depth, _radius, _options.BackgroundPercentile);
        if (colour)
        {
            for (int i = 0; i < pixels; i++)
            {
                _colourUsable[i] = _depth[i] > 0 && luminance[i] >= _options.MinColourLuminance;
            }

            _skinChroma.Build(chromaRed, chromaBlue, _colourUsable, MapWidth, LastLesionArea(), 2 * _options.MinChromaSigma, _options.MinChromaSigma);
        }

        ComputeContrast(darkness, colour ? chromaRed : [], chromaBlue, out double contrastSum, out double contrastSquares, out int viewPixels);
        float threshold = Math.Max(Otsu.Threshold(_contrastHistogram), _options.MinLesionContrast);
        for (int i = 0; i < pixels; i++)
        {
            _mask[i] = (byte)(_contrast[i] >= threshold ? 1 : 0);
        }

        BinaryMorphology.Open(_mask, _scratch, MapWidth, MapHeight);
        BinaryMorphology.Close(_mask, _scratch, MapWidth, MapHeight);
        _labeler.Label(_mask, _depth, _contrast);

        int best = SelectLesion();
        bool detected = best >= 0;
        RectangleF raw = default;
        float contrast = 0, score = 0;
        if (detected)
        {
            ref readonly ComponentStats lesion = ref _labeler[best];
            raw = Grow(
                new RectangleF(
                    (float)lesion.MinX / MapWidth,
                    (float)lesion.MinY / MapHeight,
                    (float)(lesion.MaxX - lesion.MinX + 1) / MapWidth,
                    (float)(lesion.MaxY - lesion.MinY + 1) / MapHeight),
                _options.EdgeMargin);
            contrast = (float)(lesion.SumContrast / lesion.Area);
            score = ContrastToNoise(lesion, contrastSum, contrastSquares, viewPixels);
            _tracker.Hit(raw, frameId);
            if (_tracker.Updated)
            {
                _lesionAreaFraction = (float)lesion.Area / Math.Max(1, _view.ViewPixels);
                _lesionFlags = LesionFlags(lesion, _lesionAreaFraction);
            }
        }
        else
        {
            _tracker.Miss();
        }

        if (!_tracker.Active)
        {
            _lesionFlags = QualityFlags.NoLesion;
            _lesionAreaFraction = 0;
        }

        QualityMetrics metrics = exposure with { LesionAreaFraction = _lesionAreaFraction };
        QualityFlags flags = PictureFlags(metrics) | _lesionFlags;
        return new LocalizationResult(
            frameId, _tracker.Active, _tracker.Box, _tracker.BoxFrameId, detected, raw, contrast, score, flags, metrics, _view.ToNormalized());
    }

    /// <summary>
    /// The classifier's crop for a lesion box (normalized): grown by <paramref name="expandFraction"/> of its size,
    /// made square in frame pixels, kept inside the frame (shifted, and shrunk only if larger than the frame's
    /// shorter side). Returned normalized.
    /// </summary>
    public static RectangleF ToRoi(RectangleF box, int frameWidth, int frameHeight, float expandFraction = DefaultRoiExpansion)
    {
        if (frameWidth < 1 || frameHeight < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(frameWidth), $"Frame size {frameWidth}x{frameHeight} must be positive.");
        }

        float centreX = (box.X + (box.Width / 2)) * frameWidth;
        float centreY = (box.Y + (box.Height / 2)) * frameHeight;
        float side = Math.Max(box.Width * frameWidth, box.Height * frameHeight) * (1 + Math.Max(0, expandFraction));
        side = Math.Clamp(side, 1, Math.Min(frameWidth, frameHeight));
        float x = Math.Clamp(centreX - (side / 2), 0, frameWidth - side);
        float y = Math.Clamp(centreY - (side / 2), 0, frameHeight - side);
        return new RectangleF(x / frameWidth, y / frameHeight, side / frameWidth, side / frameHeight);
    }

    /// <summary>
    /// Per pixel in view, how far it is from skin: its darkness above the ring's skin level or, with colour, its
    /// chromaticity's distance from the skin's in darkness-equivalent units, whichever is larger.
    /// </summary>
    private void ComputeContrast(ReadOnlySpan<float> darkness, ReadOnlySpan<float> chromaRed, ReadOnlySpan<float> chromaBlue, out double sum, out double squares, out int count)
    {
        bool colour = chromaRed.Length > 0 && _skinChroma.Valid;
        Array.Clear(_contrastHistogram);
        sum = squares = 0;
        count = 0;
        for (int i = 0; i < darkness.Length; i++)
        {
            if (_depth[i] <= 0)
            {
                _contrast[i] = 0;
                continue;
            }

            float c = Math.Clamp(darkness[i] - _background.At(_radius[i]), 0, 1);
            if (colour && _colourUsable[i])
            {
                c = Math.Max(c, Math.Min(1, _skinChroma.Distance(chromaRed[i], chromaBlue[i]) * _options.ChromaContrastPerSigma));
            }

            _contrast[i] = c;
            _contrastHistogram[Math.Min(Otsu.Bins - 1, (int)(c * Otsu.Bins))]++;
            sum += c;
            squares += c * c;
            count++;
        }
    }

    /// <summary>Where the lesion was last seen, with a margin for its soft edge and motion, in map pixels.</summary>
    private MapBox LastLesionArea()
    {
        if (!_tracker.Active)
        {
            return MapBox.Empty;
        }

        RectangleF box = Grow(_tracker.Box, ExclusionMargin);
        return new MapBox(
            (int)MathF.Floor(box.X * MapWidth),
            (int)MathF.Floor(box.Y * MapHeight),
            (int)MathF.Ceiling(box.Right * MapWidth),
            (int)MathF.Ceiling(box.Bottom * MapHeight));
    }

    /// <summary>The largest component that is neither noise, a strand, nor a sliver along the rim; -1 when none.</summary>
    private int SelectLesion()
    {
        float touchBand = 1.5f * Math.Max(1f, _pixelAspect);
        float minInward = _options.MinInwardDepth * _view.ReferenceRadius;
        int best = -1;
        float bestScore = 0;
        for (int c = 0; c < _labeler.Count; c++)
        {
            ref readonly ComponentStats stats = ref _labeler[c];
            if (stats.Area < _options.MinComponentPixels || stats.FillRatio < _options.MinFillRatio)
            {
                continue;
            }

            (float minorWidth, float elongation) = stats.Axes(_pixelAspect);
            if (minorWidth < _options.MinThickness || elongation > _options.MaxElongation)
            {
                continue;
            }

            if (stats.MinDepth < touchBand && stats.MaxDepth < minInward)
            {
                continue;
            }

            // Prefer the lesion already tracked when two are about the same size.
            float componentScore = stats.Area * (_tracker.Active && Overlaps(stats, _tracker.Box) ? 1.5f : 1f);
            if (componentScore > bestScore)
            {
                bestScore = componentScore;
                best = c;
            }
        }

        return best;
    }

    private bool Overlaps(in ComponentStats stats, RectangleF box) =>
        stats.MinX < box.Right * MapWidth && (stats.MaxX + 1) > box.X * MapWidth
        && stats.MinY < box.Bottom * MapHeight && (stats.MaxY + 1) > box.Y * MapHeight;

    private static float ContrastToNoise(in ComponentStats lesion, double sum, double squares, int count)
    {
        int rest = count - lesion.Area;
        if (rest < 2)
        {
            return 0;
        }

        double mean = (sum - lesion.SumContrast) / rest;
        double variance = Math.Max(((squares - lesion.SumContrastSquared) / rest) - (mean * mean), 1e-12);
        return (float)(((lesion.SumContrast / lesion.Area) - mean) / Math.Sqrt(variance));
    }

    private QualityFlags LesionFlags(in ComponentStats lesion, float areaFraction)
    {
        QualityThresholds limits = _options.Quality;
        QualityFlags flags = QualityFlags.None;
        if (areaFraction < limits.MinLesionAreaFraction)
        {
            flags |= QualityFlags.LesionTooSmall;
        }

        if (areaFraction > limits.MaxLesionAreaFraction)
        {
            flags |= QualityFlags.LesionTooLarge;
        }

        if (lesion.MinDepth < 1.5f * Math.Max(1f, _pixelAspect))
        {
            flags |= QualityFlags.LesionCutOff;
        }

        return flags;
    }

    private QualityFlags PictureFlags(in QualityMetrics metrics)
    {
        QualityThresholds limits = _options.Quality;
        QualityFlags flags = QualityFlags.None;
        if (metrics.Sharpness < limits.MinSharpness)
        {
            flags |= QualityFlags.Blurry;
        }

        if (metrics.MeanLuminance < limits.MinMeanLuminance || metrics.DarkClippedFraction > limits.MaxDarkClippedFraction)
        {
            flags |= QualityFlags.TooDark;
        }

        if (metrics.MeanLuminance > limits.MaxMeanLuminance || metrics.BrightClippedFraction > limits.MaxBrightClippedFraction)
        {
            flags |= QualityFlags.TooBright;
        }

        return flags;
    }

    /// <summary>Exposure over the in-view pixels; sharpness over those at least <see cref="SharpnessInset"/> inside the rim.</summary>
    private QualityMetrics MeasureExposureAndSharpness(ReadOnlySpan<float> luminance)
    {
        QualityThresholds limits = _options.Quality;
        int width = MapWidth, height = MapHeight;
        double sum = 0, laplacianSum = 0, laplacianSquares = 0;
        int count = 0, dark = 0, bright = 0, laplacianCount = 0;
        for (int y = 0; y < height; y++)
        {
            int row = y * width;
            for (int x = 0; x < width; x++)
            {
                int i = row + x;
                float depth = _depth[i];
                if (depth <= 0)
                {
                    continue;
                }

                float value = luminance[i];
                sum += value;
                count++;
                dark += value <= limits.DarkClipLevel ? 1 : 0;
                bright += value >= limits.BrightClipLevel ? 1 : 0;
                if (depth >= SharpnessInset && x > 0 && y > 0 && x < width - 1 && y < height - 1)
                {
                    float laplacian = (4 * value) - luminance[i - 1] - luminance[i + 1] - luminance[i - width] - luminance[i + width];
                    laplacianSum += laplacian;
                    laplacianSquares += laplacian * laplacian;
                    laplacianCount++;
                }
            }
        }

        if (count == 0)
        {
            return new QualityMetrics(0, 0, 0, 0, 0);
        }

        double mean = sum / count;
        double sharpness = 0;
        if (laplacianCount > 1)
        {
            double lapMean = laplacianSum / laplacianCount;
            double variance = (laplacianSquares / laplacianCount) - (lapMean * lapMean);
            sharpness = Math.Max(variance, 0) / Math.Max(mean * mean, 1e-4);
        }

        return new QualityMetrics((float)sharpness, (float)mean, (float)dark / count, (float)bright / count, 0);
    }

    /// <summary>The box grown by <paramref name="margin"/> of its size on every side, kept inside the frame.</summary>
    private static RectangleF Grow(RectangleF box, float margin)
    {
        float x0 = Math.Max(0, box.X - (margin * box.Width)), y0 = Math.Max(0, box.Y - (margin * box.Height));
        float x1 = Math.Min(1, box.Right + (margin * box.Width)), y1 = Math.Min(1, box.Bottom + (margin * box.Height));
        return new RectangleF(x0, y0, x1 - x0, y1 - y0);
    }
}
