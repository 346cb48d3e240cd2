using System.Numerics;

namespace SkinLive.Capture.Synthetic;

/// <summary>
/// The float working buffers a scene is drawn into: colour (3 floats per pixel), lesion mask, and a coverage
/// layer into which primitives of one colour are stamped before being blended in one go (so overlapping strokes
/// do not darken twice). Buffers grow to the largest size asked and are reused.
/// </summary>
internal sealed class SceneCanvas
{
    private float[] _blurTemp = [];
    private int _layerMinX;
    private int _layerMinY;
    private int _layerMaxX;
    private int _layerMaxY;

    public int Width { get; private set; }

    public int Height { get; private set; }

    public float[] Rgb { get; private set; } = [];

    public float[] Mask { get; private set; } = [];

    private float[] Layer { get; set; } = [];

    /// <summary>Per row, the first and last column where the lesion mask is non-zero (-1 when none).</summary>
    public int[] RowFirst { get; private set; } = [];

    public int[] RowLast { get; private set; } = [];

    public void Resize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        int pixels = checked(width * height);
        if (Mask.Length < pixels)
        {
            Rgb = new float[pixels * 3];
            Mask = new float[pixels];
            Layer = new float[pixels];
            _blurTemp = new float[pixels * 3];
        }

        if (RowFirst.Length < height)
        {
            RowFirst = new int[height];
            RowLast = new int[height];
        }

