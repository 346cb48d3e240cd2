using System.Diagnostics;
using System.Numerics;
using SkinLive.Frames;

namespace SkinLive.Capture.Synthetic;

/// <summary>
/// A live synthetic dermatoscope. Each lesion scene (skin, lesion, hair) is drawn once into a texture larger than
/// the frame, plus a blurred copy; every frame is then only a fixed-point nearest-neighbour affine resample of that
/// texture (slow hand-held rotation, zoom and drift), a per-channel gain lookup (lighting drift), the scope's
/// vignette and, for YUYV, a BT.601 limited-range conversion — no allocation per frame. The next scene is drawn on
/// a worker while the current one plays. Frames are a pure function of the seed and the frame index, and each
/// carries its ground truth (class and the lesion's box, tracked through the motion).
/// </summary>
public sealed class SyntheticDermatoscopeSource : ThreadedFrameSource
{
    private const int PoolSize = 4;
    private const float MaxScaleDrift = 0.05f;
    private const float BlurWindowSeconds = 0.4f;
    private const float BlurWindowChance = 0.07f;

    private readonly SyntheticOptions _options;
    private readonly bool _drawLesion;
    private readonly int _side;
    private readonly float _maxTranslation;
    private readonly float[] _phases = new float[14];
    private readonly SceneCanvas _canvas = new();
    // Row-extent corners for the lesion hull, reused by every scene (one scene is drawn at a time, like the canvas).
    private readonly Vector2[] _hullPoints;
    private readonly uint[] _lutRed = GC.AllocateArray<uint>(256, pinned: true);
    private readonly uint[] _lutGreen = GC.AllocateArray<uint>(256, pinned: true);
    private readonly uint[] _lutBlue = GC.AllocateArray<uint>(256, pinned: true);
    private readonly uint[] _row;
    private readonly ushort[]? _vignette;
    private readonly int[] _clearFrom;
    private readonly int[] _clearTo;
    private SceneTexture _current;
    private SceneTexture _spare;
    private Task? _pending;

    public SyntheticDermatoscopeSource(SyntheticOptions options)
        : this(options, drawLesion: true)
    {
    }

    /// <summary><paramref name="drawLesion"/> false plays the same scenes without lesions (for ground-truth tests).</summary>
    internal SyntheticDermatoscopeSource(SyntheticOptions options, bool drawLesion)
        : base(CreatePool(options))
    {
        _options = options;
        _drawLesion = drawLesion;
        int width = options.Width;
        int height = options.Height;
        float frameSide = Math.Min(width, height);
        _maxTranslation = 0.06f * frameSide;

        // The texture must cover the frame under the largest rotation, zoom-out and drift, so the per-frame
        // resample never reads outside it and needs no bounds checks.
        float halfDiagonal = 0.5f * MathF.Sqrt((width * (float)width) + (height * (float)height));
        float reach = (halfDiagonal + (_maxTranslation * MathF.Sqrt(2f)) + 2f) / (1f - MaxScaleDrift);
        _side = (2 * (int)MathF.Ceiling(reach)) + 4;
        _current = new SceneTexture(_side);
        _spare = new SceneTexture(_side);
        _hullPoints = new Vector2[(2 * (_side + 1)) + 2];

        var rng = new SynthRandom(SynthRandom.Derive((ulong)options.Seed, 0x307));
        for (int i = 0; i < _phases.Length; i++)
        {
            _phases[i] = rng.Range(0, 2 * MathF.PI);
        }

        _row = GC.AllocateArray<uint>(width + 1, pinned: true);
        _clearFrom = new int[height];
        _clearTo = new int[height];
        if (options.Vignette)
        {
            _vignette = BuildVignette(width, height, _clearFrom, _clearTo);
        }
        else
        {
            Array.Fill(_clearTo, width);
        }
    }

