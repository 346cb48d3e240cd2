using OpenCvSharp;
using SkinLive.Frames;
using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Peers;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.Peers;

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

        Assert.InRange(peer.TopClass, 0, model.ClassCount - 1);
        Assert.InRange(peer.TopProbability, 1f / model.ClassCount, 1f);
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