        Width = width;
        Height = height;
        ResetLayerBounds();
    }

    /// <summary>Adds a soft disc to the coverage layer (coverage keeps the maximum, it does not add up).</summary>
    public void StampDisc(float cx, float cy, float radius, float softness, float strength)
    {
        float outer = radius + 0.5f;
        float inner = Math.Min(radius * (1f - softness), outer - 0.5f);
        int x0 = Math.Max(0, (int)MathF.Floor(cx - outer));
        int x1 = Math.Min(Width - 1, (int)MathF.Ceiling(cx + outer));
        int y0 = Math.Max(0, (int)MathF.Floor(cy - outer));
        int y1 = Math.Min(Height - 1, (int)MathF.Ceiling(cy + outer));
        if (x0 > x1 || y0 > y1)
        {
            return;
        }

        // A disc smaller than a pixel still shows, faintly, in proportion to its area.
        float small = Math.Min(1f, radius * 2f);
        for (int y = y0; y <= y1; y++)
        {
            float dy = y + 0.5f - cy;
            int row = y * Width;
            for (int x = x0; x <= x1; x++)
            {
                float dx = x + 0.5f - cx;
                float d = MathF.Sqrt((dx * dx) + (dy * dy));
                float c = (1f - Noise.SmoothStep(inner, outer, d)) * strength * small;
                if (c > Layer[row + x])
                {
                    Layer[row + x] = c;
                }
            }
        }

        Touch(x0, y0, x1, y1);
    }

    /// <summary>Adds an antialiased tapered stroke (widths in pixels) to the coverage layer.</summary>
    public void StampStroke(float ax, float ay, float bx, float by, float width0, float width1, float strength)
    {
        float reach = (Math.Max(width0, width1) * 0.5f) + 1f;
        int x0 = Math.Max(0, (int)MathF.Floor(Math.Min(ax, bx) - reach));
        int x1 = Math.Min(Width - 1, (int)MathF.Ceiling(Math.Max(ax, bx) + reach));
        int y0 = Math.Max(0, (int)MathF.Floor(Math.Min(ay, by) - reach));
        int y1 = Math.Min(Height - 1, (int)MathF.Ceiling(Math.Max(ay, by) + reach));
        if (x0 > x1 || y0 > y1)
        {
            return;
        }

        float ex = bx - ax;
        float ey = by - ay;
        float lengthSquared = Math.Max((ex * ex) + (ey * ey), 1e-6f);
        for (int y = y0; y <= y1; y++)
        {
            float py = y + 0.5f - ay;
            int row = y * Width;
            for (int x = x0; x <= x1; x++)
            {
                float px = x + 0.5f - ax;
                float t = Math.Clamp(((px * ex) + (py * ey)) / lengthSquared, 0f, 1f);
                float dx = px - (t * ex);
                float dy = py - (t * ey);
                float half = (width0 + ((width1 - width0) * t)) * 0.5f;
                float d = MathF.Sqrt((dx * dx) + (dy * dy));
                // Thin strokes (under a pixel) fade by their width rather than vanish.
                float c = Math.Clamp(half + 0.5f - d, 0f, 1f) * Math.Min(1f, half * 2f) * strength;
                if (c > Layer[row + x])
                {
                    Layer[row + x] = c;
                }
            }
        }

        Touch(x0, y0, x1, y1);
    }

    /// <summary>Blends <paramref name="colour"/> over the image by the layer's coverage (times the lesion mask when clipping), then clears the layer.</summary>
    public void CompositeLayer(Vector3 colour, float opacity, bool clipToLesion)
    {
        if (_layerMinX > _layerMaxX)
        {
            return;
        }

        for (int y = _layerMinY; y <= _layerMaxY; y++)
        {
            int row = y * Width;
            for (int x = _layerMinX; x <= _layerMaxX; x++)
            {
                int p = row + x;
                float a = Layer[p] * opacity;
                if (clipToLesion)
                {
                    a *= Mask[p];
                }

                Layer[p] = 0;
                if (a > 0)
                {
                    int i = p * 3;
                    Rgb[i] += (colour.X - Rgb[i]) * a;
                    Rgb[i + 1] += (colour.Y - Rgb[i + 1]) * a;
                    Rgb[i + 2] += (colour.Z - Rgb[i + 2]) * a;
                }
            }
        }

        ResetLayerBounds();
    }

    /// <summary>Two separable box passes of <paramref name="radius"/> pixels (close to a Gaussian); edges clamp. Spreads a pixel by at most 2 × radius.</summary>
    public void Blur(int radius)
    {
        if (radius <= 0)
        {
            return;
        }

        for (int pass = 0; pass < 2; pass++)
        {
            BoxHorizontal(Rgb, _blurTemp, radius);
            BoxVertical(_blurTemp, Rgb, radius);
        }
    }

    // Each output sums its own window afresh: a running sum would carry rounding from far away, so a change in
    // one place (the lesion) would flip the rounding of distant pixels.
    private void BoxHorizontal(float[] source, float[] target, int radius)
    {
        float norm = 1f / ((2 * radius) + 1);
        int w = Width;
        for (int y = 0; y < Height; y++)
        {
            int row = y * w * 3;
            for (int x = 0; x < w; x++)
            {
                float r = 0, g = 0, b = 0;
                for (int k = x - radius; k <= x + radius; k++)
                {
                    int i = row + (Math.Clamp(k, 0, w - 1) * 3);
                    r += source[i];
                    g += source[i + 1];
                    b += source[i + 2];
                }

                int o = row + (x * 3);
                target[o] = r * norm;
                target[o + 1] = g * norm;
                target[o + 2] = b * norm;
            }
        }
    }

    private void BoxVertical(float[] source, float[] target, int radius)
    {
        float norm = 1f / ((2 * radius) + 1);
        int stride = Width * 3;
        for (int y = 0; y < Height; y++)
        {
            int row = y * stride;
            for (int column = 0; column < stride; column++)
            {
                float sum = 0;
                for (int k = y - radius; k <= y + radius; k++)
                {
                    sum += source[(Math.Clamp(k, 0, Height - 1) * stride) + column];
                }

                target[row + column] = sum * norm;
            }
        }
    }

    private void Touch(int x0, int y0, int x1, int y1)
    {
        _layerMinX = Math.Min(_layerMinX, x0);
        _layerMinY = Math.Min(_layerMinY, y0);
        _layerMaxX = Math.Max(_layerMaxX, x1);
        _layerMaxY = Math.Max(_layerMaxY, y1);
    }

    private void ResetLayerBounds()
    {
        _layerMinX = int.MaxValue;
        _layerMinY = int.MaxValue;
        _layerMaxX = int.MinValue;
        _layerMaxY = int.MinValue;
    }
}
