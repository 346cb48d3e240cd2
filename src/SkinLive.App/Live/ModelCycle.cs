using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.App.Live;

/// <summary>
/// The M key: the next model (*.onnx, by name) in the folder of the one shown now. Loading a session takes a while,
/// so a worker loads it, bound to the same tensor buffers the GPU fills, and then stops the old worker (one consumer
/// of the buffers at a time); the render thread only polls <see cref="TryTakeLoaded"/>, starts the new one and swaps.
/// A model that needs a different input (size, layout, normalization) would need another GPU pipeline, and one with
/// other classes another trace header: it is skipped, and said so when it is the only other one.
/// </summary>
public sealed class ModelCycle
{
    private readonly ClassifierOptions _options;
    private readonly TensorDoubleBuffer _tensors;
    private readonly ModelDescription _shownModel;
    private string _current;
    private Task<Loaded>? _loading;

    /// <param name="currentPath">The model file shown now; its folder holds the others.</param>
    /// <param name="options">Session options for the models loaded.</param>
    /// <param name="tensors">The buffers the GPU fills, which every model loaded is bound to.</param>
    /// <param name="shownModel">What the model shown now expects and answers: the others must match it.</param>
    public ModelCycle(string currentPath, ClassifierOptions options, TensorDoubleBuffer tensors, ModelDescription shownModel)
    {
        _current = Path.GetFullPath(currentPath);
        _options = options;
        _tensors = tensors;
        _shownModel = shownModel;
    }

    /// <summary>The model file shown now.</summary>
    public string Current => _current;

    /// <summary>True from <see cref="RequestNext"/> until the render thread has taken the outcome.</summary>
    public bool Switching => _loading is not null;

    /// <summary>
    /// Starts loading the next model; once it is loaded, <paramref name="shown"/>'s worker is stopped on the worker
    /// thread. Ignored while a switch is under way.
    /// </summary>
    public void RequestNext(LiveInference? shown)
    {
        if (_loading is null)
        {
            string from = _current;
            _loading = Task.Run(() => LoadNext(from, shown));
        }
    }

    /// <summary>
    /// Render thread, once per frame: the loaded model, not yet started (the caller owns it from then on), else null;
    /// when no other model could be loaded, <paramref name="error"/> says why in one sentence.
    /// </summary>
    public LiveInference? TryTakeLoaded(out string? error)
    {
        error = null;
        if (_loading is not { IsCompleted: true } done)
        {
            return null;
        }

        _loading = null;
        Loaded loaded = done.Result;
        if (loaded.Model is null)
        {
            error = loaded.Error;
            return null;
        }

        _current = loaded.Path;
        return loaded.Model;
    }

    /// <summary>Disposes a model no longer shown, off the render thread.</summary>
    public static void Retire(LiveInference model) => Task.Run(model.Dispose);

    /// <summary>Whether a model with input <paramref name="b"/> can take the tensors made for <paramref name="a"/>.</summary>
    public static bool SameInput(PreprocessSpec a, PreprocessSpec b) =>
        a.Width == b.Width && a.Height == b.Height && a.Layout == b.Layout && a.Order == b.Order && a.Scale == b.Scale
        && a.Mean.SequenceEqual(b.Mean) && a.Std.SequenceEqual(b.Std);

    private Loaded LoadNext(string from, LiveInference? shown)
    {
        string folder = Path.GetDirectoryName(from) ?? ".";
        string[] models = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.onnx").Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToArray()
            : [];
        int at = Array.IndexOf(models, from);
        string? error = null;
        for (int step = 1; step < models.Length + 1; step++)
        {
            string path = models[(Math.Max(at, 0) + step) % models.Length];
            if (path == from)
            {
                continue;
            }

            try
            {
                ModelDescription description = OnnxClassifier.Inspect(path);
                if (!SameInput(description.Preprocess, _shownModel.Preprocess))
                {
                    error = $"{Path.GetFileName(path)} needs a different input than the running pipeline; start with --model {path}.";
                    continue;
                }

                if (!description.Labels.Select(l => l.Code).SequenceEqual(_shownModel.Labels.Select(l => l.Code)))
                {
                    error = $"{Path.GetFileName(path)} has other classes than the model shown; start with --model {path}.";
                    continue;
                }

                var model = new LiveInference(OnnxClassifier.Load(path, _options, _tensors.Buffers), _tensors);
                shown?.Worker.Stop();
                return new Loaded(path, model, null);
            }
            catch (ModelLoadException ex)
            {
                error = ex.Message;
            }
        }

        return new Loaded(from, null, error ?? $"No other model in {folder}.");
    }

    private readonly record struct Loaded(string Path, LiveInference? Model, string? Error);
}
