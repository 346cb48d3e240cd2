using OpenCvSharp;
using SkinLive.Bench.Peers;
using SkinLive.Frames;
using SkinLive.Inference.Metrics;
using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.Bench.Peers;

public sealed class SyncOpenCvPipelineTests
{
    [Theory]
    [InlineData(PixelFormat.Yuyv)]
    [InlineData(PixelFormat.Nv12)]
    [InlineData(PixelFormat.Rgb24)]
    public void Peer_loop_classifies_the_frame_and_draws_its_box_and_label_on_it(PixelFormat format)
    {
        ModelDescription model = OnnxClassifier.Inspect(InferenceFixtures.File("tiny.onnx"));
        using var peer = new SyncOpenCvPipeline(model.Path, model.Preprocess, [.. model.Labels.Select(l => l.Name)], threads: 1);
        Frame frame = Gradient(format, 160, 120);

        peer.Preprocess(frame);
        using Mat before = peer.Picture.Clone();
        peer.Classify();
        peer.Draw();

        // The peer's verdict is what SkinLive's own classifier says about the tensor the peer made.
        using OnnxClassifier reference = OnnxClassifier.Load(model.Path, new ClassifierOptions { IntraOpThreads = 1, WarmUpRuns = 0 });
        peer.Tensor.CopyTo(reference.Input(0));
        Assert.True(reference.Run(0));
        float[] expected = new float[model.ClassCount];
        if (model.OutputIsLogits)
        {
            ClassScores.Softmax(reference.Output, expected);
        }
        else
        {
            reference.Output.CopyTo(expected);
        }

        Assert.Equal(expected.Length, peer.Probabilities.Length);
        for (int c = 0; c < expected.Length; c++)
        {
            Assert.True(Math.Abs(expected[c] - peer.Probabilities[c]) < 1e-5f, $"class {c}: peer {peer.Probabilities[c]}, OnnxClassifier {expected[c]}");
        }

        Assert.Equal(Array.IndexOf(expected, expected.Max()), peer.TopClass);
        Assert.Equal(expected.Max(), peer.TopProbability, 5);
        Assert.Equal((120, 160), (peer.Picture.Rows, peer.Picture.Cols));
        // The box runs along the classified region's edge, 8 px in; the picture's centre is left alone.
        Assert.NotEqual(before.At<Vec3b>(60, 8), peer.Picture.At<Vec3b>(60, 8));
        Assert.NotEqual(before.At<Vec3b>(111, 80), peer.Picture.At<Vec3b>(111, 80));
        Assert.Equal(before.At<Vec3b>(90, 80), peer.Picture.At<Vec3b>(90, 80));
    }

    [Fact]
    public void Peer_refuses_to_draw_before_it_has_classified()
    {
        ModelDescription model = OnnxClassifier.Inspect(InferenceFixtures.File("tiny.onnx"));
        using var peer = new SyncOpenCvPipeline(model.Path, model.Preprocess, [.. model.Labels.Select(l => l.Name)], threads: 1);
        peer.Preprocess(Gradient(PixelFormat.Yuyv, 64, 48));
        Assert.Throws<InvalidOperationException>(peer.Draw);
    }

    private static Frame Gradient(PixelFormat format, int width, int height)
    {
        byte[] rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = ((y * width) + x) * 4;
                (rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]) = ((byte)(x * 255 / width), (byte)(y * 255 / height), 90, 255);
            }
        }

        Frame frame = Frame.Create(format, width, height, format.IsYuv() ? ColorSpec.Bt601Limited : default);
        PixelEncoder.FromRgba(rgba, width, height, format, frame.Color, frame.Data);
        return frame;
    }
}
