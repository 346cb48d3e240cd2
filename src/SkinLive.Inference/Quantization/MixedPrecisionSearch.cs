using SkinLive.Inference.Runtime;

namespace SkinLive.Inference.Quantization;

/// <summary>
/// Chooses the blocks a static INT8 model keeps in FP32, on the calibration images only (the evaluation set stays
/// held out for the final verdict). Accuracy first: each block's sensitivity is the top-1 agreement with FP32 when
/// it alone is INT8 (ties, common on a few hundred images, broken by the mean squared logit error, which sees
/// damage before it flips a class); the most sensitive blocks are kept FP32 until the mixed model agrees on at least
/// <see cref="TargetAgreement"/>. Blocks interact, so a greedy pass can keep one that no longer matters: each kept
/// block is then tried in INT8 again, the heaviest weights first, and stays INT8 when the target still holds. Speed next: while the mixed model is slower than FP32 end to end (p50, 1 thread),
/// the quantized block with the largest INT8 excess in ONNX Runtime's per-operator profile is kept FP32 too.
/// </summary>
public sealed class MixedPrecisionSearch(
    string fp32Path, OnnxGraph fp32, IReadOnlyDictionary<string, (float Low, float High)> ranges,
    IReadOnlyList<float[]> calibration, string workDir, int threads, TextWriter log)
{
    /// <summary>Above the 99 % the held-out check asks for, so a calibration-set pass is not a coin toss there.</summary>
    public const double TargetAgreement = 0.995;

    private const int BenchRunsPerRound = 50, BenchRounds = 6;
    private (int[] Top, float[] Logits)? _fp32;
    private int _candidates;

    /// <param name="blockExcessMicroseconds">Each block (a node-name prefix) with its INT8 minus FP32 kernel time.</param>
    /// <returns>The blocks to keep FP32.</returns>
    public IReadOnlyList<string> Run(IReadOnlyDictionary<string, double> blockExcessMicroseconds)
    {
        string[] blocks = [.. blockExcessMicroseconds.Keys.Where(b => QdqQuantizer.QuantizedNodes(fp32, []).Any(n => n.StartsWith(b, StringComparison.Ordinal)))];
        _fp32 = Predict(fp32Path);

        var sensitivity = new Dictionary<string, (double Agreement, double LogitError)>(StringComparer.Ordinal);
        foreach (string block in blocks)
        {
            sensitivity[block] = Compare(Build([.. blocks.Where(b => b != block)]));
            log.WriteLine($"sensitivity: only {block} in INT8 agrees with FP32 on {sensitivity[block].Agreement:P1} of the calibration images, mean squared logit error {sensitivity[block].LogitError:G3}");
        }

        var keep = new List<string>();
        string candidate = Build(keep);
        double agreement = Compare(candidate).Agreement;
        foreach (string block in blocks.OrderBy(b => sensitivity[b].Agreement).ThenByDescending(b => sensitivity[b].LogitError))
        {
            if (agreement >= TargetAgreement)
            {
                break;
            }

            keep.Add(block);
            candidate = Build(keep);
            agreement = Compare(candidate).Agreement;
            log.WriteLine($"accuracy: keeping {block} FP32 → {agreement:P1} agreement");
        }

        foreach (string block in keep.OrderByDescending(WeightCount).ToList())
        {
            List<string> without = [.. keep.Where(b => b != block)];
            string smaller = Build(without);
            double withoutAgreement = Compare(smaller).Agreement;
            log.WriteLine($"accuracy: {block} back in INT8 → {withoutAgreement:P1} agreement");
            if (withoutAgreement >= TargetAgreement)
            {
                keep = without;
                candidate = smaller;
            }
        }

        foreach (string block in blocks.Where(b => !keep.Contains(b)).OrderByDescending(b => blockExcessMicroseconds[b]))
        {
            LatencyStats[] stats = LatencyBenchmark.Measure([fp32Path, candidate], calibration[0], 1, BenchRunsPerRound, BenchRounds, warmUpRuns: 10);
            log.WriteLine($"speed: {keep.Count} blocks FP32 → {stats[1].P50Ms:0.000} ms vs FP32 {stats[0].P50Ms:0.000} ms p50 (1 thread)");
            if (stats[1].P50Ms <= stats[0].P50Ms)
            {
                return keep;
            }

            keep.Add(block);
            candidate = Build(keep);
        }

        return keep;
    }

    /// <summary>Number of float weights of the block's nodes: what keeping it FP32 costs in file size.</summary>
    private long WeightCount(string block) =>
        fp32.Graph.Node.Where(n => n.Name.StartsWith(block, StringComparison.Ordinal))
            .SelectMany(n => n.Input).Select(fp32.Initializer).OfType<Onnx.TensorProto>()
            .Sum(t => t.Dims.Aggregate(1L, (a, d) => a * d));

    private string Build(IReadOnlyList<string> keep)
    {
        string path = Path.Combine(workDir, $"search-{_candidates++}.onnx");
        File.WriteAllBytes(path, QdqQuantizer.Quantize(fp32, ranges, keep).ToBytes());
        return path;
    }

    /// <summary>Top-1 agreement with FP32 and mean squared difference of the raw scores.</summary>
    private (double Agreement, double LogitError) Compare(string path)
    {
        (int[] top, float[] logits) = Predict(path);
        (int[] fp32Top, float[] fp32Logits) = _fp32!.Value;
        double error = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            error += (logits[i] - fp32Logits[i]) * (logits[i] - fp32Logits[i]);
        }

        return ((double)top.Where((t, i) => t == fp32Top[i]).Count() / top.Length, error / logits.Length);
    }

    private (int[] Top, float[] Logits) Predict(string path)
    {
        using OnnxClassifier classifier = OnnxClassifier.Load(path, new ClassifierOptions { IntraOpThreads = threads, WarmUpRuns = 0 });
        int classes = classifier.Model.ClassCount;
        var top = new int[calibration.Count];
        var logits = new float[calibration.Count * classes];
        for (int i = 0; i < calibration.Count; i++)
        {
            calibration[i].CopyTo(classifier.Input(0));
            classifier.Run(0);
            top[i] = ArgMax(classifier.Output);
            classifier.Output.CopyTo(logits.AsSpan(i * classes));
        }

        return (top, logits);
    }

    private static int ArgMax(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int c = 1; c < scores.Length; c++)
        {
            best = scores[c] > scores[best] ? c : best;
        }

        return best;
    }
}
