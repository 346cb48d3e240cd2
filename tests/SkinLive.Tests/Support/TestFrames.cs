using SkinLive.Frames;

namespace SkinLive.Tests;

/// <summary>Deterministic frames for tests: smooth gradients with detail (like images) or white noise (worst case).</summary>
internal static class TestFrames
{
    public static Frame Noise(PixelFormat format, int width, int height, ColorSpec color, int seed)
    {
        Frame frame = Frame.Create(format, width, height, color);
        new Random(seed).NextBytes(frame.Data);
        return frame;
    }

    /// <summary>Every byte follows a smooth function of its position plus a little noise, so each plane looks like an image.</summary>
    public static Frame Smooth(PixelFormat format, int width, int height, ColorSpec color, int seed)
    {
        Frame frame = Frame.Create(format, width, height, color);
        var random = new Random(seed);
        Span<byte> data = frame.Data;
        double fx = 0.7 + random.NextDouble(), fy = 0.5 + random.NextDouble();
        for (int i = 0; i < data.Length; i++)
        {
            double t = i * 0.01;
            double v = 128 + (90 * Math.Sin((t * fx) + Math.Cos(i * 0.0003 * fy))) + random.Next(-20, 21);
            data[i] = (byte)Math.Clamp(v, 0, 255);
        }

        return frame;
    }
}

internal static class TensorDiff
{
    public static (double Max, double Mean) Compare(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0, sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = Math.Abs(a[i] - b[i]);
            Assert.False(double.IsNaN(d), $"NaN at element {i}");
            max = Math.Max(max, d);
            sum += d;
        }

        return (max, sum / a.Length);
    }
}
