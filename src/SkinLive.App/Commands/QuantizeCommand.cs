using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using SkinLive.App.Profiling;
using SkinLive.Frames;
using SkinLive.Inference.Metrics;
using SkinLive.Inference.Models;
using SkinLive.Inference.Quantization;
using SkinLive.Inference.Runtime;
using SkinLive.Preprocessing;
using SkinLive.Storage;

namespace SkinLive.App.Commands;

/// <summary>
/// <c>skinlive model quantize IN.onnx --calib DIR --out OUT.onnx ...</c>: builds the INT8 variants (static QDQ with
/// everything quantized, static with kept-FP32 blocks, the dynamic recipe), and with <c>--eval</c> reports each
/// against FP32 in one run: file size, p50/p95 at 1 and 2 threads, top-1 agreement, balanced-accuracy change.
/// <c>--auto</c> picks the kept blocks from ONNX Runtime's per-operator profile (when <c>--keep-fp32</c> is not
/// given) and writes OUT only when it is at least as fast as FP32 at 1 thread and agrees on ≥ 99 % of top-1.
/// </summary>
public static class QuantizeCommand
{
    public const double RequiredAgreement = 0.99;
    private static readonly int[] s_threadCounts = [1, 2];

    private sealed record Options(
        string Input, string Output, string? Calib, string Mode, CalibrationMethod Method, double Percentile, int CalibCount,
        IReadOnlyList<string> KeepFp32, bool Auto, string? Eval, int EvalCount, bool Profile, int Runs, int Threads)
    {
        public string MethodText => Method == CalibrationMethod.Percentile
            ? string.Create(CultureInfo.InvariantCulture, $"percentile {Percentile}")
            : "minmax";
    }

    /// <summary>One model compared in the report; FP32 is the first.</summary>
    private sealed record Variant(string Name, string Path, string Mode, IReadOnlyList<string> KeptFp32);

