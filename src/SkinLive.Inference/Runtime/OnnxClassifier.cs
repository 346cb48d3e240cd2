using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;
using SkinLive.Inference.Models;

namespace SkinLive.Inference.Runtime;

/// <summary>
/// One ONNX Runtime session over fixed, pinned input buffers and one pinned output buffer. Every
/// <see cref="OrtValue"/> and <see cref="OrtIoBinding"/> is created at load, one binding per input buffer, so
/// <see cref="Run"/> is a single native call that allocates nothing on the managed heap.
/// Not thread-safe: one thread runs it.
/// </summary>
public sealed class OnnxClassifier : IDisposable
{
    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[][] _inputs;
    private readonly float[] _output;
    private readonly List<IDisposable> _owned = [];
    private readonly OrtIoBinding[] _bindings;

    private OnnxClassifier(ModelDescription model, SessionOptions sessionOptions, InferenceSession session, IReadOnlyList<float[]>? inputBuffers, ClassifierOptions options)
    {
        Model = model;
        Options = options;
        _sessionOptions = sessionOptions;
        _session = session;
        int elements = model.Preprocess.ElementCount;
        _inputs = inputBuffers is null ? [GC.AllocateArray<float>(elements, pinned: true)] : [.. inputBuffers];
        _output = GC.AllocateArray<float>(model.ClassCount, pinned: true);
        _bindings = new OrtIoBinding[_inputs.Length];
        try
        {
            if (_inputs.Length == 0 || _inputs.Any(b => b.Length != elements))
            {
                throw new ArgumentException($"Input buffers must each hold exactly {elements} floats for model {model.Name}.", nameof(inputBuffers));
            }

            OrtValue outputValue = Own(OrtValue.CreateTensorValueFromMemory(_output, model.OutputShape));
            for (int i = 0; i < _inputs.Length; i++)
            {
                _bindings[i] = Own(Bind(_inputs[i], outputValue));
            }

            WarmUp(outputValue, options.WarmUpRuns);
        }
        catch
        {
            // Load disposes the session and its options; the values bound so far are ours to free.
            DisposeOwned();
            _runOptions.Dispose();
            throw;
        }
    }

    public ModelDescription Model { get; }

    public ClassifierOptions Options { get; }

    public int InputBufferCount => _inputs.Length;

    /// <summary>The raw scores of the last run (logits or probabilities as the model outputs them).</summary>
    public ReadOnlySpan<float> Output => _output;

    /// <summary>Input buffer <paramref name="index"/>, to fill before <see cref="Run"/>.</summary>
    public Span<float> Input(int index) => _inputs[index];

    /// <summary>
    /// Loads <paramref name="path"/> with its manifest (sidecar <c>name.json</c>, else the <c>skinlive.manifest</c>
    /// metadata entry) and validates it. <paramref name="inputBuffers"/> are the caller's pinned tensors (e.g.
    /// <c>TensorDoubleBuffer.Buffers</c>); without them the classifier owns one buffer.
    /// </summary>
    /// <exception cref="ModelLoadException">The model cannot be used; the message says why in one sentence.</exception>
    public static OnnxClassifier Load(string path, ClassifierOptions? options = null, IReadOnlyList<float[]>? inputBuffers = null)
    {
        options ??= new ClassifierOptions();
        string file = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"Model file {path} does not exist.");
        }

        byte[] bytes = File.ReadAllBytes(path);
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        string sidecar = Path.ChangeExtension(path, ".json");
        ModelManifest? manifest = File.Exists(sidecar) ? ModelManifest.Parse(File.ReadAllText(sidecar), Path.GetFileName(sidecar)) : null;
        CheckSha(manifest, sha256, file);

        SessionOptions sessionOptions = CreateSessionOptions(options);
        InferenceSession session;
        try
        {
            session = new InferenceSession(bytes, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            sessionOptions.Dispose();
            throw new ModelLoadException($"{file} is not a valid ONNX model ({FirstLine(ex.Message)}).", ex);
        }

        try
        {
            string source = manifest is null ? "none" : "sidecar";
            if (manifest is null && session.ModelMetadata.CustomMetadataMap.TryGetValue(ModelResolver.MetadataKey, out string? embedded))
            {
                manifest = ModelManifest.Parse(embedded, $"in {file} metadata");
                source = "metadata";
                CheckSha(manifest, sha256, file);
            }

            ModelDescription model = ModelResolver.Resolve(path, sha256, manifest, source, session);
            return new OnnxClassifier(model, sessionOptions, session, inputBuffers, options);
        }
        catch (Exception ex)
        {
            session.Dispose();
            sessionOptions.Dispose();
            if (ex is OnnxRuntimeException ort)
            {
                throw new ModelLoadException($"{file} failed its first run ({FirstLine(ort.Message)}).", ex);
            }

            throw;
        }
    }

    /// <summary>Loads and validates <paramref name="path"/> without keeping it, e.g. to size a tensor buffer before the real load.</summary>
    /// <exception cref="ModelLoadException">The model cannot be used.</exception>
    public static ModelDescription Inspect(string path)
    {
        using OnnxClassifier classifier = Load(path, new ClassifierOptions { IntraOpThreads = 1, WarmUpRuns = 0 });
        return classifier.Model;
    }

    /// <summary>Runs the model on input buffer <paramref name="index"/>. Returns false when any output is NaN or infinite.</summary>
    public bool Run(int index)
    {
        _session.RunWithBinding(_runOptions, _bindings[index]);
        return AllFinite(_output);
    }

    public void Dispose()
    {
        DisposeOwned();
        _runOptions.Dispose();
        _session.Dispose();
        _sessionOptions.Dispose();
    }

    internal static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private void DisposeOwned()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
    }

    private OrtIoBinding Bind(float[] input, OrtValue outputValue)
    {
        OrtValue inputValue = Own(OrtValue.CreateTensorValueFromMemory(input, Model.InputShape));
        OrtIoBinding binding = _session.CreateIoBinding();
        binding.BindInput(Model.InputName, inputValue);
        binding.BindOutput(Model.OutputName, outputValue);
        return binding;
    }

    private void WarmUp(OrtValue outputValue, int runs)
    {
        if (runs <= 0)
        {
            return;
        }

        // A private zero tensor: the caller's buffers may already be in use by a writer.
        float[] zeros = GC.AllocateArray<float>(Model.Preprocess.ElementCount, pinned: true);
        using OrtValue inputValue = OrtValue.CreateTensorValueFromMemory(zeros, Model.InputShape);
        using OrtIoBinding binding = _session.CreateIoBinding();
        binding.BindInput(Model.InputName, inputValue);
        binding.BindOutput(Model.OutputName, outputValue);
        for (int i = 0; i < runs; i++)
        {
            _session.RunWithBinding(_runOptions, binding);
        }
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private static SessionOptions CreateSessionOptions(ClassifierOptions options)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Math.Max(1, options.IntraOpThreads),
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (options.Device == ExecutionDevice.Cuda)
        {
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(0);
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                sessionOptions.Dispose();
                throw new ModelLoadException($"The CUDA execution provider is not available in this ONNX Runtime build ({FirstLine(ex.Message)}); run on the CPU instead.", ex);
            }
        }

        return sessionOptions;
    }

    private static void CheckSha(ModelManifest? manifest, string actual, string file)
    {
        if (!string.IsNullOrWhiteSpace(manifest?.Sha256) && !string.Equals(manifest.Sha256.Trim(), actual, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelLoadException($"{file} does not match its manifest: sha256 is {actual}, the manifest says {manifest.Sha256.Trim()}.");
        }
    }

    private static string FirstLine(string message)
    {
        string line = message.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
