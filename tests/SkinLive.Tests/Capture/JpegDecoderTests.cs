using SkinLive.Capture;
using SkinLive.Frames;
using static SkinLive.Tests.Capture.CaptureTestSupport;

namespace SkinLive.Tests.Capture;

public sealed class JpegDecoderTests
{
    private const int Width = 64, Height = 48;

    /// <summary>A smooth planar YUV picture (full range) with chroma planes of the given size.</summary>
    private static (byte[] Y, byte[] U, byte[] V) Picture(int chromaWidth, int chromaHeight)
    {
        byte[] y = new byte[Width * Height], u = new byte[chromaWidth * chromaHeight], v = new byte[chromaWidth * chromaHeight];
        for (int row = 0; row < Height; row++)
        {
            for (int column = 0; column < Width; column++)
            {
                y[(row * Width) + column] = (byte)(16 + (2 * column) + (2 * row));
            }
        }

        for (int row = 0; row < chromaHeight; row++)
        {
            for (int column = 0; column < chromaWidth; column++)
            {
                u[(row * chromaWidth) + column] = (byte)(64 + (column * 64 / chromaWidth));
                v[(row * chromaWidth) + column] = (byte)(192 - (row * 64 / chromaHeight));
            }
        }

        return (y, u, v);
    }

    private static byte[] Encode(TempFolder folder, byte[] raw, string pixelFormat)
    {
        File.WriteAllBytes(folder.File("raw"), raw);
        Ffmpeg("-f", "rawvideo", "-pix_fmt", pixelFormat, "-s", $"{Width}x{Height}", "-i", folder.File("raw"),
            "-frames:v", "1", "-q:v", "2", "-pix_fmt", pixelFormat == "rgb24" ? "yuvj444p" : pixelFormat, folder.File("out.jpg"));
        return File.ReadAllBytes(folder.File("out.jpg"));
    }

    private static void AssertClose(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string plane, double meanLimit, int maxLimit)
    {
        Assert.Equal(expected.Length, actual.Length);
        long sum = 0;
        int max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int difference = Math.Abs(expected[i] - actual[i]);
            sum += difference;
            max = Math.Max(max, difference);
        }

        double mean = (double)sum / expected.Length;
        Assert.True(mean <= meanLimit && max <= maxLimit, $"{plane}: mean error {mean:0.00} (limit {meanLimit}), max {max} (limit {maxLimit}).");
    }

    private static Frame Decode(JpegDecoder decoder, byte[] jpeg, PixelFormat preferred)
    {
        Assert.True(decoder.TryReadHeader(jpeg, out JpegInfo info), decoder.LastError);
        Assert.Equal((Width, Height), (info.Width, info.Height));
        Frame frame = Frame.Create(JpegDecoder.OutputFormat(info, preferred), info.Width, info.Height, ColorSpec.Bt601Full);
        Assert.True(decoder.TryDecode(jpeg, info, frame), decoder.LastError);
        return frame;
    }

    [Fact]
    public void A_420_jpeg_from_ffmpeg_decodes_to_i420_close_to_the_original()
    {
        using var folder = new TempFolder();
        var (y, u, v) = Picture(Width / 2, Height / 2);
        byte[] jpeg = Encode(folder, [.. y, .. u, .. v], "yuvj420p");
        using var decoder = new JpegDecoder();
        Frame frame = Decode(decoder, jpeg, PixelFormat.I420);
        Assert.Equal(PixelFormat.I420, frame.Format);
        ReadOnlySpan<byte> data = frame.ReadOnlyData;
        AssertClose(y, data[..y.Length], "Y", 1.5, 12);
        AssertClose(u, data.Slice(y.Length, u.Length), "U", 1.5, 12);
        AssertClose(v, data[(y.Length + u.Length)..], "V", 1.5, 12);
    }

    [Fact]
    public void A_422_webcam_style_jpeg_decodes_to_i420_with_averaged_chroma()
    {
        using var folder = new TempFolder();
        var (y, u, v) = Picture(Width / 2, Height);
        byte[] jpeg = Encode(folder, [.. y, .. u, .. v], "yuvj422p");
        using var decoder = new JpegDecoder();
        Frame frame = Decode(decoder, jpeg, PixelFormat.I420);
        Assert.Equal(PixelFormat.I420, frame.Format);

        static byte[] Halve(byte[] plane, int width) =>
            Enumerable.Range(0, plane.Length / 2).Select(i => (byte)((plane[(i / width * 2 * width) + (i % width)] + plane[(((i / width * 2) + 1) * width) + (i % width)] + 1) / 2)).ToArray();

        ReadOnlySpan<byte> data = frame.ReadOnlyData;
        int quarter = Width / 2 * (Height / 2);
        AssertClose(y, data[..y.Length], "Y", 1.5, 12);
        AssertClose(Halve(u, Width / 2), data.Slice(y.Length, quarter), "U", 1.5, 12);
        AssertClose(Halve(v, Width / 2), data[(y.Length + quarter)..], "V", 1.5, 12);
    }

    [Fact]
    public void A_jpeg_from_rgb_decodes_to_rgb_close_to_the_original()
    {
        using var folder = new TempFolder();
        byte[] rgb = new byte[Width * Height * 3];
        for (int i = 0; i < Width * Height; i++)
        {
            int x = i % Width, row = i / Width;
            rgb[3 * i] = (byte)(x * 4);
            rgb[(3 * i) + 1] = (byte)(row * 5);
            rgb[(3 * i) + 2] = (byte)((x + row) * 2);
        }

        byte[] jpeg = Encode(folder, rgb, "rgb24");
        using var decoder = new JpegDecoder();
        Frame frame = Decode(decoder, jpeg, PixelFormat.Rgb24);
        Assert.Equal(PixelFormat.Rgb24, frame.Format);
        AssertClose(rgb, frame.ReadOnlyData, "RGB", 2.0, 16);
    }

    [Fact]
    public void Truncated_and_garbage_jpegs_are_skipped_and_counted()
    {
        using var folder = new TempFolder();
        var (y, u, v) = Picture(Width / 2, Height / 2);
        byte[] jpeg = Encode(folder, [.. y, .. u, .. v], "yuvj420p");
        using var decoder = new JpegDecoder();

        // Cut halfway through the entropy-coded data that follows the start-of-scan marker (FF DA).
        int scan = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        Assert.True(scan > 0, "The JPEG has no start-of-scan marker.");
        byte[] truncated = jpeg[..(scan + ((jpeg.Length - scan) / 2))];
        Assert.True(decoder.TryReadHeader(truncated, out JpegInfo info), "The header survives the cut.");
        Frame frame = Frame.Create(PixelFormat.I420, Width, Height);
        Assert.False(decoder.TryDecode(truncated, info, frame));
        Assert.Equal(1, decoder.Corrupt);

        byte[] garbage = new byte[4096];
        new Random(5).NextBytes(garbage);
        Assert.False(decoder.TryReadHeader(garbage, out _));
        Assert.False(decoder.TryReadHeader([], out _));
        Assert.Equal(3, decoder.Corrupt);

        // The decoder is still usable after the failures.
        Assert.Equal(PixelFormat.I420, Decode(decoder, jpeg, PixelFormat.I420).Format);
        Assert.Equal(3, decoder.Corrupt);
    }
}