    private sealed record Measured(Variant Variant, long Bytes, LatencyStats[] Latency, double Agreement, double BalancedAccuracy);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        Options options = Parse(args);
        // Owner-only (0700): the calibration copies and candidate models are nobody else's business.
        string work = Directory.CreateTempSubdirectory("skinlive-quantize-").FullName;
        try
        {
            return Quantize(options, work, stdout, stderr);
        }
        catch (Exception ex) when (ex is QuantizationException or ModelLoadException or OnnxRuntimeException)
        {
            stderr.WriteLine($"skinlive model quantize: {FirstLine(ex.Message)}");
            return 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Options Parse(string[] args)
    {
        var reader = new ArgReader(args);
        string? output = reader.Option("--out");
        string? calib = reader.Option("--calib");
        string mode = reader.Option("--mode", "static");
        string method = reader.Option("--calibration", "minmax");
        double percentile = reader.Double("--percentile", 99.99, 50, 100);
        int calibCount = reader.Int("--calib-count", 200, 1);
        string? keep = reader.Option("--keep-fp32");
        bool auto = reader.Flag("--auto");
        string? eval = reader.Option("--eval");
        int evalCount = reader.Int("--eval-count", 1000, 1);
        bool profile = reader.Flag("--profile");
        int runs = reader.Int("--runs", 300, 10);
        int threads = reader.Int("--threads", ClassifierOptions.DefaultThreads, 1, 256);
        IReadOnlyList<string> positionals = reader.Positionals();
        if (positionals.Count != 1)
        {
            throw new UsageException(positionals.Count == 0 ? "needs the FP32 model: skinlive model quantize IN.onnx --calib DIR --out OUT.onnx." : $"takes one input model, not {positionals.Count} ('{positionals[1]}').");
        }

        string input = positionals[0];
        if (!File.Exists(input))
        {
            throw new UsageException($"model file {input} does not exist.");
        }

        if (output is null)
        {
            throw new UsageException("--out OUT.onnx is required.");
        }

        if (Path.GetFullPath(output) == Path.GetFullPath(input))
        {
            throw new UsageException("--out must differ from the input model, which stays the FP32 original.");
        }

        if (mode is not ("static" or "dynamic"))
        {
            throw new UsageException($"--mode must be static or dynamic, not '{mode}'.");
        }

        CalibrationMethod calibration = method switch
        {
            "minmax" => CalibrationMethod.MinMax,
            "percentile" => CalibrationMethod.Percentile,
            _ => throw new UsageException($"--calibration must be minmax or percentile, not '{method}'."),
        };
        if (calib is null && (mode == "static" || eval is not null))
        {
            throw new UsageException("--calib DIR (a HAM10000-layout folder of calibration images) is required.");
        }

        foreach ((string option, string? folder) in new[] { ("--calib", calib), ("--eval", eval) })
        {
            if (folder is not null && !Directory.Exists(folder))
            {
                throw new UsageException($"{option} {folder} is not a folder (a HAM10000-layout folder is needed).");
            }
        }

        if (auto && eval is null)
        {
            throw new UsageException("--auto needs --eval DIR, a held-out set to measure agreement with FP32 on.");
        }

        IReadOnlyList<string> kept = keep is null ? [] : [.. keep.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        return new Options(input, output, calib, mode, calibration, percentile, calibCount, kept, auto, eval, evalCount, profile, runs, threads);
    }

    private static int Quantize(Options o, string work, TextWriter stdout, TextWriter stderr)
    {
        ModelDescription model = OnnxClassifier.Inspect(o.Input);
        ModelOption.ReportAssumptions(model, stderr);
        OnnxGraph fp32 = OnnxGraph.Load(o.Input);
        string? unmatched = o.KeepFp32.FirstOrDefault(p => !fp32.Graph.Node.Any(n => n.Name.StartsWith(p, StringComparison.Ordinal)));
        if (unmatched is not null)
        {
            throw new UsageException($"--keep-fp32 prefix '{unmatched}' matches no node of {Path.GetFileName(o.Input)}.");
        }

        IReadOnlyList<float[]> calibration = o.Calib is null ? [] : LoadTensors(o.Calib, o.CalibCount, model, "calibration", stderr).Tensors;
        Dictionary<string, (float Low, float High)>? ranges = null;
        if (calibration.Count > 0)
        {
            IReadOnlyList<string> activations = QdqQuantizer.ActivationsToCalibrate(fp32, []);
            stderr.WriteLine($"calibrating {activations.Count} activations on {calibration.Count} images ({o.MethodText})");
            var progress = new ProgressBar(stderr, calibration.Count * (o.Method == CalibrationMethod.Percentile ? 2 : 1));
            Dictionary<string, TensorRange> observed = Calibrator.Collect(fp32, activations, model.InputShape, calibration, o.Method, o.Threads, (_, _) => progress.Advance());
            progress.Finish();
            ranges = observed.ToDictionary(p => p.Key, p => p.Value.Range(o.Method, o.Percentile), StringComparer.Ordinal);
        }

        var fp32Variant = new Variant("fp32", o.Input, "fp32", []);
        Variant Build(string name, string mode, IReadOnlyList<string> kept)
        {
            OnnxGraph graph = mode == "dynamic" ? DynamicQuantizer.Quantize(fp32, kept) : QdqQuantizer.Quantize(fp32, ranges!, kept);
            string path = Path.Combine(work, name + ".onnx");
            File.WriteAllBytes(path, graph.ToBytes());
            var variant = new Variant(name, path, mode, kept);
            WriteManifest(o, model, variant, path, calibration.Count, measured: null);
            return variant;
        }

        IReadOnlyList<string> keep = o.KeepFp32;
        Variant? allInt8 = o.Mode == "static" || o.Eval is not null ? Build("static-int8", "static", []) : null;
        if (o.Mode == "static" && (o.Profile || (o.Auto && keep.Count == 0)))
        {
            Dictionary<string, double> excess = ProfileBlocks(model, fp32Variant, allInt8!, calibration[0], stdout);
            if (o.Auto && keep.Count == 0)
            {
                stderr.WriteLine($"--auto: searching which blocks stay FP32 (calibration images only; agreement target {MixedPrecisionSearch.TargetAgreement:P1})");
                keep = new MixedPrecisionSearch(o.Input, fp32, ranges!, calibration, work, o.Threads, stderr).Run(excess);
                stdout.WriteLine(keep.Count == 0
                    ? "--auto: every block is quantized."
                    : $"--auto: keeps FP32 {string.Join(", ", keep)}");
                stdout.WriteLine();
            }
        }

        Variant? mixed = o.Mode == "static" && keep.Count > 0 ? Build("static-mixed", "static", keep) : null;
        Variant? dynamic = o.Mode == "dynamic" || o.Eval is not null ? Build("dynamic", "dynamic", o.Mode == "dynamic" ? o.KeepFp32 : []) : null;
        Variant chosen = o.Mode == "dynamic" ? dynamic! : mixed ?? allInt8!;

        (double Agreement, int Images)? measured = null;
        if (o.Eval is not null)
        {
            IReadOnlyList<Variant> variants = [fp32Variant, .. new[] { dynamic, allInt8, mixed }.OfType<Variant>()];
            (IReadOnlyList<Measured> rows, int evalImages) = Report(o, model, variants, calibration.Count > 0 ? calibration[0] : null, stdout, stderr);
            Measured fp32Row = rows[0], chosenRow = rows.Single(m => m.Variant == chosen);
            measured = (chosenRow.Agreement, evalImages);
            if (o.Auto)
            {
                string? refusal = Refusal(fp32Row, chosenRow);
                if (refusal is not null)
                {
                    stdout.WriteLine($"--auto: keeping FP32: {chosen.Name} {refusal}; wrote nothing ({o.Input} stays the model to ship).");
                    return 0;
                }

                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"--auto: {chosen.Name} is as fast as FP32 or faster ({chosenRow.Latency[0].P50Ms:0.000} vs {fp32Row.Latency[0].P50Ms:0.000} ms p50, 1 thread) and agrees on {chosenRow.Agreement:P1} of top-1; writing it."));
            }
        }

        OwnerOnlyDirectory.CreateFor(o.Output);
        File.Copy(chosen.Path, o.Output, overwrite: true);
        string manifest = WriteManifest(o, model, chosen, o.Output, calibration.Count, measured);
        stdout.WriteLine($"wrote {o.Output} ({chosen.Name}, {new FileInfo(o.Output).Length / 1024} KB) and {manifest}");
        return 0;
    }

