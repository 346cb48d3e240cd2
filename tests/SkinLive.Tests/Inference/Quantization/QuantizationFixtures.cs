using Microsoft.ML.OnnxRuntime;
using SkinLive.Inference.Quantization;

namespace SkinLive.Tests.Inference.Quantization;

/// <summary>The tiny test model (stem with hard-swish, one inverted-residual block, Gemm head), inputs and runs.</summary>
internal static class QuantizationFixtures
{
    public static readonly long[] TinyShape = [1, 3, 32, 32];

    public static string TinyPath => InferenceFixtures.File("tiny.onnx");

    /// <summary>Deterministic image-like tensors: smooth per-channel gradients plus noise, in normalized units.</summary>
    public static IReadOnlyList<float[]> Inputs(int count, int seed)
    {
        var random = new Random(seed);
        var tensors = new List<float[]>();
        for (int n = 0; n < count; n++)
        {
            var t = new float[3 * 32 * 32];
            for (int c = 0; c < 3; c++)
            {
                float offset = (float)((random.NextDouble() * 2) - 1), slope = (float)((random.NextDouble() * 2) - 1);
                for (int i = 0; i < 32 * 32; i++)
                {
                    t[(c * 1024) + i] = offset + (slope * (i % 32) / 16f) + (float)((random.NextDouble() - 0.5) * 0.5);
                }
            }

            tensors.Add(t);
        }

        return tensors;
    }

    public static Dictionary<string, (float Low, float High)> MinMaxRanges(OnnxGraph graph, IReadOnlyList<float[]> inputs)
    {
        IReadOnlyList<string> names = QdqQuantizer.ActivationsToCalibrate(graph, []);
        return Calibrator.Collect(graph, names, TinyShape, inputs, CalibrationMethod.MinMax, threads: 1)
            .ToDictionary(p => p.Key, p => p.Value.Range(CalibrationMethod.MinMax, 100), StringComparer.Ordinal);
    }

    /// <summary>Runs a model (ORT, all optimizations) on each input and returns the first output of each.</summary>
    public static float[][] Run(byte[] model, IReadOnlyList<float[]> inputs)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var outputs = new float[inputs.Count][];
        for (int i = 0; i < inputs.Count; i++)
        {
            using OrtValue input = OrtValue.CreateTensorValueFromMemory(inputs[i], TinyShape);
            using var runOptions = new RunOptions();
            using IDisposableReadOnlyCollection<OrtValue> result = session.Run(runOptions, [session.InputNames[0]], [input], [session.OutputNames[0]]);
            outputs[i] = result[0].GetTensorDataAsSpan<float>().ToArray();
        }

        return outputs;
    }

    /// <summary>The operator types of the graph ONNX Runtime actually runs (its optimized model, saved and read back).</summary>
    public static HashSet<string> OptimizedOpTypes(byte[] model)
    {
        using TempDir temp = InferenceFixtures.Temp();
        string optimized = temp.File("optimized.onnx");
        using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = optimized })
        using (new InferenceSession(model, options))
        {
        }

        return [.. OnnxGraph.Load(optimized).Graph.Node.Select(n => n.OpType)];
    }

    public static int ArgMax(float[] scores) => Array.IndexOf(scores, scores.Max());
}
