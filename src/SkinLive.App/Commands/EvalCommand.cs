using System.Globalization;
using System.Text.Json;
using SkinLive.Frames;
using SkinLive.Inference.Metrics;
using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Preprocessing;
using SkinLive.Storage;

namespace SkinLive.App.Commands;

/// <summary><c>skinlive eval --data DIR [--model PATH] [--json] [--out DIR] [--split FILE] [--threshold P] [--threads N]</c>.</summary>
public static class EvalCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? data = null, model = null, outDir = null, split = null;
        bool json = false;
        double threshold = 0.5;
        int threads = ClassifierOptions.DefaultThreads;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data": data = ClassifyCommand.Value(args, ref i); break;
                case "--model": model = ClassifyCommand.Value(args, ref i); break;
                case "--json": json = true; break;
                case "--out": outDir = ClassifyCommand.Value(args, ref i); break;
                case "--split": split = ClassifyCommand.Value(args, ref i); break;
                case "--threads": threads = ClassifyCommand.PositiveInt(ClassifyCommand.Value(args, ref i), "--threads"); break;
                case "--threshold":
                    string text = ClassifyCommand.Value(args, ref i);
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold) || threshold is < 0 or > 1)
                    {
                        throw new UsageException($"--threshold needs a probability between 0 and 1, not '{text}'.");
                    }

                    break;
                default:
                    throw new UsageException($"unknown argument '{args[i]}'.");
            }
        }

        if (data is null)
        {
            throw new UsageException("--data DIR (a HAM10000-layout folder) is required.");
        }

        IReadOnlyList<HamSample> samples = HamDataset.Load(data, split, out int missing);
        if (samples.Count == 0)
        {
            throw new UsageException($"{data} has no images listed in {HamDataset.MetadataFile}{(split is null ? "" : " and the split")}.");
        }

        try
        {
            using OnnxClassifier classifier = ModelOption.Load(model, new ClassifierOptions { IntraOpThreads = threads });
            ModelDescription description = classifier.Model;
            ModelOption.ReportAssumptions(description, stderr);
            var codes = description.Labels.Select((l, i) => (l.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.OrdinalIgnoreCase);
            foreach (HamSample sample in samples)
            {
                if (!codes.ContainsKey(sample.Dx))
                {
                    stderr.WriteLine($"skinlive eval: diagnosis '{sample.Dx}' of {sample.ImageId} is not one of the model's labels ({string.Join(", ", codes.Keys)}).");
                    return 1;
                }
            }

            (ClassificationReport report, int skipped) = Evaluate(classifier, samples, codes, threshold, stderr);
            if (report.Samples == 0)
            {
                stderr.WriteLine("skinlive eval: no image could be classified.");
                return 1;
            }

            string reportJson = ToJson(report, description, data, skipped, missing);
            if (outDir is not null)
            {
                OwnerOnlyDirectory.Create(outDir);
                File.WriteAllText(Path.Combine(outDir, "report.json"), reportJson + "\n");
                ConfusionMatrixChart.Write(report, $"{description.Name} on {Path.GetFileName(Path.GetFullPath(data).TrimEnd('/'))}", Path.Combine(outDir, "confusion_matrix.png"));
            }

            if (json)
            {
                stdout.WriteLine(reportJson);
            }
            else
            {
                WriteTable(stdout, report, description, skipped, missing);
            }

            return 0;
        }
        catch (ModelLoadException ex)
        {
            stderr.WriteLine($"skinlive eval: {ex.Message}");
            return 1;
        }
    }

    private static (ClassificationReport Report, int Skipped) Evaluate(OnnxClassifier classifier, IReadOnlyList<HamSample> samples, Dictionary<string, int> codes, double threshold, TextWriter stderr)
    {
        ModelDescription model = classifier.Model;
        var preprocessor = new CpuPreprocessor(model.Preprocess, pilUint8: true);
        var probabilities = new float[model.ClassCount];
        var truth = new List<int>();
        var predicted = new List<int>();
        var malignant = new List<double>();
        int skipped = 0;
        var progress = new ProgressBar(stderr, samples.Count);
        foreach (HamSample sample in samples)
        {
            try
            {
                Frame frame = StillImage.Load(sample.Path);
                preprocessor.Process(frame, RectangleF.Unit, classifier.Input(0));
                if (classifier.Run(0))
                {
                    ClassifyCommand.ToProbabilities(classifier.Output, model.OutputIsLogits, probabilities);
                    int top = 0;
                    double malignantSum = 0;
                    for (int c = 0; c < probabilities.Length; c++)
                    {
                        top = probabilities[c] > probabilities[top] ? c : top;
                        malignantSum += model.Labels[c].IsMalignant ? probabilities[c] : 0;
                    }

                    truth.Add(codes[sample.Dx]);
                    predicted.Add(top);
                    malignant.Add(malignantSum);
                }
                else
                {
                    progress.Note($"model output for {sample.ImageId} is NaN or infinite; skipped.");
                    skipped++;
                }
            }
            catch (ImageLoadException ex)
            {
                progress.Note($"{ex.Message} Skipped.");
                skipped++;
            }

            progress.Advance();
        }

        progress.Finish();
        return (ClassificationReport.Compute(model.Labels, truth, predicted, malignant, threshold), skipped);
    }

    private static void WriteTable(TextWriter stdout, ClassificationReport report, ModelDescription model, int skipped, int missing)
    {
        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine($"model {model.Name} (sha256 {model.Sha256[..12]}…), {report.Samples} images ({skipped} skipped, {missing} listed but missing)");
        stdout.WriteLine("research metrics only; not a medical device");
        stdout.WriteLine();
        stdout.WriteLine($"{"class",-8} {"support",7} {"sensitivity",11} {"specificity",11}");
        foreach (ClassMetrics m in report.PerClass)
        {
            stdout.WriteLine(string.Create(inv, $"{m.Code,-8} {m.Support,7} {Format(m.Sensitivity),11} {Format(m.Specificity),11}"));
        }

        stdout.WriteLine();
        stdout.WriteLine(string.Create(inv, $"accuracy           {Format(report.Accuracy)}"));
        stdout.WriteLine(string.Create(inv, $"balanced accuracy  {Format(report.BalancedAccuracy)}  (mean per-class recall)"));
        stdout.WriteLine(string.Create(inv, $"malignant group    sensitivity {Format(report.MalignantSensitivity)}  specificity {Format(report.MalignantSpecificity)}  at threshold {report.Threshold:0.###} ({report.MalignantSupport} malignant)"));
        stdout.WriteLine();
        stdout.WriteLine("confusion matrix (rows: truth, columns: prediction)");
        int k = report.Labels.Count;
        stdout.WriteLine("        " + string.Concat(report.Labels.Select(l => $"{l.Code,7}")));
        for (int r = 0; r < k; r++)
        {
            stdout.Write($"{report.Labels[r].Code,-8}");
            for (int c = 0; c < k; c++)
            {
                stdout.Write($"{report.Confusion[r, c],7}");
            }

            stdout.WriteLine();
        }
    }

    private static string Format(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.0000", CultureInfo.InvariantCulture);

    internal static string ToJson(ClassificationReport report, ModelDescription model, string data, int skipped, int missing)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("notice", "Research metrics only; not a medical device.");
            json.WriteStartObject("model");
            json.WriteString("name", model.Name);
            json.WriteString("version", model.Version);
            json.WriteString("sha256", model.Sha256);
            json.WriteEndObject();
            json.WriteString("data", data);
            json.WriteNumber("samples", report.Samples);
            json.WriteNumber("skipped", skipped);
            json.WriteNumber("missing_images", missing);
            Number(json, "accuracy", report.Accuracy);
            Number(json, "balanced_accuracy", report.BalancedAccuracy);
            json.WriteStartObject("malignant_group");
            json.WriteNumber("threshold", report.Threshold);
            json.WriteNumber("support", report.MalignantSupport);
            Number(json, "sensitivity", report.MalignantSensitivity);
            Number(json, "specificity", report.MalignantSpecificity);
            json.WriteStartArray("classes");
            foreach (ClassLabel label in report.Labels.Where(l => l.IsMalignant))
            {
                json.WriteStringValue(label.Code);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartArray("per_class");
            foreach (ClassMetrics m in report.PerClass)
            {
                json.WriteStartObject();
                json.WriteString("code", m.Code);
                json.WriteNumber("support", m.Support);
                json.WriteNumber("predicted", m.Predicted);
                Number(json, "sensitivity", m.Sensitivity);
                Number(json, "specificity", m.Specificity);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("labels");
            foreach (ClassLabel label in report.Labels)
            {
                json.WriteStringValue(label.Code);
            }

            json.WriteEndArray();
            json.WriteStartArray("confusion_matrix");
            for (int r = 0; r < report.Labels.Count; r++)
            {
                json.WriteStartArray();
                for (int c = 0; c < report.Labels.Count; c++)
                {
                    json.WriteNumberValue(report.Confusion[r, c]);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>JSON has no NaN: an undefined metric (no samples of that kind) is null.</summary>
    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsNaN(value))
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteNumber(name, value);
        }
    }
}

/// <summary>A one-line progress bar on stderr, redrawn in place; notes go on their own lines.</summary>
internal sealed class ProgressBar(TextWriter stderr, int total)
{
    private const int Width = 30;
    private int _done;

    public void Advance()
    {
        _done++;
        int filled = total == 0 ? Width : _done * Width / total;
        stderr.Write($"\r[{new string('#', filled)}{new string(' ', Width - filled)}] {_done}/{total}");
    }

    public void Note(string message)
    {
        stderr.Write("\r");
        stderr.WriteLine(message);
    }

    public void Finish() => stderr.WriteLine();
}
