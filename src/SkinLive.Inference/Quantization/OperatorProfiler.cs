using System.Text.Json;
using Microsoft.ML.OnnxRuntime;

namespace SkinLive.Inference.Quantization;

/// <summary>One node of the optimized graph as ONNX Runtime ran it: its kernel's median time per run.</summary>
public sealed record OperatorTime(string Node, string OpType, double MedianMicroseconds);

/// <summary>
/// ONNX Runtime's own per-operator profile (<see cref="SessionOptions.EnableProfiling"/>): runs a model, reads the
/// Chrome-trace JSON it writes, and gives each executed node's median kernel time. Node names are those of the
/// optimized graph (fused QLinearConv, HardSwish, layout reorders), so this shows what the quantized graph really
/// became and where its time goes.
/// </summary>
public static class OperatorProfiler
{
    private const string KernelSuffix = "_kernel_time";

    public static IReadOnlyList<OperatorTime> Profile(string modelPath, float[] input, long[] inputShape, int threads, int runs)
    {
        string folder = Directory.CreateTempSubdirectory("skinlive-ort-profile-").FullName;
        try
        {
            string profile;
            using (var options = new SessionOptions
            {
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                IntraOpNumThreads = Math.Max(1, threads),
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                // The prefix first: setting EnableProfiling hands ORT the prefix it has at that moment.
                ProfileOutputPathPrefix = Path.Combine(folder, "ort"),
                EnableProfiling = true,
            })
            using (var session = new InferenceSession(modelPath, options))
            using (var runOptions = new RunOptions())
            using (OrtValue value = OrtValue.CreateTensorValueFromMemory(input, inputShape))
            {
                string inputName = session.InputNames[0];
                string[] outputNames = [session.OutputNames[0]];
                for (int i = 0; i < runs; i++)
                {
                    using IDisposableReadOnlyCollection<OrtValue> _ = session.Run(runOptions, [inputName], [value], outputNames);
                }

                profile = session.EndProfiling();
            }

            return Parse(File.ReadAllText(profile));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Kernel events of an ORT profile, grouped by node; the median is robust to the first, cold run.</summary>
    public static IReadOnlyList<OperatorTime> Parse(string profileJson)
    {
        var durations = new Dictionary<string, (string OpType, List<double> Durations)>(StringComparer.Ordinal);
        var order = new List<string>();
        using JsonDocument document = JsonDocument.Parse(profileJson);
        foreach (JsonElement e in document.RootElement.EnumerateArray())
        {
            if (!e.TryGetProperty("cat", out JsonElement cat) || cat.GetString() != "Node"
                || e.GetProperty("name").GetString() is not { } name || !name.EndsWith(KernelSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            string node = name[..^KernelSuffix.Length];
            string opType = e.TryGetProperty("args", out JsonElement args) && args.TryGetProperty("op_name", out JsonElement op) ? op.GetString() ?? "" : "";
            if (!durations.TryGetValue(node, out var entry))
            {
                durations[node] = entry = (opType, []);
                order.Add(node);
            }

            entry.Durations.Add(e.GetProperty("dur").GetDouble());
        }

        return [.. order.Select(node =>
        {
            (string opType, List<double> d) = durations[node];
            d.Sort();
            return new OperatorTime(node, opType, d.Count % 2 == 1 ? d[d.Count / 2] : (d[(d.Count / 2) - 1] + d[d.Count / 2]) / 2);
        })];
    }

    /// <summary>
    /// The block of each profiled node, in run order. Nodes ONNX Runtime made up (layout reorders, the parts of an
    /// inlined HardSwish function) have no module path; they run right after the node that feeds them, so they are
    /// charged to the block of the node before them (those before any named node, to the first block).
    /// </summary>
    public static string[] Blocks(IReadOnlyList<OperatorTime> profile)
    {
        var blocks = new string[profile.Count];
        string? current = profile.Select(t => BlockOf(t.Node)).FirstOrDefault(b => b is not null);
        for (int i = 0; i < profile.Count; i++)
        {
            current = BlockOf(profile[i].Node) ?? current;
            blocks[i] = current ?? "(unnamed)";
        }

        return blocks;
    }

    /// <summary>
    /// The block a node belongs to, from its exporter name: the path up to the first numbered module, ending in '/'
    /// so it is a <c>--keep-fp32</c> prefix that cannot match a longer number (<c>/features/features.4/block/...</c> →
    /// <c>/features/features.4/</c>); a top-level node (<c>/Flatten</c>) is its own block. Names without a module
    /// path (layout reorders ORT inserts) have no block.
    /// </summary>
    public static string? BlockOf(string nodeName)
    {
        string[] parts = nodeName.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!nodeName.StartsWith('/') || parts.Length == 0)
        {
            return null;
        }

        if (parts.Length == 1)
        {
            return nodeName;
        }

        int end = Array.FindIndex(parts, 0, parts.Length - 1, p => p.Any(char.IsAsciiDigit));
        return "/" + string.Join('/', parts.Take(end >= 0 ? end + 1 : parts.Length - 1)) + "/";
    }
}
