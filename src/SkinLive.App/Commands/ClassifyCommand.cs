using System.Globalization;
using System.Text.Json;
using SkinLive.Frames;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Inference.Metrics;
using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Preprocessing;

namespace SkinLive.App.Commands;

/// <summary><c>skinlive classify IMAGE... [--model PATH] [--json] [--dump-tensor out.npy] [--roi x,y,w,h] [--threads N] [--gpu]</c>;
/// <c>--gpu</c> preprocesses with the live view's shaders instead of the CPU reference.</summary>
public static class ClassifyCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var images = new List<string>();
        string? model = null, dump = null, roiText = null;
        bool json = false, gpu = false;
        int threads = ClassifierOptions.DefaultThreads;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model": model = Value(args, ref i); break;
                case "--json": json = true; break;
                case "--gpu": gpu = true; break;
                case "--dump-tensor": dump = Value(args, ref i); break;
                case "--roi": roiText = Value(args, ref i); break;
                case "--threads": threads = PositiveInt(Value(args, ref i), "--threads"); break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new UsageException($"unknown option '{args[i]}'.");
                    }

                    images.Add(args[i]);
                    break;
            }
        }

        if (images.Count == 0)
        {
            throw new UsageException("name at least one image to classify.");
        }

        if (dump is not null && images.Count != 1)
        {
            throw new UsageException("--dump-tensor writes one tensor, so give exactly one image.");
        }

        int[]? roi = roiText is null ? null : ParseRoi(roiText);
        try
        {
            using OnnxClassifier classifier = ModelOption.Load(model, new ClassifierOptions { IntraOpThreads = threads });
            ModelDescription description = classifier.Model;
            ModelOption.ReportAssumptions(description, stderr);
            var preprocessor = new CpuPreprocessor(description.Preprocess, pilUint8: true);
            using GpuStillPreprocessor? gpuPreprocessor = gpu ? new GpuStillPreprocessor(description.Preprocess) : null;
            var probabilities = new float[description.ClassCount];
            var rows = new List<(string Image, float[] Probabilities)>();
            foreach (string image in images)
            {
                Frame frame = StillImage.Load(image);
                RectangleF box = roi is null ? RectangleF.Unit : NormalizedRoi(roi, frame, image);
                if (gpuPreprocessor is not null)
                {
                    gpuPreprocessor.Process(frame, box, classifier.Input(0));
                }
                else
                {
                    preprocessor.Process(frame, box, classifier.Input(0));
                }

                if (dump is not null)
                {
                    NpyWriter.WriteFloat32(dump, classifier.Input(0), description.InputShape);
                }

                if (!classifier.Run(0))
                {
                    stderr.WriteLine($"skinlive classify: model {description.Name} produced NaN or infinite scores for {Path.GetFileName(image)}.");
                    return 1;
                }

                ToProbabilities(classifier.Output, description.OutputIsLogits, probabilities);
                rows.Add((image, (float[])probabilities.Clone()));
            }

            if (json)
            {
                WriteJson(stdout, description, rows);
            }
            else
            {
                WriteTable(stdout, description, rows);
            }

            return 0;
        }
        catch (Exception ex) when (ex is ModelLoadException or ImageLoadException or GpuUnavailableException)
        {
            stderr.WriteLine($"skinlive classify: {ex.Message}");
            return 1;
        }
    }

    internal static void ToProbabilities(ReadOnlySpan<float> scores, bool logits, Span<float> probabilities)
    {
        if (logits)
        {
            ClassScores.Softmax(scores, probabilities);
        }
        else
        {
            scores.CopyTo(probabilities);
        }
    }

    internal static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
        {
            throw new UsageException($"{args[i]} needs a value.");
        }

        return args[++i];
    }

    internal static int PositiveInt(string text, string option) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new UsageException($"{option} needs a positive whole number, not '{text}'.");

    private static int[] ParseRoi(string text)
    {
        string[] parts = text.Split(',');
        var values = new int[4];
        if (parts.Length != 4 || !parts.Select((p, i) => int.TryParse(p.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
        {
            throw new UsageException($"--roi needs four whole pixel numbers x,y,w,h, not '{text}'.");
        }

        if (values[0] < 0 || values[1] < 0 || values[2] < 1 || values[3] < 1)
        {
            throw new UsageException($"--roi {text} needs x, y >= 0 and w, h >= 1.");
        }

        return values;
    }

    private static RectangleF NormalizedRoi(int[] roi, Frame frame, string image)
    {
        if (roi[0] + roi[2] > frame.Width || roi[1] + roi[3] > frame.Height)
        {
            throw new UsageException($"--roi {string.Join(',', roi)} reaches outside {Path.GetFileName(image)} ({frame.Width}x{frame.Height}).");
        }

        return new RectangleF((float)roi[0] / frame.Width, (float)roi[1] / frame.Height, (float)roi[2] / frame.Width, (float)roi[3] / frame.Height);
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }

    private static void WriteTable(TextWriter stdout, ModelDescription model, List<(string Image, float[] Probabilities)> rows)
    {
        stdout.WriteLine($"model {model.Name} (sha256 {model.Sha256[..12]}…) — screening aid only, not a medical device");
        int width = Math.Max(5, rows.Max(r => Path.GetFileName(r.Image).Length));
        stdout.WriteLine($"{"image".PadRight(width)}  {"top",-8} {"prob",6}  {"risk",-10} runner-up");
        var order = new int[Math.Min(2, model.ClassCount)];
        foreach ((string image, float[] p) in rows)
        {
            ClassScores.TopK(p, order);
            ClassLabel top = model.Labels[order[0]], second = model.Labels[order[1]];
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(image).PadRight(width)}  {top.Code,-8} {p[order[0]],6:0.000}  {top.Risk,-10} {second.Code} {p[order[1]]:0.000}"));
        }
    }

    private static void WriteJson(TextWriter stdout, ModelDescription model, List<(string Image, float[] Probabilities)> rows)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("model");
            json.WriteString("name", model.Name);
            json.WriteString("version", model.Version);
            json.WriteString("sha256", model.Sha256);
            json.WriteString("manifest", model.ManifestSource);
            json.WriteStartArray("assumed_defaults");
            foreach (string assumption in model.AssumedDefaults)
            {
                json.WriteStringValue(assumption);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("notice", "Screening aid only; not a medical device.");
            json.WriteStartArray("results");
            foreach ((string image, float[] p) in rows)
            {
                int top = ArgMax(p);
                json.WriteStartObject();
                json.WriteString("image", image);
                json.WriteString("top_class", model.Labels[top].Code);
                json.WriteString("top_name", model.Labels[top].Name);
                json.WriteNumber("probability", p[top]);
                json.WriteString("risk", model.Labels[top].Risk);
                json.WriteNumber("malignant_probability", Enumerable.Range(0, p.Length).Where(c => model.Labels[c].IsMalignant).Sum(c => (double)p[c]));
                json.WriteStartObject("probabilities");
                for (int c = 0; c < p.Length; c++)
                {
                    json.WriteNumber(model.Labels[c].Code, p[c]);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
