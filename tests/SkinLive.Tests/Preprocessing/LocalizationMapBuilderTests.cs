using CsCheck;
using SkinLive.Frames;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Localization;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.Tests.Preprocessing;

public sealed class LocalizationMapBuilderTests
{
    [Fact]
    public void Map_matches_a_per_sample_transcription_of_the_shader_for_every_format_and_size() =>
        Gen.Select(Gen.Enum<PixelFormat>(), Gen.Int[1, 400], Gen.Int[1, 300], Gen.Int[1, 40], Gen.Int[1, 30], Gen.Enum<YuvMatrix>(), Gen.Enum<YuvRange>(), Gen.Int)
            .Sample((format, width, height, mapWidth, mapHeight, matrix, range, seed) =>
            {
                var color = new ColorSpec(matrix, range);
                Frame frame = seed % 2 == 0
                    ? TestFrames.Smooth(format, width, height, color, seed)
                    : TestFrames.Noise(format, width, height, color, seed);
                var builder = new LocalizationMapBuilder(mapWidth, mapHeight);
                float[] map = new float[builder.ElementCount];
                builder.Build(frame, map);
                float[] reference = ShaderReference(frame, mapWidth, mapHeight);
                (double max, _) = TensorDiff.Compare(map, reference);
                Assert.True(max < 1e-4, $"{format} {width}x{height} {color} -> {mapWidth}x{mapHeight}: max {max:G4}");
            }, iter: 300);

    public static TheoryData<PixelFormat, int, int> GpuCases()
    {
        var data = new TheoryData<PixelFormat, int, int>();
        foreach (PixelFormat format in Enum.GetValues<PixelFormat>())
        {
            data.Add(format, 640, 480);
            data.Add(format, 1280, 720);
        }

        data.Add(PixelFormat.Yuyv, 1920, 1080);
        data.Add(PixelFormat.Nv12, 333, 251);
        return data;
    }

    [Theory]
    [MemberData(nameof(GpuCases))]
    public void Map_matches_the_gpu_pass_on_the_headless_context(PixelFormat format, int width, int height)
    {
        Frame frame = TestFrames.Smooth(format, width, height, ColorSpec.Bt601Limited, seed: width);
        PreprocessSpec spec = PreprocessSpec.ImageNet(32, 32);
        using EglHeadlessContext context = EglHeadlessContext.Create();
        using var tensors = new TensorDoubleBuffer(spec.ElementCount);
        using var pipeline = new GpuFramePipeline(context, spec, tensors);
        pipeline.ProcessNow(frame, RectangleF.Unit, tensors, new float[spec.ElementCount]);
        LocalizationMap gpu = pipeline.Map;

        var builder = new LocalizationMapBuilder(gpu.Width, gpu.Height);
        float[] map = new float[builder.ElementCount];
        builder.Build(frame, map);
        double max = 0;
        for (int i = 0; i < gpu.Width * gpu.Height; i++)
        {
            max = Math.Max(max, Math.Abs(map[i * 4] - gpu.Darkness[i]));
            max = Math.Max(max, Math.Abs(map[(i * 4) + 1] - gpu.Luma[i]));
            max = Math.Max(max, Math.Abs(map[(i * 4) + 2] - gpu.ChromaRed[i]));
            max = Math.Max(max, Math.Abs(map[(i * 4) + 3] - gpu.ChromaBlue[i]));
        }

        Assert.True(max < 1e-3, $"{format} {width}x{height}: max {max:G4} from the GPU map");
    }

