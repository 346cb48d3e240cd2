using OpenCvSharp;
using SkinLive.Frames;
using SkinLive.Preprocessing;
using PixelFormat = SkinLive.Frames.PixelFormat;

namespace SkinLive.Bench.Peers;

/// <summary>
/// What a C# developer would write with OpenCvSharp: colour conversion with cvtColor, resize with INTER_AREA
/// (OpenCV's antialiased downscale), BlobFromImage for ÷255, mean and NCHW, then ÷std. The benchmark peer.
/// </summary>
public sealed class OpenCvPreprocessor : IDisposable
{
    private readonly PreprocessSpec _spec;
    private readonly Mat _rgb = new();
    private readonly Mat _resized = new();

    public OpenCvPreprocessor(PreprocessSpec spec)
    {
        if (spec.Layout != TensorLayout.Nchw)
        {
            throw new ArgumentException("The OpenCV peer produces NCHW tensors only.", nameof(spec));
        }

        _spec = spec;
    }

    public unsafe void Process(Frame frame, Span<float> tensor)
    {
        fixed (byte* data = frame.Data)
        {
            (MatType type, int cols, ColorConversionCodes? code) = frame.Format switch
            {
                PixelFormat.Rgba8 => (MatType.CV_8UC4, frame.Width, ColorConversionCodes.RGBA2RGB),
                PixelFormat.Bgra8 => (MatType.CV_8UC4, frame.Width, ColorConversionCodes.BGRA2RGB),
                PixelFormat.Rgb24 => (MatType.CV_8UC3, frame.Width, (ColorConversionCodes?)null),
                PixelFormat.Yuyv => (MatType.CV_8UC2, frame.Width, ColorConversionCodes.YUV2RGB_YUYV),
                PixelFormat.Uyvy => (MatType.CV_8UC2, frame.Width, ColorConversionCodes.YUV2RGB_UYVY),
                _ => throw new ArgumentException($"The OpenCV peer does not take {frame.Format} frames.", nameof(frame)),
            };
            using var source = Mat.FromPixelData(frame.Height, cols, type, (nint)data);
            if (code is { } conversion)
            {
                Cv2.CvtColor(source, _rgb, conversion);
            }
            else
            {
                source.CopyTo(_rgb);
            }
        }

        OpenCvBlob.ResizeAndNormalize(_rgb, _resized, _spec, swapRedBlue: false, tensor);
    }

    public void Dispose()
    {
        _rgb.Dispose();
        _resized.Dispose();
    }
}
