namespace SkinLive.Localization;

/// <summary>
/// Finds a contact dermatoscope's round field of view (bright skin inside a dark rim/corners) in the luminance map and
/// fills, per pixel, the distance to the edge of the view (positive inside) and the radius normalized to the view.
/// Works in isotropic coordinates: x is scaled by the map pixel's aspect, so the circle stays a circle.
/// </summary>
internal sealed class FieldOfViewEstimator
{
    private const int LuminanceLevels = 256;

    // Corners darker than this fraction of the bright level are outside the scope's glass.
    private const float DarkCornerRatio = 0.35f;

    // The rim must be this much darker than the skin to be found at all.
    private const float MinRimStep = 0.1f;

    // The rim's edge pixels sit in the scope's own shading; the view starts this far inside the fitted circle.
    private const float RimMarginFraction = 0.02f;
    private const float MinRimMargin = 1.5f;

    private readonly int _width;
    private readonly int _height;
    private readonly float _pixelAspect;
    private readonly float[] _pointX;
    private readonly float[] _pointY;
    private readonly float[] _residual;
    private readonly float[] _sortScratch;
    private readonly int[] _luminanceHistogram = new int[LuminanceLevels];

    public FieldOfViewEstimator(int width, int height, float pixelAspect)
    {
        _width = width;
        _height = height;
        _pixelAspect = pixelAspect;
        int maxPoints = 2 * (width + height);
        _pointX = new float[maxPoints];
        _pointY = new float[maxPoints];
        _residual = new float[maxPoints];
        _sortScratch = new float[maxPoints];
    }

    public bool IsCircular { get; private set; }

    /// <summary>Circle centre and radius in isotropic map units (valid when <see cref="IsCircular"/>).</summary>
    public float CenterX { get; private set; }

    public float CenterY { get; private set; }

    public float Radius { get; private set; }

    /// <summary>Radius used to judge how deep a component reaches: the circle's, or half the map's shorter side.</summary>
    public float ReferenceRadius { get; private set; }

    public int ViewPixels { get; private set; }

    public FieldOfView ToNormalized()
    {
        float isoWidth = _width * _pixelAspect;
        return IsCircular
            ? new FieldOfView(true, CenterX / isoWidth, CenterY / _height, Radius / isoWidth, Radius / _height)
            : FieldOfView.WholeFrame;
    }

    public void Estimate(ReadOnlySpan<float> luminance, Span<float> depth, Span<float> radius)
    {
        IsCircular = TryFitCircle(luminance);
        float isoWidth = _width * _pixelAspect;
        float halfDiagonal = 0.5f * MathF.Sqrt((isoWidth * isoWidth) + (_height * _height));
        float cx = IsCircular ? CenterX : 0.5f * isoWidth;
        float cy = IsCircular ? CenterY : 0.5f * _height;
        float inner = IsCircular ? Radius - Math.Max(MinRimMargin, RimMarginFraction * Radius) : float.PositiveInfinity;
        float radiusScale = 1f / (IsCircular ? Radius : halfDiagonal);
        ReferenceRadius = IsCircular ? Radius : 0.5f * Math.Min(isoWidth, _height);

        int inView = 0;
        for (int y = 0; y < _height; y++)
        {
            float yi = y + 0.5f;
            float dy = yi - cy;
            float rowDepth = Math.Min(yi, _height - yi);
            int row = y * _width;
            for (int x = 0; x < _width; x++)
            {
                float xi = (x + 0.5f) * _pixelAspect;
                float dx = xi - cx;
                float distance = MathF.Sqrt((dx * dx) + (dy * dy));
                float d = Math.Min(Math.Min(rowDepth, xi), Math.Min(isoWidth - xi, inner - distance));
                depth[row + x] = d;
                radius[row + x] = distance * radiusScale;
                if (d > 0)
                {
                    inView++;
                }
            }
        }

        ViewPixels = inView;
    }

    private bool TryFitCircle(ReadOnlySpan<float> luminance)
    {
        float bright = BrightLevel(luminance);
        int cornerW = Math.Max(2, _width / 20), cornerH = Math.Max(2, _height / 20);
        float darkSum = 0;
        int darkCorners = 0;
        for (int corner = 0; corner < 4; corner++)
        {
            int x0 = (corner & 1) == 0 ? 0 : _width - cornerW;
            int y0 = (corner & 2) == 0 ? 0 : _height - cornerH;
            float mean = MeanOf(luminance, x0, y0, cornerW, cornerH);
            if (mean < DarkCornerRatio * bright && bright - mean > MinRimStep)
            {
                darkSum += mean;
                darkCorners++;
            }
        }

        if (darkCorners < 2)
        {
            return false;
        }

        float threshold = 0.5f * ((darkSum / darkCorners) + bright);
        int count = CollectRimPoints(luminance, threshold);
        if (count < 12 || !Fit(count, out float cx, out float cy, out float r))
        {
            return false;
        }

        // One robust refit: points where a lesion or hair sits on the rim are off the circle.
        float median = MedianResidual(count, cx, cy, r);
        float keep = Math.Max(1f, 3f * median);
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            if (_residual[i] <= keep)
            {
                _pointX[kept] = _pointX[i];
                _pointY[kept] = _pointY[i];
                kept++;
            }
        }

        if (kept < 12 || !Fit(kept, out cx, out cy, out r) || MedianResidual(kept, cx, cy, r) > 1.5f)
        {
            return false;
        }

        float isoWidth = _width * _pixelAspect;
        bool plausible = r > 0.15f * Math.Min(isoWidth, _height) && r < isoWidth + _height
            && cx > 0 && cx < isoWidth && cy > 0 && cy < _height;
        if (plausible)
        {
            CenterX = cx;
            CenterY = cy;
            Radius = r;
        }