    public override string Description =>
        $"synthetic {(_options.Class is int c ? HamClasses.Code(c) : "cycle")} seed {_options.Seed} {_options.Width}x{_options.Height} {_options.PixelFormat} {(_options.Fps > 0 ? $"{_options.Fps:0.##} fps" : "unpaced")}";

    public override double NominalFps => _options.Fps;

    /// <summary>Side of the square scene texture in pixels (it covers the frame under any motion).</summary>
    internal int TextureSide => _side;

    protected override void Run(CancellationToken stop)
    {
        EnsureScene(0);
        WaitHandle wake = stop.WaitHandle;
        double ticksPerFrame = _options.Fps > 0 ? Stopwatch.Frequency / _options.Fps : 0;
        long start = Stopwatch.GetTimestamp();
        long index = 0;
        while (!stop.IsCancellationRequested)
        {
            if (ticksPerFrame > 0 && WaitUntilDue(wake, ref start, index, ticksPerFrame))
            {
                return;
            }

            long captured = Frame.Now();
            ColorSpec color = _options.PixelFormat == PixelFormat.Yuyv ? ColorSpec.Bt601Limited : default;
            Frame? frame = RentFrame(_options.PixelFormat, _options.Width, _options.Height, color);
            index++;
            if (frame is null)
            {
                // The consumer holds every frame: like a camera, time moves on and this frame is lost.
                if (ticksPerFrame == 0 && wake.WaitOne(1))
                {
                    return;
                }

                continue;
            }

            RenderFrame(frame, index - 1);
            Publish(frame, captured);
        }
    }

    protected override void DisposeResources()
    {
        try
        {
            _pending?.Wait();
        }
        catch (AggregateException)
        {
            // The scene that failed to draw is never shown; disposing must not throw.
        }
    }

    /// <summary>Fills <paramref name="frame"/> (laid out as the options say) with frame number <paramref name="index"/> and sets its truth.</summary>
    internal void RenderFrame(Frame frame, long index)
    {
        double sceneFps = _options.Fps > 0 ? _options.Fps : SyntheticOptions.UnpacedSceneFps;
        double time = index / sceneFps;
        int scene = _options.SwitchSeconds > 0 ? (int)Math.Min(time / _options.SwitchSeconds, int.MaxValue - 1) : 0;
        EnsureScene(scene);
        float t = (float)(time % 3600.0);

        Pose pose = PoseAt(t);
        bool blurred = Noise.Unit(Noise.Hash((int)(time / BlurWindowSeconds), 0, (uint)_options.Seed + 0xB1)) < BlurWindowChance;
        uint[] texture = blurred ? _current.Blurred : _current.Sharp;
        BuildLookupTables(t);
        Resample(frame, texture, pose);
        frame.Truth = TruthAt(pose, blurred);
    }

    private static FramePool CreatePool(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new FramePool(PoolSize, options.PixelFormat, options.Width, options.Height);
    }

    private bool WaitUntilDue(WaitHandle wake, ref long start, long index, double ticksPerFrame)
    {
        long due = start + (long)(index * ticksPerFrame);
        long now = Stopwatch.GetTimestamp();
        if (now - due > 2 * ticksPerFrame)
        {
            // Fell behind (a stalled consumer or machine): re-anchor rather than burst to catch up.
            start = now - (long)(index * ticksPerFrame);
            return false;
        }

        while (true)
        {
            long remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return false;
            }

            double milliseconds = remaining * 1000.0 / Stopwatch.Frequency;
            if (milliseconds > 1.5)
            {
                if (wake.WaitOne((int)(milliseconds - 1)))
                {
                    return true;
                }
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    /// <summary>Makes <paramref name="scene"/> current (waiting for it if the worker is still drawing it) and starts drawing the next.</summary>
    private void EnsureScene(int scene)
    {
        if (_current.SceneIndex == scene)
        {
            return;
        }

        if (_pending is not null)
        {
            _pending.GetAwaiter().GetResult();
            _pending = null;
        }

        if (_spare.SceneIndex != scene)
        {
            DrawScene(_spare, scene);
        }

        (_current, _spare) = (_spare, _current);
        if (_options.SwitchSeconds > 0)
        {
            StartDrawing(_spare, scene + 1);
        }
    }

    /// <summary>Draws the next scene on a worker. A method of its own so the lambda's closure is allocated only here, once per scene.</summary>
    private void StartDrawing(SceneTexture target, int scene)
    {
        _pending = Task.Run(() => DrawScene(target, scene));
    }

    private void DrawScene(SceneTexture target, int scene)
    {
        int classIndex = _options.Class ?? (int)((uint)(_options.Seed + scene) % HamClasses.Count);
        ulong lesionSeed = SynthRandom.Derive((ulong)_options.Seed, 0x5CE4E000UL + (ulong)scene);
        SkinModel skin = SkinModel.Sample(lesionSeed);
        LesionModel lesion = LesionModel.Sample(classIndex, lesionSeed);
        var rng = new SynthRandom(SynthRandom.Derive(lesionSeed, 0x7E1));
        float frameSide = Math.Min(_options.Width, _options.Height);
        float scale = Math.Min(frameSide * rng.Range(0.85f, 1.2f), 0.4f * frameSide / (lesion.Radius * lesion.Aspect));
        float rotation = rng.Range(0, 2 * MathF.PI);
        float centreX = (_side * 0.5f) + (rng.Range(-0.06f, 0.06f) * frameSide);
        float centreY = (_side * 0.5f) + (rng.Range(-0.06f, 0.06f) * frameSide);
        int hairPerFrame = rng.Next(3, 20);
        ulong hairSeed = rng.NextUInt64();

        SceneRenderer.Render(_canvas, _side, _side, skin, _drawLesion ? lesion : null, new SceneView(scale, rotation, centreX, centreY));
        if (_options.Hair)
        {
            // As many hairs per frame area as a still would show.
            float frameAreas = _side * (float)_side / (_options.Width * (float)_options.Height);
            SceneRenderer.DrawHair(_canvas, hairSeed, (int)(hairPerFrame * frameAreas), frameSide);
        }

        ToTexture(_canvas, target.Sharp);
        target.HullCount = _drawLesion ? LesionHull(_canvas, _hullPoints, target.Hull) : 0;
        int blurRadius = Math.Max(1, (int)MathF.Round(frameSide / 240f));
        _canvas.Blur(blurRadius);
        ToTexture(_canvas, target.Blurred);
        target.BlurSpread = 2 * blurRadius;
        target.ClassIndex = classIndex;
        target.SceneIndex = scene;
    }

    private static void ToTexture(SceneCanvas canvas, uint[] texture)
    {
        float[] rgb = canvas.Rgb;
        int pixels = canvas.Width * canvas.Height;
        for (int p = 0; p < pixels; p++)
        {
            uint r = SyntheticDermatoscope.ToByte(rgb[p * 3]);
            uint g = SyntheticDermatoscope.ToByte(rgb[(p * 3) + 1]);
            uint b = SyntheticDermatoscope.ToByte(rgb[(p * 3) + 2]);
            texture[p] = r | (g << 8) | (b << 16) | 0xFF000000u;
        }
    }

    /// <summary>
    /// Convex hull (monotone chain) of every lesion pixel square, from the canvas row extents; per frame only its
    /// few corners are transformed to get a tight box under rotation.
    /// </summary>
    private static int LesionHull(SceneCanvas canvas, Span<Vector2> points, Vector2[] hull)
    {
        int count = 0;
        for (int y = 0; y <= canvas.Height; y++)
        {
            // Edge line y touches the bottom of row y-1 and the top of row y.
            int first = int.MaxValue;
            int end = int.MinValue;
            for (int row = y - 1; row <= y; row++)
            {
                if (row >= 0 && row < canvas.Height && canvas.RowFirst[row] >= 0)
                {
                    first = Math.Min(first, canvas.RowFirst[row]);
                    end = Math.Max(end, canvas.RowLast[row] + 1);
                }
            }

            if (end >= 0)
            {
                points[count++] = new Vector2(first, y);
                points[count++] = new Vector2(end, y);
            }
        }

        if (count == 0)
        {
            return 0;
        }

        // Points are sorted by (y, x); the chain works on any lexicographic order.
        int k = 0;
        for (int i = 0; i < count; i++)
        {
            while (k >= 2 && Cross(hull[k - 2], hull[k - 1], points[i]) <= 0)
            {
                k--;
            }

            hull[k++] = points[i];
        }

        int lower = k + 1;
        for (int i = count - 2; i >= 0; i--)
        {
            while (k >= lower && Cross(hull[k - 2], hull[k - 1], points[i]) <= 0)
            {
                k--;
            }

            hull[k++] = points[i];
        }

        return k - 1;
    }

    private static float Cross(Vector2 o, Vector2 a, Vector2 b) => ((a.X - o.X) * (b.Y - o.Y)) - ((a.Y - o.Y) * (b.X - o.X));

    /// <summary>Texture → frame: frame = FrameCentre + Shift + Scale · Rotate(Angle) · (texture − TextureCentre).</summary>
    private readonly record struct Pose(float Angle, float Scale, float ShiftX, float ShiftY);

    private Pose PoseAt(float t)
    {
        float[] p = _phases;
        const float Tau = 2 * MathF.PI;
        float angle = 0.14f * ((0.6f * MathF.Sin((Tau * 0.07f * t) + p[0])) + (0.4f * MathF.Sin((Tau * 0.19f * t) + p[1])));
        float scale = 1f + (MaxScaleDrift * ((0.7f * MathF.Sin((Tau * 0.05f * t) + p[2])) + (0.3f * MathF.Sin((Tau * 0.23f * t) + p[3]))));
        float shiftX = _maxTranslation * ((0.6f * MathF.Sin((Tau * 0.09f * t) + p[4])) + (0.3f * MathF.Sin((Tau * 0.31f * t) + p[5])) + (0.1f * MathF.Sin((Tau * 6.3f * t) + p[6])));
        float shiftY = _maxTranslation * ((0.6f * MathF.Sin((Tau * 0.08f * t) + p[7])) + (0.3f * MathF.Sin((Tau * 0.27f * t) + p[8])) + (0.1f * MathF.Sin((Tau * 5.7f * t) + p[9])));
        return new Pose(angle, scale, shiftX, shiftY);
    }

    private void BuildLookupTables(float t)
    {
        float[] p = _phases;
        const float Tau = 2 * MathF.PI;
        float gain = 1f + (0.08f * MathF.Sin((Tau * 0.13f * t) + p[10])) + (0.03f * MathF.Sin((Tau * 0.41f * t) + p[11]));
        float red = gain * (1f + (0.025f * MathF.Sin((Tau * 0.07f * t) + p[12])));
        float blue = gain * (1f + (0.025f * MathF.Sin((Tau * 0.05f * t) + p[13])));
        for (int i = 0; i < 256; i++)
        {
            _lutRed[i] = (uint)Math.Min(255, (int)((i * red) + 0.5f));
            _lutGreen[i] = (uint)Math.Min(255, (int)((i * gain) + 0.5f)) << 8;
            _lutBlue[i] = ((uint)Math.Min(255, (int)((i * blue) + 0.5f)) << 16) | 0xFF000000u;
        }
    }

    private unsafe void Resample(Frame frame, uint[] texture, Pose pose)
    {
        int width = _options.Width;
        int height = _options.Height;
        bool yuyv = _options.PixelFormat == PixelFormat.Yuyv;
        float a = MathF.Cos(pose.Angle) / pose.Scale;
        float b = MathF.Sin(pose.Angle) / pose.Scale;
        float originX = (width * 0.5f) + pose.ShiftX;
        float originY = (height * 0.5f) + pose.ShiftY;
        float centre = _side * 0.5f;
        int du = (int)(a * 65536f);
        int dv = (int)(-b * 65536f);
        int side = _side;
        fixed (uint* tex = texture)
        fixed (byte* output = frame.Data)
        fixed (uint* scratch = _row)
        fixed (uint* lutR = _lutRed)
        fixed (uint* lutG = _lutGreen)
        fixed (uint* lutB = _lutBlue)
        fixed (ushort* vignette = _vignette)
        {
            for (int y = 0; y < height; y++)
            {
                float py = y + 0.5f - originY;
                float px = 0.5f - originX;
                int u = (int)((centre + (a * px) + (b * py)) * 65536f);
                int v = (int)((centre - (b * px) + (a * py)) * 65536f);
                uint* row = yuyv ? scratch : (uint*)output + ((long)y * width);
                int clearFrom = _clearFrom[y];
                int clearTo = _clearTo[y];
                ushort* shade = vignette + ((long)y * width);
                for (int x = 0; x < width; x++)
                {
                    uint texel = tex[((v >> 16) * side) + (u >> 16)];
                    uint pixel = lutR[texel & 0xFF] | lutG[(texel >> 8) & 0xFF] | lutB[(texel >> 16) & 0xFF];
                    if (x < clearFrom || x >= clearTo)
                    {
                        pixel = Darken(pixel, shade[x]);
                    }

                    row[x] = pixel;
                    u += du;
                    v += dv;
                }

                if (yuyv)
                {
                    ToYuyvRow(scratch, output + ((long)y * PixelFormats.ChromaWidth(width) * 4), width);
                }
            }
        }
    }

    /// <summary>Scales the colour channels by <paramref name="factor"/>/256 (the vignette's rim).</summary>
    private static uint Darken(uint pixel, uint factor)
    {
        uint r = ((pixel & 0xFF) * factor) >> 8;
        uint g = (((pixel >> 8) & 0xFF) * factor) >> 8;
        uint b = (((pixel >> 16) & 0xFF) * factor) >> 8;
        return r | (g << 8) | (b << 16) | 0xFF000000u;
    }

    /// <summary>RGBA → YUYV, BT.601 limited range, chroma from the average of each pixel pair (an odd last pixel pairs with itself).</summary>
    private static unsafe void ToYuyvRow(uint* rgba, byte* yuyv, int width)
    {
        for (int x = 0; x < width; x += 2)
        {
            uint p0 = rgba[x];
            uint p1 = x + 1 < width ? rgba[x + 1] : p0;
            int r0 = (int)(p0 & 0xFF), g0 = (int)((p0 >> 8) & 0xFF), b0 = (int)((p0 >> 16) & 0xFF);
            int r1 = (int)(p1 & 0xFF), g1 = (int)((p1 >> 8) & 0xFF), b1 = (int)((p1 >> 16) & 0xFF);
            int r = (r0 + r1 + 1) >> 1, g = (g0 + g1 + 1) >> 1, b = (b0 + b1 + 1) >> 1;
            yuyv[0] = (byte)((((66 * r0) + (129 * g0) + (25 * b0) + 128) >> 8) + 16);
            yuyv[1] = (byte)((((-38 * r) - (74 * g) + (112 * b) + 128) >> 8) + 128);
            yuyv[2] = (byte)((((66 * r1) + (129 * g1) + (25 * b1) + 128) >> 8) + 16);
            yuyv[3] = (byte)((((112 * r) - (94 * g) - (18 * b) + 128) >> 8) + 128);
            yuyv += 4;
        }
    }

    private GroundTruth TruthAt(Pose pose, bool blurred)
    {
        SceneTexture scene = _current;
        if (scene.HullCount == 0)
        {
            return GroundTruth.None;
        }

        float c = MathF.Cos(pose.Angle) * pose.Scale;
        float s = MathF.Sin(pose.Angle) * pose.Scale;
        float originX = (_options.Width * 0.5f) + pose.ShiftX;
        float originY = (_options.Height * 0.5f) + pose.ShiftY;
        float centre = _side * 0.5f;
        float minX = float.MaxValue, minY = float.MaxValue, maxX = float.MinValue, maxY = float.MinValue;
        for (int i = 0; i < scene.HullCount; i++)
        {
            float hx = scene.Hull[i].X - centre;
            float hy = scene.Hull[i].Y - centre;
            float x = originX + (c * hx) - (s * hy);
            float y = originY + (s * hx) + (c * hy);
            minX = Math.Min(minX, x);
            maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y);
            maxY = Math.Max(maxY, y);
        }

        // Nearest sampling shows a texel in every pixel whose centre maps into it: one pixel of slack; a blurred
        // texture spreads the lesion further.
        float margin = 1f + (blurred ? scene.BlurSpread * pose.Scale : 0f);
        float left = Math.Max(0f, MathF.Floor(minX - margin));
        float top = Math.Max(0f, MathF.Floor(minY - margin));
        float right = Math.Min(_options.Width, MathF.Ceiling(maxX + margin));
        float bottom = Math.Min(_options.Height, MathF.Ceiling(maxY + margin));
        if (right <= left || bottom <= top)
        {
            return GroundTruth.None;
        }

        var box = new RectangleF(left / _options.Width, top / _options.Height, (right - left) / _options.Width, (bottom - top) / _options.Height);
        return new GroundTruth(true, scene.ClassIndex, box);
    }

    /// <summary>
    /// Darkening factors (0..256) of a contact dermatoscope's circular rim, fixed to the frame; per row, the
    /// columns [clearFrom, clearTo) are untouched so the resample loop skips the multiply there.
    /// </summary>
    private static ushort[] BuildVignette(int width, int height, int[] clearFrom, int[] clearTo)
    {
        var factors = GC.AllocateArray<ushort>(width * height, pinned: true);
        float radius = 0.5f * Math.Max(width * 0.96f, height * 1.1f);
        float inner = radius * 0.93f;
        const float Floor = 0.03f;
        float cx = width * 0.5f;
        float cy = height * 0.5f;
        for (int y = 0; y < height; y++)
        {
            int from = width;
            int to = 0;
            for (int x = 0; x < width; x++)
            {
                float dx = x + 0.5f - cx;
                float dy = y + 0.5f - cy;
                float d = MathF.Sqrt((dx * dx) + (dy * dy));
                float f = Floor + ((1f - Floor) * (1f - Noise.SmoothStep(inner, radius, d)));
                ushort factor = (ushort)Math.Clamp((int)((f * 256f) + 0.5f), 0, 256);
                factors[(y * width) + x] = factor;
                if (factor == 256)
                {
                    from = Math.Min(from, x);
                    to = x + 1;
                }
            }

            clearFrom[y] = from;
            clearTo[y] = Math.Max(from, to);
        }

        return factors;
    }

    /// <summary>One drawn scene: its sharp and blurred RGBA texture, the lesion's hull in texture pixels and its class.</summary>
    private sealed class SceneTexture(int side)
    {
        public uint[] Sharp { get; } = GC.AllocateUninitializedArray<uint>(side * side, pinned: true);

        public uint[] Blurred { get; } = GC.AllocateUninitializedArray<uint>(side * side, pinned: true);

        public Vector2[] Hull { get; } = new Vector2[(2 * (side + 1)) + 3];

        public int HullCount { get; set; }

        public int SceneIndex { get; set; } = -1;

        public int ClassIndex { get; set; }

        public int BlurSpread { get; set; }
    }
}
