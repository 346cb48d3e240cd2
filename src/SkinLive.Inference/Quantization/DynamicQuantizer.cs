using Onnx;

namespace SkinLive.Inference.Quantization;

/// <summary>
/// The seed's recipe, <c>onnxruntime.quantization.quantize_dynamic</c> with QUInt8 weights, in C#: each Conv becomes
/// DynamicQuantizeLinear (activation range measured per run) → ConvInteger → Cast → Mul by input-scale × weight-scale
/// → Add bias, each MatMul with a constant weight the same with MatMulInteger. Weights are per-tensor asymmetric uint8.
/// No calibration. Gemm is left FP32, as quantize_dynamic leaves it.
/// </summary>
public static class DynamicQuantizer
{
    public const long MinOpset = 11;

    private static readonly string[] s_convAttributes = ["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"];

    /// <exception cref="QuantizationException">The opset is too old.</exception>
    public static OnnxGraph Quantize(OnnxGraph fp32, IReadOnlyList<string> keepFp32)
    {
        if (fp32.Opset < MinOpset)
        {
            throw new QuantizationException($"the model uses opset {fp32.Opset}; DynamicQuantizeLinear needs opset {MinOpset} or newer.");
        }

        OnnxGraph graph = fp32.Clone();
        var dynamicInputs = new Dictionary<string, (string Quantized, string Scale, string ZeroPoint)>(StringComparer.Ordinal);
        foreach (NodeProto node in graph.Graph.Node.ToList())
        {
            if (node.OpType is not ("Conv" or "MatMul")
                || keepFp32.Any(prefix => node.Name.StartsWith(prefix, StringComparison.Ordinal))
                || graph.Initializer(node.Input[0]) is not null
                || graph.Initializer(node.Input[1]) is not { DataType: (int)TensorProto.Types.DataType.Float } weight
                || (node.OpType == "MatMul" && weight.Dims.Count != 2)
                || (HasBias(node) && graph.Initializer(node.Input[2]) is null))
            {
                continue;
            }

            string x = node.Input[0];
            if (!dynamicInputs.TryGetValue(x, out var input))
            {
                input = (graph.UniqueName(x + "_quantized"), graph.UniqueName(x + "_scale"), graph.UniqueName(x + "_zero_point"));
                graph.AddNode("DynamicQuantizeLinear", x + "_DynamicQuantizeLinear", [x], [input.Quantized, input.Scale, input.ZeroPoint]);
                dynamicInputs[x] = input;
            }

            float[] values = OnnxGraph.ReadFloats(weight);
            QuantParams p = QuantMath.UInt8Asymmetric(values);
            string wq = graph.UniqueName(weight.Name + "_quantized");
            string ws = graph.UniqueName(weight.Name + "_scale");
            string wz = graph.UniqueName(weight.Name + "_zero_point");
            graph.AddInitializer(OnnxGraph.UInt8Tensor(wq, OnnxGraph.Dims(weight), QuantMath.QuantizeUInt8(values, p)));
            graph.AddInitializer(OnnxGraph.FloatTensor(ws, [], [p.Scale]));
            graph.AddInitializer(OnnxGraph.UInt8Tensor(wz, [], [(byte)p.ZeroPoint]));

            string output = node.Output[0];
            string integer = graph.UniqueName(output + "_int32");
            NodeProto op = graph.AddNode(node.OpType == "Conv" ? "ConvInteger" : "MatMulInteger", node.Name + "_quant", [input.Quantized, wq, input.ZeroPoint, wz], [integer]);
            op.Attribute.AddRange(node.Attribute.Where(a => s_convAttributes.Contains(a.Name)).Select(a => a.Clone()));
            string asFloat = graph.UniqueName(output + "_cast");
            graph.AddNode("Cast", node.Name + "_cast", [integer], [asFloat], OnnxGraph.IntAttribute("to", (int)TensorProto.Types.DataType.Float));
            string scale = graph.UniqueName(output + "_scale");
            graph.AddNode("Mul", node.Name + "_scales_mul", [input.Scale, ws], [scale]);

            bool hasBias = HasBias(node);
            string scaled = hasBias ? graph.UniqueName(output + "_scaled") : output;
            graph.AddNode("Mul", node.Name + "_output_scale_mul", [asFloat, scale], [scaled]);
            if (hasBias)
            {
                // ConvInteger has no bias input: add it broadcast over [1, C, 1, ...] as quantize_dynamic does.
                TensorProto bias = graph.Initializer(node.Input[2])!;
                long[] dims = new long[weight.Dims.Count];
                Array.Fill(dims, 1L);
                dims[1] = bias.Dims[0];
                string reshaped = graph.UniqueName(bias.Name + "_reshaped");
                graph.AddInitializer(OnnxGraph.FloatTensor(reshaped, dims, OnnxGraph.ReadFloats(bias)));
                graph.AddNode("Add", node.Name + "_bias_add", [scaled, reshaped], [output]);
            }

            graph.Graph.Node.Remove(node);
            graph.RemoveInitializerIfUnused(weight.Name);
            if (hasBias)
            {
                graph.RemoveInitializerIfUnused(node.Input[2]);
            }
        }

        graph.SortTopologically();
        return graph;
    }

    private static bool HasBias(NodeProto node) => node.OpType == "Conv" && node.Input.Count > 2 && node.Input[2].Length > 0;
}
