using System.Text.Json.Nodes;
using SkiaSharp;
using SkinLive.App.Commands;
using SkinLive.Frames;
using SkinLive.Inference.Metrics;
using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Preprocessing;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.App;

public class ClassifyCommandTests
{
    private static readonly string s_model = InferenceFixtures.File("tiny.onnx");

    [Fact]
    public void Json_output_equals_the_model_run_on_the_cpu_reference_tensor()
    {
        string[] images = [InferenceFixtures.File("lesion.png"), InferenceFixtures.File("gradient.jpg")];
        (int code, string stdout, string stderr) = CliRunner.Run(["classify", .. images, "--model", s_model, "--json", "--threads", "1"]);
        Assert.True(code == 0, stderr);
        JsonNode json = JsonNode.Parse(stdout)!;
        Assert.Equal("skinlive-test-tiny", json["model"]!["name"]!.GetValue<string>());
        JsonArray results = json["results"]!.AsArray();
        Assert.Equal(2, results.Count);

        using OnnxClassifier classifier = OnnxClassifier.Load(s_model, new ClassifierOptions { IntraOpThreads = 1 });
        Assert.Equal(classifier.Model.Sha256, json["model"]!["sha256"]!.GetValue<string>());
        for (int i = 0; i < images.Length; i++)
        {
            float[] expected = Probabilities(classifier, images[i]);
            int top = Array.IndexOf(expected, expected.Max());

            JsonNode result = results[i]!;
            Assert.Equal(classifier.Model.Labels[top].Code, result["top_class"]!.GetValue<string>());
            Assert.Equal(classifier.Model.Labels[top].Risk, result["risk"]!.GetValue<string>());
            for (int c = 0; c < 7; c++)
            {
                Assert.Equal(expected[c], result["probabilities"]![classifier.Model.Labels[c].Code]!.GetValue<float>(), 1e-4f);
            }
        }
    }

    [Fact]
    public void Dumped_tensor_round_trips_through_an_npy_reader()
    {
        using TempDir temp = InferenceFixtures.Temp();
        string npy = temp.File("t.npy");
        (int code, _, string stderr) = CliRunner.Run("classify", InferenceFixtures.File("lesion.png"), "--model", s_model, "--dump-tensor", npy, "--roi", "8,4,40,30");
        Assert.True(code == 0, stderr);
        (long[] shape, float[] values) = NpyReader.ReadFloat32(npy);
        Assert.Equal([1L, 3, 32, 32], shape);

        Frame frame = StillImage.Load(InferenceFixtures.File("lesion.png"));
        var expected = new float[3 * 32 * 32];
        new CpuPreprocessor(PreprocessSpec.ImageNet(32, 32), pilUint8: true).Process(frame, new RectangleF(8f / 64, 4f / 48, 40f / 64, 30f / 48), expected);
        Assert.Equal(expected, values);
    }