        return plausible;
    }

    private float BrightLevel(ReadOnlySpan<float> luminance)
    {
        Span<int> histogram = _luminanceHistogram;
        histogram.Clear();
        for (int i = 0; i < luminance.Length; i++)
        {
            histogram[Math.Clamp((int)(luminance[i] * LuminanceLevels), 0, LuminanceLevels - 1)]++;
        }

        // The 90th percentile: skin inside the view even when the view covers only half the map, and above lesions.
        int rank = (int)(0.9f * luminance.Length), seen = 0;
        for (int level = 0; level < LuminanceLevels; level++)
        {
            seen += histogram[level];
            if (seen > rank)
            {
                return (level + 0.5f) / LuminanceLevels;
            }
        }

        return 1f;
    }

    private float MeanOf(ReadOnlySpan<float> luminance, int x0, int y0, int w, int h)
    {
        float sum = 0;
        for (int y = y0; y < y0 + h; y++)
        {
            foreach (float value in luminance.Slice((y * _width) + x0, w))
            {
                sum += value;
            }
        }

        return sum / (w * h);
    }

    /// <summary>
    /// Scans every row and column inwards from both ends to the first rim-to-skin crossing (sub-pixel). A line that
    /// starts bright enters the map inside the view (the circle is cut by the map edge there): no rim point.
    /// </summary>
    private int CollectRimPoints(ReadOnlySpan<float> luminance, float threshold)
    {
        int count = 0;
        for (int y = 0; y < _height; y++)
        {
            for (int direction = -1; direction <= 1; direction += 2)
            {
                int start = direction > 0 ? 0 : _width - 1;
                if (TryCrossing(luminance, (y * _width) + start, direction, _width, threshold, out float offset))
                {
                    _pointX[count] = (start + (direction * offset) + 0.5f) * _pixelAspect;
                    _pointY[count] = y + 0.5f;
                    count++;
                }
            }
        }

        for (int x = 0; x < _width; x++)
        {
            for (int direction = -1; direction <= 1; direction += 2)
            {
                int start = direction > 0 ? 0 : _height - 1;
                if (TryCrossing(luminance, (start * _width) + x, direction * _width, _height, threshold, out float offset))
                {
                    _pointX[count] = (x + 0.5f) * _pixelAspect;
                    _pointY[count] = start + (direction * offset) + 0.5f;
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Walks <paramref name="length"/> samples from <paramref name="first"/> by <paramref name="step"/>; the crossing's distance from the first sample.</summary>
    private static bool TryCrossing(ReadOnlySpan<float> luminance, int first, int step, int length, float threshold, out float offset)
    {
        offset = 0;
        if (luminance[first] >= threshold)
        {
            return false;
        }

        int index = first;
        for (int i = 1; i < length; i++)
        {
            float previous = luminance[index];
            index += step;
            float current = luminance[index];
            if (current >= threshold)
            {
                offset = i - 1 + ((threshold - previous) / (current - previous));
                return true;
            }
        }

        return false;
    }

    /// <summary>Algebraic (Kasa) least-squares circle through the first <paramref name="count"/> points.</summary>
    private bool Fit(int count, out float cx, out float cy, out float r)
    {
        double meanX = 0, meanY = 0;
        for (int i = 0; i < count; i++)
        {
            meanX += _pointX[i];
            meanY += _pointY[i];
        }

        meanX /= count;
        meanY /= count;

        // Centred coordinates keep the normal equations well conditioned: solve x^2+y^2 + D x + E y + F = 0.
        double sxx = 0, sxy = 0, syy = 0, sx = 0, sy = 0, sxz = 0, syz = 0, sz = 0;
        for (int i = 0; i < count; i++)
        {
            double x = _pointX[i] - meanX, y = _pointY[i] - meanY, z = (x * x) + (y * y);
            sxx += x * x;
            sxy += x * y;
            syy += y * y;
            sx += x;
            sy += y;
            sxz += x * z;
            syz += y * z;
            sz += z;
        }

        double n = count;
        double det = Det3(sxx, sxy, sx, sxy, syy, sy, sx, sy, n);
        cx = cy = r = 0;
        if (Math.Abs(det) < 1e-9)
        {
            return false;
        }

        double d = Det3(-sxz, sxy, sx, -syz, syy, sy, -sz, sy, n) / det;
        double e = Det3(sxx, -sxz, sx, sxy, -syz, sy, sx, -sz, n) / det;
        double f = Det3(sxx, sxy, -sxz, sxy, syy, -syz, sx, sy, -sz) / det;
        double r2 = ((d * d) + (e * e)) / 4 - f;
        if (!(r2 > 0))
        {
            return false;
        }

        cx = (float)(meanX - (d / 2));
        cy = (float)(meanY - (e / 2));
        r = (float)Math.Sqrt(r2);
        return true;
    }

    private static double Det3(double a, double b, double c, double d, double e, double f, double g, double h, double i) =>
        (a * ((e * i) - (f * h))) - (b * ((d * i) - (f * g))) + (c * ((d * h) - (e * g)));

    /// <summary>Fills the residuals of the first <paramref name="count"/> points and returns their median.</summary>
    private float MedianResidual(int count, float cx, float cy, float r)
    {
        for (int i = 0; i < count; i++)
        {
            float dx = _pointX[i] - cx, dy = _pointY[i] - cy;
            _residual[i] = MathF.Abs(MathF.Sqrt((dx * dx) + (dy * dy)) - r);
        }

        Span<float> sorted = _sortScratch.AsSpan(0, count);
        _residual.AsSpan(0, count).CopyTo(sorted);
        sorted.Sort();
        return sorted[count / 2];
    }
}
