using Onnx;

namespace SkinLive.Inference.Quantization;

/// <summary>
/// Static post-training quantization in QDQ form: every activation that enters or leaves a quantized node gets a
/// QuantizeLinear → DequantizeLinear pair (uint8, per tensor, from calibration), weights are stored as per-channel
/// symmetric int8 behind a DequantizeLinear, and biases as int32 at input-scale × weight-scale. ONNX Runtime's graph
/// optimizer then fuses each DQ → Conv → Q group into QLinearConv (DQ → Gemm → Q into QGemm, DQ → Add → Q into
/// QLinearAdd, DQ → Mul → Q into QLinearMul). Hard-swish is first fused into one HardSwish node
/// (<see cref="HardSwishFusion"/>), so it costs one DQ → HardSwish → Q instead of two DequantizeLinear feeding an
/// unfused HardSigmoid and Mul. Nodes whose name starts with a kept prefix, and operators without an integer kernel
/// (HardSwish, HardSigmoid, Flatten), stay FP32.
/// </summary>
public static class QdqQuantizer
{
    public const long MinOpset = 13;

    private static readonly HashSet<string> s_quantizedOps = new(StringComparer.Ordinal) { "Conv", "Gemm", "MatMul", "Add", "Mul" };

    /// <summary>The activations whose calibrated ranges <see cref="Quantize"/> needs.</summary>
    public static IReadOnlyList<string> ActivationsToCalibrate(OnnxGraph graph, IReadOnlyList<string> keepFp32)
    {
        OnnxGraph fused = graph.Clone();
        HardSwishFusion.Apply(fused);
        return Plan(fused, keepFp32).Tensors;
    }

    /// <summary>The names of the nodes <see cref="Quantize"/> would quantize (after hard-swish fusion).</summary>
    public static IReadOnlyList<string> QuantizedNodes(OnnxGraph graph, IReadOnlyList<string> keepFp32)
    {
        OnnxGraph fused = graph.Clone();
        HardSwishFusion.Apply(fused);
        return [.. Plan(fused, keepFp32).Nodes.Select(n => n.Node.Name)];
    }

    /// <summary>A quantized copy of <paramref name="fp32"/>.</summary>
    /// <param name="fp32">The model; not changed.</param>
    /// <param name="ranges">Calibrated [low, high] of every tensor <see cref="ActivationsToCalibrate"/> names.</param>
    /// <param name="keepFp32">Node-name prefixes to leave in FP32.</param>
    /// <exception cref="QuantizationException">The opset is too old or a range is missing.</exception>
    public static OnnxGraph Quantize(OnnxGraph fp32, IReadOnlyDictionary<string, (float Low, float High)> ranges, IReadOnlyList<string> keepFp32)
    {
        if (fp32.Opset < MinOpset)
        {
            throw new QuantizationException($"the model uses opset {fp32.Opset}; per-channel QuantizeLinear/DequantizeLinear need opset {MinOpset} or newer (re-export it with opset_version={MinOpset}).");
        }

        OnnxGraph graph = fp32.Clone();
        HardSwishFusion.Apply(graph);
        QuantPlan plan = Plan(graph, keepFp32);
        Dictionary<string, List<NodeProto>> consumers = graph.Consumers();
        var activationScales = new Dictionary<string, float>(StringComparer.Ordinal);
        foreach (string tensor in plan.Tensors)
        {
            if (!ranges.TryGetValue(tensor, out (float Low, float High) range))
            {
                throw new QuantizationException($"no calibrated range for tensor {tensor}.");
            }

            QuantParams p = QuantMath.UInt8Asymmetric(range.Low, range.High);
            activationScales[tensor] = p.Scale;
            string scale = AddScalar(graph, tensor + "_scale", p.Scale);
            string zeroPoint = graph.UniqueName(tensor + "_zero_point");
            graph.AddInitializer(OnnxGraph.UInt8Tensor(zeroPoint, [], [(byte)p.ZeroPoint]));
            string quantized = graph.UniqueName(tensor + "_quantized");
            string dequantized = graph.UniqueName(tensor + "_dequantized");
            foreach (NodeProto consumer in consumers.GetValueOrDefault(tensor) ?? [])
            {
                Rewire(consumer, tensor, dequantized);
            }

            graph.AddNode("QuantizeLinear", tensor + "_QuantizeLinear", [tensor, scale, zeroPoint], [quantized]);
            graph.AddNode("DequantizeLinear", tensor + "_DequantizeLinear", [quantized, scale, zeroPoint], [dequantized]);
        }

        foreach (PlannedNode planned in plan.Nodes.Where(n => n.WeightAxis >= 0))
        {
            QuantizeWeightAndBias(graph, planned, activationScales[planned.ActivationInput]);
        }

        graph.SortTopologically();
        return graph;
    }