    [Fact]
    public void Map_shows_a_dark_square_where_the_frame_has_it_and_the_localizer_finds_it()
    {
        const int w = 640, h = 480;
        byte[] rgba = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                bool dark = x >= 240 && x < 400 && y >= 160 && y < 320;
                rgba.AsSpan(((y * w) + x) * 4, 4).Fill(dark ? (byte)30 : (byte)220);
            }
        }

        Frame frame = Frame.Create(PixelFormat.Yuyv, w, h, ColorSpec.Bt601Full);
        PixelEncoder.FromRgba(rgba, w, h, PixelFormat.Yuyv, ColorSpec.Bt601Full, frame.Data);
        var builder = new LocalizationMapBuilder();
        float[] map = new float[builder.ElementCount];
        builder.Build(frame, map);
        // Map cell (mx, my) covers frame pixels [4mx, 4mx+4) x [4my, 4my+4).
        Assert.InRange(map[((60 * 160) + 80) * 4], 0.85f, 0.92f);
        Assert.InRange(map[((10 * 160) + 10) * 4], 0.10f, 0.17f);
        Assert.InRange(map[(((60 * 160) + 80) * 4) + 1], 0.08f, 0.15f);
        int darkCells = 0;
        for (int i = 0; i < 160 * 120; i++)
        {
            darkCells += map[i * 4] > 0.5f ? 1 : 0;
        }

        Assert.Equal(40 * 40, darkCells);
        LocalizationResult result = new LesionLocalizer().Locate(map, LocalizationMapBuilder.Channels, frameId: 1);
        Assert.True(result.Detected);
        float iou = result.RawBox.IntersectionOverUnion(new RectangleF(240f / w, 160f / h, 160f / w, 160f / h));
        Assert.True(iou >= 0.9f, $"box {result.RawBox}, IoU {iou}");
    }

    [Fact]
    public void Maps_after_the_first_of_a_size_allocate_nothing()
    {
        Frame frame = TestFrames.Smooth(PixelFormat.Nv12, 1280, 720, ColorSpec.Bt709Limited, seed: 2);
        var builder = new LocalizationMapBuilder();
        float[] map = new float[builder.ElementCount];
        builder.Build(frame, map);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            builder.Build(frame, map);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.All(map, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_short_frame_or_map_is_refused()
    {
        var builder = new LocalizationMapBuilder(20, 10);
        byte[] data = new byte[PixelFormats.FrameBytes(PixelFormat.Yuyv, 31, 9) - 1];
        ArgumentException frame = Assert.Throws<ArgumentException>(() => builder.Build(data, PixelFormat.Yuyv, 31, 9, default, new float[builder.ElementCount]));
        Assert.Contains($"needs {data.Length + 1} bytes", frame.Message);
        ArgumentException map = Assert.Throws<ArgumentException>(() => builder.Build(new byte[data.Length + 1], PixelFormat.Yuyv, 31, 9, default, new float[builder.ElementCount - 1]));
        Assert.Contains("needs 800 floats", map.Message);
    }

    /// <summary>localization_map.frag.glsl line by line, per sample, over the reference colour conversion.</summary>
    private static float[] ShaderReference(Frame frame, int mapWidth, int mapHeight)
    {
        int w = frame.Width, h = frame.Height;
        float[] rgb = new float[w * h * 3];
        CpuPreprocessor.ConvertToRgb(frame.ReadOnlyData, frame.Format, w, h, frame.Color, rgb);
        float[] map = new float[mapWidth * mapHeight * 4];
        float cellX = (float)w / mapWidth, cellY = (float)h / mapHeight;
        for (int my = 0; my < mapHeight; my++)
        {
            for (int mx = 0; mx < mapWidth; mx++)
            {
                float luma = 0, absorption = 0, r = 0, g = 0, b = 0;
                for (int j = 0; j < 4; j++)
                {
                    for (int i = 0; i < 4; i++)
                    {
                        int px = Math.Clamp((int)((mx * cellX) + ((i + 0.5f) * cellX * 0.25f)), 0, w - 1);
                        int py = Math.Clamp((int)((my * cellY) + ((j + 0.5f) * cellY * 0.25f)), 0, h - 1);
                        int o = ((py * w) + px) * 3;
                        r += rgb[o];
                        g += rgb[o + 1];
                        b += rgb[o + 2];
                        luma += (rgb[o] * 0.299f) + (rgb[o + 1] * 0.587f) + (rgb[o + 2] * 0.114f);
                        absorption += 1f - rgb[o + 1] + (0.5f * (rgb[o + 2] - rgb[o + 1]));
                    }
                }

                int cell = ((my * mapWidth) + mx) * 4;
                map[cell] = Math.Clamp(absorption / 16f, 0f, 1f);
                map[cell + 1] = luma / 16f;
                map[cell + 2] = MathF.Log(((r / 16f) + 0.01f) / ((g / 16f) + 0.01f));
                map[cell + 3] = MathF.Log(((b / 16f) + 0.01f) / ((g / 16f) + 0.01f));
            }
        }

        return map;
    }
}
