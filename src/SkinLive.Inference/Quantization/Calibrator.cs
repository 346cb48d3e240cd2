using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace SkinLive.Inference.Quantization;

/// <summary>
/// Runs the FP32 model through ONNX Runtime with the tensors to calibrate exposed as extra graph outputs, and
/// collects their ranges. Inputs are tensors already preprocessed exactly as at run time (the caller owns the
/// image path). Min-max needs one pass; percentiles a second pass that fills each tensor's histogram.
/// </summary>
public static class Calibrator
{
    /// <param name="graph">The FP32 model; it is not changed.</param>
    /// <param name="tensorNames">The activations whose ranges are needed.</param>
    /// <param name="inputShape">The model input's concrete shape (batch 1).</param>
    /// <param name="inputs">Calibration tensors, each as many floats as <paramref name="inputShape"/> holds.</param>
    /// <param name="method">Min-max, or percentiles (histogram pass added).</param>
    /// <param name="threads">Intra-op threads for ONNX Runtime.</param>
    /// <param name="progress">Called after each tensor of each pass with (done, total).</param>
    public static Dictionary<string, TensorRange> Collect(
        OnnxGraph graph, IReadOnlyCollection<string> tensorNames, long[] inputShape, IReadOnlyList<float[]> inputs,
        CalibrationMethod method, int threads, Action<int, int>? progress = null)
    {
        if (inputs.Count == 0)
        {
            throw new QuantizationException("calibration needs at least one input tensor.");
        }

        OnnxGraph exposed = graph.Clone();
        var outputs = tensorNames.Distinct(StringComparer.Ordinal).ToList();
        foreach (string name in outputs.Where(n => !exposed.IsGraphOutput(n)))
        {
            // Type only: ONNX Runtime infers the shape of an intermediate tensor made a graph output.
            var type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } };
            exposed.Graph.Output.Add(new ValueInfoProto { Name = name, Type = type });
        }

        var ranges = outputs.ToDictionary(n => n, _ => new TensorRange(), StringComparer.Ordinal);
        using var options = new SessionOptions
        {
            // Basic optimizations only: fusions must not change the values of the tensors being observed.
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC,
            IntraOpNumThreads = Math.Max(1, threads),
            InterOpNumThreads = 1,
        };
        using var session = new InferenceSession(exposed.ToBytes(), options);
        using var runOptions = new RunOptions();
        string inputName = session.InputNames[0];
        int passes = method == CalibrationMethod.Percentile ? 2 : 1;
        for (int pass = 0; pass < passes; pass++)
        {
            for (int i = 0; i < inputs.Count; i++)
            {
                using OrtValue input = OrtValue.CreateTensorValueFromMemory(inputs[i], inputShape);
                using IDisposableReadOnlyCollection<OrtValue> results = session.Run(runOptions, [inputName], [input], outputs);
                int k = 0;
                foreach (OrtValue result in results)
                {
                    ReadOnlySpan<float> values = result.GetTensorDataAsSpan<float>();
                    TensorRange range = ranges[outputs[k++]];
                    if (pass == 0)
                    {
                        range.ObserveMinMax(values);
                    }
                    else
                    {
                        range.ObserveHistogram(values);
                    }
                }

                progress?.Invoke((pass * inputs.Count) + i + 1, passes * inputs.Count);
            }
        }

        return ranges;
    }
}
