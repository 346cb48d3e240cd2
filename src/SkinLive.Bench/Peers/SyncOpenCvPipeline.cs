using OpenCvSharp;
using OpenCvSharp.Dnn;
using SkinLive.Frames;
using SkinLive.Preprocessing;
using PixelFormat = SkinLive.Frames.PixelFormat;

namespace SkinLive.Bench.Peers;

/// <summary>
/// The live loop a C# developer would write with OpenCvSharp and ONNX Runtime, one frame at a time on one thread:
/// cvtColor to BGR, resize with INTER_AREA, <see cref="CvDnn.BlobFromImage(Mat, double, Size, Scalar, bool, bool, int)"/>
/// (÷std by hand), <c>InferenceSession.Run</c> through <see cref="PlainOrtClassifier"/>, then the verdict drawn on
/// the frame with <see cref="Cv2.Rectangle(InputOutputArray, Rect, Scalar, int, LineTypes, int)"/> and
/// <see cref="Cv2.PutText"/>. It has no lesion localizer, so it classifies the whole frame and boxes what it
/// classified. The benchmark peer of the whole SkinLive pipeline; the three steps are separate methods so the
/// benchmark can time each.
/// </summary>
public sealed class SyncOpenCvPipeline : IDisposable
{
    private const int BoxInset = 8;
    private readonly PreprocessSpec _spec;
    private readonly IReadOnlyList<string> _labels;
    private readonly PlainOrtClassifier _classifier;
    private readonly Mat _resized = new();
    private readonly float[] _tensor;
    private float[] _probabilities = [];

    public SyncOpenCvPipeline(string modelPath, PreprocessSpec spec, IReadOnlyList<string> labels, int threads)
    {
        if (spec.Layout != TensorLayout.Nchw)
        {
            throw new ArgumentException("The OpenCV peer produces NCHW tensors only.", nameof(spec));
        }

        _spec = spec;
        _labels = labels;
        _classifier = new PlainOrtClassifier(modelPath, threads);
        if (_classifier.ElementCount != spec.ElementCount)
        {
            _classifier.Dispose();
            throw new ArgumentException($"The model takes {_classifier.ElementCount} floats; the spec makes {spec.ElementCount}.", nameof(spec));
        }

        _tensor = new float[spec.ElementCount];
    }

    /// <summary>The frame as BGR, with the verdict drawn on it after <see cref="Draw"/>.</summary>
    public Mat Picture { get; } = new();

    /// <summary>The model input the last <see cref="Preprocess"/> made.</summary>
    public ReadOnlySpan<float> Tensor => _tensor;

    /// <summary>The softmax probabilities of the last <see cref="Classify"/> (empty before the first).</summary>
    public ReadOnlySpan<float> Probabilities => _probabilities;

    /// <summary>Index of the top class of the last <see cref="Classify"/> (-1 before the first).</summary>
    public int TopClass { get; private set; } = -1;

    public float TopProbability { get; private set; }

    /// <summary>Converts <paramref name="frame"/> to BGR (kept for drawing) and makes the model's input tensor from it.</summary>
    public unsafe void Preprocess(Frame frame)
    {
        fixed (byte* data = frame.Data)
        {
            (MatType type, int rows, ColorConversionCodes code) = frame.Format switch
            {
                PixelFormat.Rgba8 => (MatType.CV_8UC4, frame.Height, ColorConversionCodes.RGBA2BGR),
                PixelFormat.Bgra8 => (MatType.CV_8UC4, frame.Height, ColorConversionCodes.BGRA2BGR),
                PixelFormat.Rgb24 => (MatType.CV_8UC3, frame.Height, ColorConversionCodes.RGB2BGR),
                PixelFormat.Yuyv => (MatType.CV_8UC2, frame.Height, ColorConversionCodes.YUV2BGR_YUYV),
                PixelFormat.Uyvy => (MatType.CV_8UC2, frame.Height, ColorConversionCodes.YUV2BGR_UYVY),
                PixelFormat.Nv12 => (MatType.CV_8UC1, frame.Height * 3 / 2, ColorConversionCodes.YUV2BGR_NV12),
                PixelFormat.I420 => (MatType.CV_8UC1, frame.Height * 3 / 2, ColorConversionCodes.YUV2BGR_I420),
                _ => throw new ArgumentException($"The OpenCV peer does not take {frame.Format} frames.", nameof(frame)),
            };
            if (frame.Format is PixelFormat.Nv12 or PixelFormat.I420 && (frame.Width % 2 != 0 || frame.Height % 2 != 0))
            {
                throw new ArgumentException($"OpenCV converts {frame.Format} only at even sizes, not {frame.Width}x{frame.Height}.", nameof(frame));
            }

            using var source = Mat.FromPixelData(rows, frame.Width, type, (nint)data);
            Cv2.CvtColor(source, Picture, code);
        }

        OpenCvBlob.ResizeAndNormalize(Picture, _resized, _spec, swapRedBlue: _spec.Order == ChannelOrder.Rgb, _tensor);
    }

    /// <summary>Runs the model on the last preprocessed frame.</summary>
    public void Classify()
    {
        _probabilities = _classifier.Classify(_tensor);
        int top = 0;
        for (int i = 1; i < _probabilities.Length; i++)
        {
            if (_probabilities[i] > _probabilities[top])
            {
                top = i;
            }
        }

        TopClass = top;
        TopProbability = _probabilities[top];
    }

    /// <summary>Boxes the classified region on <see cref="Picture"/> and writes the verdict above the box.</summary>
    public void Draw()
    {
        if (TopClass < 0)
        {
            throw new InvalidOperationException("Draw needs a classification first.");
        }

        var box = new Rect(BoxInset, BoxInset, Picture.Cols - (2 * BoxInset), Picture.Rows - (2 * BoxInset));
        var colour = new Scalar(40, 200, 255);
        Cv2.Rectangle(Picture, box, colour, 3);
        string label = TopClass < _labels.Count ? _labels[TopClass] : $"class {TopClass}";
        Cv2.PutText(Picture, $"{label} {TopProbability:P0}", new Point(box.X + 10, box.Y + 40), HersheyFonts.HersheySimplex, 1.2, colour, 2, LineTypes.AntiAlias);
    }

    public void Dispose()
    {
        _classifier.Dispose();
        _resized.Dispose();
        Picture.Dispose();
    }
}
