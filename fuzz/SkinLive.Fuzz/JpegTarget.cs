using SkinLive.Capture;
using SkinLive.Frames;

namespace SkinLive.Fuzz;

/// <summary>The (M)JPEG frame path: header, then decode into a frame laid out as the header says, as I420 and as RGB.</summary>
internal static class JpegTarget
{
    // One decoder reused across inputs, as a capture thread reuses its decoder across frames (state leaks would show).
    private static readonly JpegDecoder s_decoder = new();

    public static void Run(byte[] input)
    {
        if (!s_decoder.TryReadHeader(input, out JpegInfo info))
        {
            return;
        }

        if ((long)info.Width * info.Height > JpegDecoder.MaxPixels)
        {
            throw new InvalidOperationException($"A {info.Width}x{info.Height} header passed the {JpegDecoder.MaxPixels}-pixel limit.");
        }

        foreach (PixelFormat preferred in (ReadOnlySpan<PixelFormat>)[PixelFormat.I420, PixelFormat.Rgb24])
        {
            Frame frame = Frame.Create(JpegDecoder.OutputFormat(info, preferred), info.Width, info.Height, ColorSpec.Bt601Full);
            s_decoder.TryDecode(input, info, frame);
        }
    }
}
