using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SkinLive.Bench.Peers;

/// <summary>
/// The classifier a C# developer writes from ONNX Runtime's sample code: a <see cref="DenseTensor{T}"/> and a
/// <see cref="NamedOnnxValue"/> per call, <c>session.Run(inputs)</c>, the output copied out with LINQ and a
/// softmax. The benchmark peer of the zero-allocation classifier.
/// </summary>
public sealed class PlainOrtClassifier : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly int[] _dimensions;

    public PlainOrtClassifier(string modelPath, int threads)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = threads,
        };
        _session = new InferenceSession(modelPath, options);
        _inputName = _session.InputMetadata.Keys.First();
        _dimensions = [.. _session.InputMetadata[_inputName].Dimensions.Select(d => d < 0 ? 1 : d)];
    }

    public int ElementCount => _dimensions.Aggregate(1, (a, d) => a * d);

    /// <summary>Classifies one tensor (batch 1) and returns the softmax probabilities.</summary>
    public float[] Classify(float[] tensor)
    {
        var input = new DenseTensor<float>(tensor, _dimensions);
        var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor(_inputName, input) };
        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = _session.Run(inputs);
        float[] logits = results.First().AsEnumerable<float>().ToArray();
        float max = logits.Max();
        float[] exp = [.. logits.Select(v => MathF.Exp(v - max))];
        float sum = exp.Sum();
        return [.. exp.Select(v => v / sum)];
    }

    public void Dispose() => _session.Dispose();
}
