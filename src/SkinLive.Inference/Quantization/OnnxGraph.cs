using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace SkinLive.Inference.Quantization;

/// <summary>
/// An ONNX model as its protobuf (OnnxSharp's generated schema), with the lookups and tensor builders the
/// quantizers share: initializers by name, producers and consumers of each tensor, fresh unique names, and a
/// topological sort so inserted nodes may be appended anywhere.
/// </summary>
public sealed class OnnxGraph
{
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);

    private OnnxGraph(ModelProto model)
    {
        Model = model;
        foreach (NodeProto node in Graph.Node)
        {
            _usedNames.Add(node.Name);
            _usedNames.UnionWith(node.Output);
        }

        _usedNames.UnionWith(Graph.Input.Select(i => i.Name));
        _usedNames.UnionWith(Graph.Initializer.Select(i => i.Name));
    }

    public ModelProto Model { get; }

    public GraphProto Graph => Model.Graph;

    /// <summary>The opset of the default (ai.onnx) domain.</summary>
    public long Opset => Model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();

    /// <exception cref="QuantizationException">The bytes are not an ONNX model.</exception>
    public static OnnxGraph Parse(byte[] bytes, string source)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new QuantizationException($"{source} is not an ONNX model ({ex.Message}).", ex);
        }

        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new QuantizationException($"{source} is not an ONNX model (it has no graph).");
        }

        return new OnnxGraph(model);
    }

    /// <exception cref="QuantizationException">The file is missing or is not an ONNX model.</exception>
    public static OnnxGraph Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new QuantizationException($"model file {path} does not exist.");
        }

        return Parse(File.ReadAllBytes(path), path);
    }

    public OnnxGraph Clone() => new(Model.Clone());

    public byte[] ToBytes() => Model.ToByteArray();

    public TensorProto? Initializer(string name) => Graph.Initializer.FirstOrDefault(t => t.Name == name);

    /// <summary>Every tensor name that feeds a node input, mapped to the nodes reading it.</summary>
    public Dictionary<string, List<NodeProto>> Consumers()
    {
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (NodeProto node in Graph.Node)
        {
            foreach (string input in node.Input.Where(i => i.Length > 0))
            {
                if (!consumers.TryGetValue(input, out List<NodeProto>? list))
                {
                    consumers[input] = list = [];
                }

                if (!list.Contains(node))
                {
                    list.Add(node);
                }
            }
        }

        return consumers;
    }

    public bool IsGraphOutput(string tensor) => Graph.Output.Any(o => o.Name == tensor);

    /// <summary>A name not yet used by any tensor or node, derived from <paramref name="stem"/>.</summary>
    public string UniqueName(string stem)
    {
        string name = stem;
        for (int i = 1; !_usedNames.Add(name); i++)
        {
            name = $"{stem}_{i}";
        }

        return name;
    }

    public void AddInitializer(TensorProto tensor)
    {
        _usedNames.Add(tensor.Name);
        Graph.Initializer.Add(tensor);
    }

    /// <summary>Removes an initializer no node reads any more (and its graph-input entry, which IR &lt; 4 models have).</summary>
    public void RemoveInitializerIfUnused(string name)
    {
        if (Graph.Node.Any(n => n.Input.Contains(name)))
        {
            return;
        }

        TensorProto? tensor = Initializer(name);
        if (tensor is not null)
        {
            Graph.Initializer.Remove(tensor);
        }

        ValueInfoProto? input = Graph.Input.FirstOrDefault(i => i.Name == name);
        if (input is not null)
        {
            Graph.Input.Remove(input);
        }
    }

    public NodeProto AddNode(string opType, string stem, IEnumerable<string> inputs, IEnumerable<string> outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = UniqueName(stem) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return node;
    }

    /// <summary>
    /// Orders the nodes so each comes after the producers of its inputs (ONNX requires it); nodes already in order
    /// keep their relative order.
    /// </summary>
    /// <exception cref="QuantizationException">The graph has a cycle.</exception>
    public void SortTopologically()
    {
        var available = new HashSet<string>(Graph.Input.Select(i => i.Name), StringComparer.Ordinal);
        available.UnionWith(Graph.Initializer.Select(i => i.Name));
        available.Add("");
        var pending = Graph.Node.ToList();
        var sorted = new List<NodeProto>(pending.Count);
        while (pending.Count > 0)
        {
            int before = pending.Count;
            for (int i = 0; i < pending.Count; i++)
            {
                NodeProto node = pending[i];
                if (node.Input.All(available.Contains))
                {
                    sorted.Add(node);
                    available.UnionWith(node.Output);
                    pending.RemoveAt(i);
                    i = -1;
                }
            }

            if (pending.Count == before)
            {
                throw new QuantizationException($"the graph cannot be ordered: node {pending[0].Name} waits on an input nothing produces.");
            }
        }

        Graph.Node.Clear();
        Graph.Node.AddRange(sorted);
    }

    /// <summary>The values of a float initializer, from raw_data (little-endian) or float_data.</summary>
    /// <exception cref="QuantizationException">The tensor is not float32 or is stored outside the model.</exception>
    public static float[] ReadFloats(TensorProto tensor)
    {
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new QuantizationException($"initializer {tensor.Name} is not float32 (ONNX data type {tensor.DataType}).");
        }

        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new QuantizationException($"initializer {tensor.Name} is stored in an external file; save the model with its weights inside.");
        }

        return tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : [.. tensor.FloatData];
    }

    public static long[] Dims(TensorProto tensor) => [.. tensor.Dims];

    public static TensorProto FloatTensor(string name, long[] dims, ReadOnlySpan<float> values) =>
        RawTensor(name, dims, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values));

    public static TensorProto Int32Tensor(string name, long[] dims, ReadOnlySpan<int> values) =>
        RawTensor(name, dims, TensorProto.Types.DataType.Int32, MemoryMarshal.AsBytes(values));

    public static TensorProto Int64Tensor(string name, long[] dims, ReadOnlySpan<long> values) =>
        RawTensor(name, dims, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values));

    public static TensorProto UInt8Tensor(string name, long[] dims, ReadOnlySpan<byte> values) =>
        RawTensor(name, dims, TensorProto.Types.DataType.Uint8, values);

    public static TensorProto Int8Tensor(string name, long[] dims, ReadOnlySpan<sbyte> values) =>
        RawTensor(name, dims, TensorProto.Types.DataType.Int8, MemoryMarshal.AsBytes(values));

    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An integer attribute of <paramref name="node"/>, or <paramref name="fallback"/> when absent.</summary>
    public static long IntAttribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.I : fallback;

    private static TensorProto RawTensor(string name, long[] dims, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}

/// <summary>A model or option the quantizer cannot work with; the message is one sentence for the user.</summary>
public sealed class QuantizationException(string message, Exception? inner = null) : Exception(message, inner);