    private static void QuantizeWeightAndBias(OnnxGraph graph, PlannedNode planned, float inputScale)
    {
        NodeProto node = planned.Node;
        string weightName = node.Input[1];
        TensorProto weight = graph.Initializer(weightName)!;
        float[] values = OnnxGraph.ReadFloats(weight);
        long[] dims = OnnxGraph.Dims(weight);
        QuantParams[] channels = QuantMath.Int8PerChannel(values, dims, planned.WeightAxis);
        sbyte[] quantized = QuantMath.QuantizeInt8PerChannel(values, dims, planned.WeightAxis, channels);
        long[] channelDims = [channels.Length];
        string q = graph.UniqueName(weightName + "_quantized");
        string scale = graph.UniqueName(weightName + "_scale");
        string zeroPoint = graph.UniqueName(weightName + "_zero_point");
        graph.AddInitializer(OnnxGraph.Int8Tensor(q, dims, quantized));
        graph.AddInitializer(OnnxGraph.FloatTensor(scale, channelDims, channels.Select(c => c.Scale).ToArray()));
        graph.AddInitializer(OnnxGraph.Int8Tensor(zeroPoint, channelDims, new sbyte[channels.Length]));
        string dequantized = graph.UniqueName(weightName + "_dequantized");
        graph.AddNode("DequantizeLinear", weightName + "_DequantizeLinear", [q, scale, zeroPoint], [dequantized], OnnxGraph.IntAttribute("axis", planned.WeightAxis));
        node.Input[1] = dequantized;
        graph.RemoveInitializerIfUnused(weightName);

        if (node.Input.Count < 3 || node.Input[2].Length == 0 || graph.Initializer(node.Input[2]) is not { } bias)
        {
            return;
        }

        float[] biasValues = OnnxGraph.ReadFloats(bias);
        if (biasValues.Length != channels.Length)
        {
            // A broadcast Gemm bias does not match the channel scales; it stays float.
            return;
        }

        int[] biasQuantized = QuantMath.QuantizeBias(biasValues, inputScale, channels, out float[] biasScales);
        string biasName = bias.Name;
        string bq = graph.UniqueName(biasName + "_quantized");
        string bs = graph.UniqueName(biasName + "_scale");
        graph.AddInitializer(OnnxGraph.Int32Tensor(bq, OnnxGraph.Dims(bias), biasQuantized));
        graph.AddInitializer(OnnxGraph.FloatTensor(bs, channelDims, biasScales));
        string biasDequantized = graph.UniqueName(biasName + "_dequantized");
        graph.AddNode("DequantizeLinear", biasName + "_DequantizeLinear", [bq, bs], [biasDequantized], OnnxGraph.IntAttribute("axis", 0));
        node.Input[2] = biasDequantized;
        graph.RemoveInitializerIfUnused(biasName);
    }

    private static string AddScalar(OnnxGraph graph, string stem, float value)
    {
        string name = graph.UniqueName(stem);
        graph.AddInitializer(OnnxGraph.FloatTensor(name, [], [value]));
        return name;
    }

    private static void Rewire(NodeProto node, string from, string to)
    {
        for (int i = 0; i < node.Input.Count; i++)
        {
            if (node.Input[i] == from)
            {
                node.Input[i] = to;
            }
        }
    }

    /// <param name="Node">The node.</param>
    /// <param name="ActivationInput">Its first activation input (its scale sets the bias scale).</param>
    /// <param name="WeightAxis">Output-channel axis of its weight, or -1 when it has no weight (Add, Mul).</param>
    private sealed record PlannedNode(NodeProto Node, string ActivationInput, int WeightAxis);

    /// <param name="Nodes">Nodes to quantize.</param>
    /// <param name="Tensors">Activations to wrap in Q → DQ, each once, in graph order.</param>
    private sealed record QuantPlan(List<PlannedNode> Nodes, List<string> Tensors);

    private static QuantPlan Plan(OnnxGraph graph, IReadOnlyList<string> keepFp32)
    {
        Dictionary<string, List<NodeProto>> consumers = graph.Consumers();
        var nodes = new List<PlannedNode>();
        var tensors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void AddTensor(string name)
        {
            if (seen.Add(name))
            {
                tensors.Add(name);
            }
        }

        foreach (NodeProto node in graph.Graph.Node)
        {
            if (!s_quantizedOps.Contains(node.OpType) || keepFp32.Any(prefix => node.Name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                continue;
            }

            int weightAxis = WeightAxis(graph, node);
            bool elementwise = node.OpType is "Add" or "Mul";
            string[] activations = elementwise ? [.. node.Input] : [node.Input[0]];
            if ((!elementwise && weightAxis < 0) || activations.Any(a => graph.Initializer(a) is not null))
            {
                continue;
            }

            nodes.Add(new PlannedNode(node, activations[0], weightAxis));
            foreach (string activation in activations)
            {
                AddTensor(activation);
            }

            string output = node.Output[0];
            if (graph.IsGraphOutput(output))
            {
                // The model's scores stay float: quantizing 7 logits saves nothing and costs agreement.
                continue;
            }

            // A ReLU that is the output's only reader folds into the range (its output starts at 0, so the uint8
            // zero point is 0 and ONNX Runtime drops the ReLU in front of QuantizeLinear).
            List<NodeProto> readers = consumers.GetValueOrDefault(output) ?? [];
            bool foldRelu = readers is [{ OpType: "Relu" } relu] && !graph.IsGraphOutput(relu.Output[0]);
            AddTensor(foldRelu ? readers[0].Output[0] : output);
        }

        return new QuantPlan(nodes, tensors);
    }

    /// <summary>Output-channel axis of the node's float-initializer weight; -1 when it has none or a form not handled.</summary>
    private static int WeightAxis(OnnxGraph graph, NodeProto node)
    {
        if (node.Input.Count < 2 || graph.Initializer(node.Input[1]) is not { } weight
            || weight.DataType != (int)TensorProto.Types.DataType.Float)
        {
            return -1;
        }

        return node.OpType switch
        {
            "Conv" => 0,
            "Gemm" when OnnxGraph.IntAttribute(node, "transA", 0) == 0 && weight.Dims.Count == 2
                && GemmScale(node, "alpha") == 1f && GemmScale(node, "beta") == 1f => OnnxGraph.IntAttribute(node, "transB", 0) == 1 ? 0 : 1,
            "MatMul" when weight.Dims.Count == 2 => 1,
            _ => -1,
        };
    }

    private static float GemmScale(NodeProto node, string name) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.F : 1f;
}
