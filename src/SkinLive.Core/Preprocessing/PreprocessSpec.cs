namespace SkinLive.Preprocessing;

public enum TensorLayout
{
    Nchw,
    Nhwc,
}

public enum ChannelOrder
{
    Rgb,
    Bgr,
}

/// <summary>
/// What the model expects, as torchvision computes it on a PIL image: bilinear antialiased resize to
/// <see cref="Width"/>×<see cref="Height"/>, then per channel <c>(pixel8 * Scale - Mean) / Std</c>, laid out as
/// <see cref="Layout"/> float32 with batch 1.
/// </summary>
public sealed record PreprocessSpec
{
    public PreprocessSpec(int width, int height, TensorLayout layout, ChannelOrder order, float scale, float[] mean, float[] std)
    {
        if (width < 1 || height < 1 || width > 4096 || height > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Model input size {width}x{height} is outside 1..4096.");
        }

        if (mean.Length != 3 || std.Length != 3)
        {
            throw new ArgumentException($"Mean and std need one value per channel (3); got {mean.Length} and {std.Length}.");
        }

        if (std.Any(s => !(Math.Abs(s) > 1e-12f) || !float.IsFinite(s)) || mean.Any(m => !float.IsFinite(m)) || !float.IsFinite(scale))
        {
            throw new ArgumentException("Mean, std and scale must be finite and std non-zero.");
        }

        Width = width;
        Height = height;
        Layout = layout;
        Order = order;
        Scale = scale;
        Mean = mean;
        Std = std;
    }

    public int Width { get; }
    public int Height { get; }
    public TensorLayout Layout { get; }
    public ChannelOrder Order { get; }
    public float Scale { get; }
    public IReadOnlyList<float> Mean { get; }
    public IReadOnlyList<float> Std { get; }

    public int ElementCount => 3 * Width * Height;

    /// <summary>torchvision's ImageNet recipe: ToTensor (÷255) then Normalize(mean, std), NCHW RGB.</summary>
    public static PreprocessSpec ImageNet(int width = 224, int height = 224, TensorLayout layout = TensorLayout.Nchw) =>
        new(width, height, layout, ChannelOrder.Rgb, 1f / 255f, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>Tensor index of channel <paramref name="c"/> (in model order) at output pixel (x, y).</summary>
    public int IndexOf(int c, int y, int x) =>
        Layout == TensorLayout.Nchw ? (c * Height + y) * Width + x : (y * Width + x) * 3 + c;
}