    [Fact]
    public void Table_names_the_top_class_of_each_image()
    {
        string[] images = [InferenceFixtures.File("lesion.png"), InferenceFixtures.File("gradient.jpg")];
        (int code, string stdout, string stderr) = CliRunner.Run(["classify", .. images, "--model", s_model, "--threads", "1"]);
        Assert.True(code == 0, stderr);
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("not a medical device", lines[0]);
        Assert.Equal(["image", "top", "prob", "risk", "runner-up"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2 + images.Length, lines.Length);

        using OnnxClassifier classifier = OnnxClassifier.Load(s_model, new ClassifierOptions { IntraOpThreads = 1 });
        for (int i = 0; i < images.Length; i++)
        {
            float[] expected = Probabilities(classifier, images[i]);
            int[] order = [.. Enumerable.Range(0, expected.Length).OrderByDescending(c => expected[c])];
            ClassLabel top = classifier.Model.Labels[order[0]], second = classifier.Model.Labels[order[1]];
            string[] row = lines[2 + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(
                [Path.GetFileName(images[i]), top.Code, Format(expected[order[0]]), top.Risk, second.Code, Format(expected[order[1]])],
                row);
        }

        static string Format(float probability) => probability.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Model_without_manifest_prints_the_assumed_defaults()
    {
        (int code, _, string stderr) = CliRunner.Run("classify", InferenceFixtures.File("lesion.png"), "--model", InferenceFixtures.File("dynamic_batch.onnx"));
        Assert.Equal(0, code);
        Assert.Contains("assumed", stderr);
        Assert.Contains("ImageNet mean/std", stderr);
    }

    [Fact]
    public void Nan_model_fails_with_one_sentence()
    {
        (int code, string stdout, string stderr) = CliRunner.Run("classify", InferenceFixtures.File("lesion.png"), "--model", InferenceFixtures.File("nan_output.onnx"));
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("NaN or infinite", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Bad_model_fails_with_one_sentence()
    {
        (int code, _, string stderr) = CliRunner.Run("classify", InferenceFixtures.File("lesion.png"), "--model", InferenceFixtures.File("wrong_rank.onnx"));
        Assert.Equal(1, code);
        Assert.Contains("rank 2", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Zero_byte_image_fails_with_one_sentence()
    {
        using TempDir temp = InferenceFixtures.Temp();
        File.WriteAllBytes(temp.File("empty.jpg"), []);
        AssertImageError(temp.File("empty.jpg"), "0-byte");
    }

    [Fact]
    public void Unreadable_image_fails_with_one_sentence()
    {
        using TempDir temp = InferenceFixtures.Temp();
        File.WriteAllText(temp.File("notes.jpg"), "not an image at all");
        AssertImageError(temp.File("notes.jpg"), "not a readable image");
    }

    [Fact]
    public void Truncated_image_fails_with_one_sentence()
    {
        using TempDir temp = InferenceFixtures.Temp();
        byte[] bytes = File.ReadAllBytes(InferenceFixtures.File("lesion.png"));
        File.WriteAllBytes(temp.File("cut.png"), bytes[..(bytes.Length / 2)]);
        AssertImageError(temp.File("cut.png"), "is truncated");
    }

    [Fact]
    public void One_pixel_image_fails_with_one_sentence()
    {
        using TempDir temp = InferenceFixtures.Temp();
        using (var bitmap = new SKBitmap(1, 1))
        using (SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100))
        {
            File.WriteAllBytes(temp.File("dot.png"), png.ToArray());
        }

        AssertImageError(temp.File("dot.png"), "is 1x1 pixels");
    }

    [Fact]
    public void Huge_image_is_refused_from_its_header()
    {
        using TempDir temp = InferenceFixtures.Temp();
        File.WriteAllBytes(temp.File("huge.png"), PngHeader(20000, 20000));
        AssertImageError(temp.File("huge.png"), "20000x20000 pixels, more than");
    }

    [Fact]
    public void Missing_image_list_is_a_usage_error()
    {
        (int code, _, string stderr) = CliRunner.Run("classify", "--model", s_model);
        Assert.Equal(2, code);
        Assert.Contains("at least one image", stderr);
    }

    [Fact]
    public void Roi_outside_the_image_is_a_usage_error()
    {
        (int code, _, string stderr) = CliRunner.Run("classify", InferenceFixtures.File("lesion.png"), "--model", s_model, "--roi", "50,0,40,10");
        Assert.Equal(2, code);
        Assert.Contains("reaches outside", stderr);
    }

    private static void AssertImageError(string image, string expected)
    {
        (int code, string stdout, string stderr) = CliRunner.Run("classify", image, "--model", s_model);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    /// <summary>A PNG whose header declares <paramref name="width"/>x<paramref name="height"/> with a token of image data.</summary>
    private static byte[] PngHeader(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // RGB
        Chunk(stream, "IHDR", ihdr);
        Chunk(stream, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(stream, "IEND", []);
        return stream.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        stream.Write(typed);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        stream.Write(word);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>The class probabilities of the model run on the CPU reference tensor of <paramref name="image"/>.</summary>
    private static float[] Probabilities(OnnxClassifier classifier, string image)
    {
        var preprocessor = new CpuPreprocessor(classifier.Model.Preprocess, pilUint8: true);
        using SKBitmap bitmap = SKBitmap.Decode(image).Copy(SKColorType.Rgba8888);
        Frame frame = Frame.Create(PixelFormat.Rgba8, bitmap.Width, bitmap.Height);
        bitmap.GetPixelSpan().CopyTo(frame.Data);
        preprocessor.Process(frame, RectangleF.Unit, classifier.Input(0));
        Assert.True(classifier.Run(0));
        var probabilities = new float[classifier.Model.ClassCount];
        ClassScores.Softmax(classifier.Output, probabilities);
        return probabilities;
    }
}
