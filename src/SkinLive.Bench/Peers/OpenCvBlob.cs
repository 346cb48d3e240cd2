using OpenCvSharp;
using OpenCvSharp.Dnn;
using SkinLive.Preprocessing;

namespace SkinLive.Bench.Peers;

/// <summary>The peers' shared last step: resize with INTER_AREA, BlobFromImage (÷255, −mean, NCHW), then ÷std.</summary>
internal static class OpenCvBlob
{
    public static unsafe void ResizeAndNormalize(Mat picture, Mat resized, PreprocessSpec spec, bool swapRedBlue, Span<float> tensor)
    {
        Cv2.Resize(picture, resized, new Size(spec.Width, spec.Height), 0, 0, InterpolationFlags.Area);
        var mean = new Scalar(spec.Mean[0] / spec.Scale, spec.Mean[1] / spec.Scale, spec.Mean[2] / spec.Scale);
        using Mat blob = CvDnn.BlobFromImage(resized, spec.Scale, default, mean, swapRB: swapRedBlue, crop: false);
        int plane = spec.Width * spec.Height;
        var values = new ReadOnlySpan<float>((void*)blob.Data, 3 * plane);
        for (int c = 0; c < 3; c++)
        {
            // BlobFromImage computes (v - mean / scale) * scale = v * scale - mean; only ÷std is left.
            float inverseStd = 1f / spec.Std[c];
            ReadOnlySpan<float> source = values.Slice(c * plane, plane);
            Span<float> destination = tensor.Slice(c * plane, plane);
            for (int i = 0; i < plane; i++)
            {
                destination[i] = source[i] * inverseStd;
            }
        }
    }
}
