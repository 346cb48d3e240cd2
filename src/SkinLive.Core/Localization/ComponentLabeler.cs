namespace SkinLive.Localization;

/// <summary>Shape and contrast statistics of one 8-connected component, in isotropic map units where noted.</summary>
internal struct ComponentStats
{
    public int Area;
    public int MinX, MinY, MaxX, MaxY;
    public double SumX, SumY, SumXX, SumYY, SumXY;
    public double SumContrast, SumContrastSquared;
    public float MinDepth, MaxDepth;

    public void Start(int x, int y)
    {
        this = default;
        MinX = MaxX = x;
        MinY = MaxY = y;
        MinDepth = float.PositiveInfinity;
        MaxDepth = float.NegativeInfinity;
    }

    public void Add(int x, int y, float xi, float yi, float contrast, float depth)
    {
        Area++;
        MinX = Math.Min(MinX, x);
        MaxX = Math.Max(MaxX, x);
        MinY = Math.Min(MinY, y);
        MaxY = Math.Max(MaxY, y);
        SumX += xi;
        SumY += yi;
        SumXX += xi * xi;
        SumYY += yi * yi;
        SumXY += xi * yi;
        SumContrast += contrast;
        SumContrastSquared += contrast * contrast;
        MinDepth = Math.Min(MinDepth, depth);
        MaxDepth = Math.Max(MaxDepth, depth);
    }

    public readonly float FillRatio => (float)Area / ((MaxX - MinX + 1) * (MaxY - MinY + 1));

    /// <summary>Minor-axis width (4σ of the minor axis, the full width of an equivalent ellipse) and major/minor ratio.</summary>
    public readonly (float MinorWidth, float Elongation) Axes(float pixelAspect)
    {
        double n = Area;
        double mx = SumX / n, my = SumY / n;

        // Each pixel is a small rectangle, not a point: add its own variance so one-pixel-wide shapes are not "zero" wide.
        double vxx = (SumXX / n) - (mx * mx) + (pixelAspect * pixelAspect / 12.0);
        double vyy = (SumYY / n) - (my * my) + (1 / 12.0);
        double vxy = (SumXY / n) - (mx * my);
        double mean = (vxx + vyy) / 2, spread = Math.Sqrt((((vxx - vyy) / 2) * ((vxx - vyy) / 2)) + (vxy * vxy));
        double major = mean + spread, minor = Math.Max(mean - spread, 1e-9);
        return ((float)(4 * Math.Sqrt(minor)), (float)Math.Sqrt(major / minor));
    }
}

/// <summary>Two-pass union-find labelling of 8-connected components with statistics; all buffers are allocated once.</summary>
internal sealed class ComponentLabeler
{
    private readonly int _width;
    private readonly int _height;
    private readonly float _pixelAspect;
    private readonly int[] _labels;
    private readonly int[] _parent;
    private readonly int[] _compact;
    private readonly ComponentStats[] _stats;

    public ComponentLabeler(int width, int height, float pixelAspect)
    {
        _width = width;
        _height = height;
        _pixelAspect = pixelAspect;
        _labels = new int[width * height];

        // A new provisional label needs its west, north-west, north and north-east neighbours empty, which bounds the
        // count by about a quarter of the pixels; half leaves ample room.
        int maxLabels = (width * height / 2) + width + 2;
        _parent = new int[maxLabels];
        _compact = new int[maxLabels];
        _stats = new ComponentStats[maxLabels];
    }

    public int Count { get; private set; }

    public ref readonly ComponentStats this[int component] => ref _stats[component];

    /// <summary>Labels the mask's pixels that are in view (depth &gt; 0) and collects each component's statistics.</summary>
    public void Label(ReadOnlySpan<byte> mask, ReadOnlySpan<float> depth, ReadOnlySpan<float> contrast)
    {
        int next = 1;
        for (int y = 0; y < _height; y++)
        {
            int row = y * _width;
            for (int x = 0; x < _width; x++)
            {
                int i = row + x;
                if (mask[i] == 0 || depth[i] <= 0)
                {
                    _labels[i] = 0;
                    continue;
                }

                int label = 0;
                label = Join(label, x > 0 ? _labels[i - 1] : 0);
                if (y > 0)
                {
                    int above = i - _width;
                    label = Join(label, x > 0 ? _labels[above - 1] : 0);
                    label = Join(label, _labels[above]);
                    label = Join(label, x < _width - 1 ? _labels[above + 1] : 0);
                }

                if (label == 0)
                {
                    label = next++;
                    _parent[label] = label;
                }

                _labels[i] = label;
            }
        }

        // Roots always carry the smallest label of their set, so one forward sweep flattens every chain.
        int count = 0;
        for (int label = 1; label < next; label++)
        {
            int root = _parent[label] = _parent[_parent[label]];
            _compact[label] = root == label ? count++ : _compact[root];
        }

        Count = count;
        for (int c = 0; c < count; c++)
        {
            _stats[c].Area = 0;
        }

        for (int y = 0; y < _height; y++)
        {
            int row = y * _width;
            float yi = y + 0.5f;
            for (int x = 0; x < _width; x++)
            {
                int label = _labels[row + x];
                if (label == 0)
                {
                    continue;
                }

                ref ComponentStats stats = ref _stats[_compact[label]];
                if (stats.Area == 0)
                {
                    stats.Start(x, y);
                }

                stats.Add(x, y, (x + 0.5f) * _pixelAspect, yi, contrast[row + x], depth[row + x]);
            }
        }
    }

    /// <summary>Merges the set of <paramref name="neighbour"/> into <paramref name="label"/>'s; returns the merged root.</summary>
    private int Join(int label, int neighbour)
    {
        if (neighbour == 0)
        {
            return label;
        }

        int b = Find(neighbour);
        if (label == 0)
        {
            return b;
        }

        int a = Find(label);
        if (a == b)
        {
            return a;
        }

        int root = Math.Min(a, b);
        _parent[Math.Max(a, b)] = root;
        return root;
    }

    private int Find(int label)
    {
        while (_parent[label] != label)
        {
            _parent[label] = _parent[_parent[label]];
            label = _parent[label];
        }

        return label;
    }
}