    /// <summary>Why <paramref name="candidate"/> does not replace FP32, or null when it may.</summary>
    private static string? Refusal(Measured fp32, Measured candidate)
    {
        var inv = CultureInfo.InvariantCulture;
        var reasons = new List<string>();
        if (candidate.Latency[0].P50Ms > fp32.Latency[0].P50Ms)
        {
            reasons.Add(string.Create(inv, $"is slower than FP32 ({candidate.Latency[0].P50Ms:0.000} vs {fp32.Latency[0].P50Ms:0.000} ms p50, 1 thread)"));
        }

        if (candidate.Agreement < RequiredAgreement)
        {
            reasons.Add(string.Create(inv, $"agrees with FP32 on {candidate.Agreement:P1} of top-1, under {RequiredAgreement:P0}"));
        }

        return reasons.Count == 0 ? null : string.Join(" and ", reasons);
    }

    private static (IReadOnlyList<Measured> Rows, int EvalImages) Report(Options o, ModelDescription model, IReadOnlyList<Variant> variants, float[]? benchInput, TextWriter stdout, TextWriter stderr)
    {
        (IReadOnlyList<float[]> tensors, IReadOnlyList<HamSample> samples) = LoadTensors(o.Eval!, o.EvalCount, model, "evaluation", stderr);
        var codes = model.Labels.Select((l, i) => (l.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.OrdinalIgnoreCase);
        string? unknown = samples.Select(s => s.Dx).FirstOrDefault(dx => !codes.ContainsKey(dx));
        if (unknown is not null)
        {
            throw new UsageException($"diagnosis '{unknown}' in {o.Eval} is not one of the model's labels ({string.Join(", ", codes.Keys)}).");
        }

        int[] truth = [.. samples.Select(s => codes[s.Dx])];
        stderr.WriteLine($"classifying {tensors.Count} evaluation images with {variants.Count} models");
        var predictions = new List<(int[] Top, double[] Malignant)>();
        foreach (Variant variant in variants)
        {
            int[] top = Predict(variant.Path, tensors, o.Threads, out double[] malignant);
            predictions.Add((top, malignant));
        }

        float[] input = benchInput ?? tensors[0];
        var latency = new LatencyStats[variants.Count][];
        for (int v = 0; v < variants.Count; v++)
        {
            latency[v] = new LatencyStats[s_threadCounts.Length];
        }

        const int Rounds = 10;
        for (int t = 0; t < s_threadCounts.Length; t++)
        {
            stderr.WriteLine($"timing {variants.Count} models at {s_threadCounts[t]} thread(s), {o.Runs} runs each in {Rounds} interleaved rounds");
            LatencyStats[] stats = LatencyBenchmark.Measure([.. variants.Select(v => v.Path)], input, s_threadCounts[t], Math.Max(1, o.Runs / Rounds), Rounds, warmUpRuns: 20);
            for (int v = 0; v < variants.Count; v++)
            {
                latency[v][t] = stats[v];
            }
        }

        var rows = new List<Measured>();
        for (int v = 0; v < variants.Count; v++)
        {
            int[] top = predictions[v].Top;
            int agree = top.Where((p, i) => p == predictions[0].Top[i]).Count();
            ClassificationReport report = ClassificationReport.Compute(model.Labels, truth, top, predictions[v].Malignant, 0.5);
            rows.Add(new Measured(variants[v], new FileInfo(variants[v].Path).Length, latency[v], (double)agree / top.Length, report.BalancedAccuracy));
        }

        WriteTable(o, rows, tensors.Count, stdout);
        return (rows, tensors.Count);
    }

    private static void WriteTable(Options o, IReadOnlyList<Measured> rows, int evalImages, TextWriter stdout)
    {
        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine($"command: {MachineInfo.CommandLine()}");
        stdout.WriteLine($"machine: {MachineInfo.CpuModel()}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, ONNX Runtime {OrtEnv.Instance().GetVersionString()}");
        stdout.WriteLine($"calibration: {o.Calib ?? "none"} ({o.MethodText}); evaluation: {evalImages} images of {o.Eval}; latency: ORT run only, batch 1, {o.Runs} runs");
        stdout.WriteLine();
        stdout.WriteLine("| variant | size KB | p50 ms @1 | p95 ms @1 | p50 ms @2 | p95 ms @2 | top-1 agreement | balanced accuracy (Δ) |");
        stdout.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        Measured fp32 = rows[0];
        foreach (Measured m in rows)
        {
            string delta = m == fp32 ? "" : string.Create(inv, $" ({m.BalancedAccuracy - fp32.BalancedAccuracy:+0.000;-0.000;0.000})");
            stdout.WriteLine(string.Create(inv,
                $"| {m.Variant.Name} | {m.Bytes / 1024} | {m.Latency[0].P50Ms:0.000} | {m.Latency[0].P95Ms:0.000} | {m.Latency[1].P50Ms:0.000} | {m.Latency[1].P95Ms:0.000} | {m.Agreement:P1} | {m.BalancedAccuracy:0.000}{delta} |"));
        }

        foreach (Measured m in rows.Where(r => r.Variant.KeptFp32.Count > 0))
        {
            stdout.WriteLine($"{m.Variant.Name} keeps FP32: {string.Join(", ", m.Variant.KeptFp32)}");
        }

        stdout.WriteLine();
    }

    /// <summary>
    /// Profiles FP32 and all-INT8 with ONNX Runtime's profiler at 1 thread, prints time per operator type and per
    /// block, and returns each block's INT8 minus FP32 time (its Q/DQ included).
    /// </summary>
    private static Dictionary<string, double> ProfileBlocks(ModelDescription model, Variant fp32, Variant int8, float[] input, TextWriter stdout)
    {
        const int Runs = 200;
        IReadOnlyList<OperatorTime> f = OperatorProfiler.Profile(fp32.Path, input, model.InputShape, 1, Runs);
        IReadOnlyList<OperatorTime> q = OperatorProfiler.Profile(int8.Path, input, model.InputShape, 1, Runs);
        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine($"ONNX Runtime profile, 1 thread, median kernel time per run over {Runs} runs (µs):");
        stdout.WriteLine();
        stdout.WriteLine("| operator | fp32 µs | static-int8 µs |");
        stdout.WriteLine("| --- | ---: | ---: |");
        foreach (string op in f.Concat(q).Select(t => t.OpType).Distinct().OrderByDescending(op => f.Concat(q).Where(t => t.OpType == op).Sum(t => t.MedianMicroseconds)))
        {
            stdout.WriteLine(string.Create(inv, $"| {op} | {Sum(f, t => t.OpType == op):0} | {Sum(q, t => t.OpType == op):0} |"));
        }

        stdout.WriteLine(string.Create(inv, $"| total | {Sum(f, _ => true):0} | {Sum(q, _ => true):0} |"));
        stdout.WriteLine();
        stdout.WriteLine("| block | fp32 µs | static-int8 µs | what runs there in INT8 |");
        stdout.WriteLine("| --- | ---: | ---: | --- |");
        var excess = new Dictionary<string, double>(StringComparer.Ordinal);
        var fBlocks = f.Zip(OperatorProfiler.Blocks(f)).ToList();
        var qBlocks = q.Zip(OperatorProfiler.Blocks(q)).ToList();
        foreach (string block in fBlocks.Select(p => p.Second).Distinct())
        {
            double fp32Time = fBlocks.Where(p => p.Second == block).Sum(p => p.First.MedianMicroseconds);
            double int8Time = qBlocks.Where(p => p.Second == block).Sum(p => p.First.MedianMicroseconds);
            string ops = string.Join(" ", qBlocks.Where(p => p.Second == block).GroupBy(p => p.First.OpType).Select(g => $"{g.Key}×{g.Count()}"));
            stdout.WriteLine(string.Create(inv, $"| {block} | {fp32Time:0} | {int8Time:0} | {ops} |"));
            excess[block] = int8Time - fp32Time;
        }

        stdout.WriteLine();
        return excess;
    }

    private static double Sum(IEnumerable<OperatorTime> times, Func<OperatorTime, bool> which) => times.Where(which).Sum(t => t.MedianMicroseconds);

    private static int[] Predict(string path, IReadOnlyList<float[]> tensors, int threads, out double[] malignant)
    {
        using OnnxClassifier classifier = OnnxClassifier.Load(path, new ClassifierOptions { IntraOpThreads = threads, WarmUpRuns = 0 });
        ModelDescription model = classifier.Model;
        var probabilities = new float[model.ClassCount];
        var top = new int[tensors.Count];
        malignant = new double[tensors.Count];
        for (int i = 0; i < tensors.Count; i++)
        {
            tensors[i].CopyTo(classifier.Input(0));
            classifier.Run(0);
            ClassifyCommand.ToProbabilities(classifier.Output, model.OutputIsLogits, probabilities);
            for (int c = 0; c < probabilities.Length; c++)
            {
                top[i] = probabilities[c] > probabilities[top[i]] ? c : top[i];
                malignant[i] += model.Labels[c].IsMalignant ? probabilities[c] : 0;
            }
        }

        return top;
    }

    /// <summary>
    /// Up to <paramref name="count"/> images of a HAM10000-layout folder, spread evenly over its metadata order, each
    /// preprocessed as classify and eval do (PIL-exact uint8 resize, the model's normalization).
    /// </summary>
    private static (IReadOnlyList<float[]> Tensors, IReadOnlyList<HamSample> Samples) LoadTensors(string folder, int count, ModelDescription model, string what, TextWriter stderr)
    {
        IReadOnlyList<HamSample> all = HamDataset.Load(folder, null, out _);
        if (all.Count == 0)
        {
            throw new UsageException($"{folder} has no images listed in {HamDataset.MetadataFile}.");
        }

        int n = Math.Min(count, all.Count);
        HamSample[] picked = [.. Enumerable.Range(0, n).Select(i => all[(int)((long)i * all.Count / n)])];
        var preprocessor = new CpuPreprocessor(model.Preprocess, pilUint8: true);
        var tensors = new List<float[]>(n);
        var kept = new List<HamSample>(n);
        stderr.WriteLine($"preprocessing {n} {what} images from {folder}");
        var progress = new ProgressBar(stderr, n);
        foreach (HamSample sample in picked)
        {
            try
            {
                Frame frame = StillImage.Load(sample.Path);
                var tensor = new float[model.Preprocess.ElementCount];
                preprocessor.Process(frame, RectangleF.Unit, tensor);
                tensors.Add(tensor);
                kept.Add(sample);
            }
            catch (ImageLoadException ex)
            {
                progress.Note($"{ex.Message} Skipped.");
            }

            progress.Advance();
        }

        progress.Finish();
        return tensors.Count > 0 ? (tensors, kept) : throw new UsageException($"no image in {folder} could be read.");
    }

    /// <summary>
    /// Writes <c>name.json</c> beside <paramref name="onnxPath"/>: the FP32 model's manifest (sidecar, else the
    /// embedded one) with this file's sha256 and a quantization block. Returns its path.
    /// </summary>
    private static string WriteManifest(Options o, ModelDescription model, Variant variant, string onnxPath, int calibImages, (double Agreement, int Images)? measured)
    {
        JsonObject manifest = SourceManifest(o.Input) ?? [];
        manifest["name"] = $"{model.Name}-int8-{variant.Mode}";
        manifest["sha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(onnxPath)));
        var kept = new JsonArray([.. variant.KeptFp32.Select(k => (JsonNode)JsonValue.Create(k))]);
        manifest["quantization"] = new JsonObject
        {
            ["mode"] = variant.Mode,
            ["calibration_set"] = variant.Mode == "static" ? $"{o.Calib} ({calibImages} images)" : null,
            ["method"] = variant.Mode == "static"
                ? $"{o.MethodText}; weights int8 symmetric per channel, activations uint8 per tensor (QDQ)"
                : "weights uint8 per tensor, activations uint8 per run (DynamicQuantizeLinear, ConvInteger/MatMulInteger)",
            ["kept_fp32"] = kept,
            ["agreement"] = measured?.Agreement,
            ["eval_set"] = measured is null ? null : $"{o.Eval} ({measured.Value.Images} images)",
            ["source_sha256"] = model.Sha256,
        };
        string path = Path.ChangeExtension(onnxPath, ".json");
        File.WriteAllText(path, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return path;
    }

    private static JsonObject? SourceManifest(string input)
    {
        string sidecar = Path.ChangeExtension(input, ".json");
        if (File.Exists(sidecar))
        {
            return JsonNode.Parse(File.ReadAllText(sidecar))?.AsObject();
        }

        using var options = new SessionOptions();
        using var session = new InferenceSession(input, options);
        return session.ModelMetadata.CustomMetadataMap.TryGetValue("skinlive.manifest", out string? embedded) ? JsonNode.Parse(embedded)?.AsObject() : null;
    }

    private static string FirstLine(string message)
    {
        string line = message.Split('\n', 2)[0].Trim();
        return line.Length > 240 ? line[..240] + "…" : line;
    }
}
