using Onnx;

namespace SkinLive.Inference.Quantization;

/// <summary>
/// PyTorch exports hard-swish as <c>Mul(x, HardSigmoid(x, alpha = 1/6, beta = 0.5))</c>. In a QDQ graph ONNX Runtime
/// gives each reader of a DequantizeLinear its own copy, so x is dequantized twice and its own HardSwish fusion no
/// longer matches; the pair then runs unfused on full-size tensors. Rewriting the pair as one ONNX HardSwish
/// (opset 14, same function) before inserting Q/DQ leaves one DQ → HardSwish → Q.
/// </summary>
public static class HardSwishFusion
{
    private const long HardSwishOpset = 14;

    /// <summary>Fuses every hard-swish pair; raises the default-domain opset to 14 when it fused any. Returns the count.</summary>
    public static int Apply(OnnxGraph graph)
    {
        Dictionary<string, List<NodeProto>> consumers = graph.Consumers();
        int fused = 0;
        foreach (NodeProto sigmoid in graph.Graph.Node.Where(n => n.OpType == "HardSigmoid").ToList())
        {
            string x = sigmoid.Input[0];
            if (!IsHardSwishGate(sigmoid)
                || (consumers.GetValueOrDefault(sigmoid.Output[0]) ?? []) is not [{ OpType: "Mul" } mul]
                || graph.IsGraphOutput(sigmoid.Output[0])
                || !mul.Input.Contains(x))
            {
                continue;
            }

            // The name keeps the Mul's module path, so block prefixes (--keep-fp32, profiles) still find it.
            string name = mul.Name.EndsWith("/Mul", StringComparison.Ordinal) ? mul.Name[..^"Mul".Length] + "HardSwish" : mul.Name + "_HardSwish";
            graph.AddNode("HardSwish", name, [x], [mul.Output[0]]);
            graph.Graph.Node.Remove(sigmoid);
            graph.Graph.Node.Remove(mul);
            fused++;
        }

        if (fused > 0)
        {
            foreach (OperatorSetIdProto opset in graph.Model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx" && o.Version < HardSwishOpset))
            {
                opset.Version = HardSwishOpset;
            }

            graph.SortTopologically();
        }

        return fused;
    }

    private static bool IsHardSwishGate(NodeProto node)
    {
        float alpha = node.Attribute.FirstOrDefault(a => a.Name == "alpha")?.F ?? 0.2f;
        float beta = node.Attribute.FirstOrDefault(a => a.Name == "beta")?.F ?? 0.5f;
        return Math.Abs(alpha - (1f / 6f)) < 1e-6f && Math.Abs(beta - 0.5f) < 1e-6f;
    }
}
