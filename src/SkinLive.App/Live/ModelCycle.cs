using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.App.Live;

/// <summary>
/// The M key: the next model (*.onnx, by name) in the folder of the one shown now. Loading a session takes a while,
/// so a <see cref="BackgroundSwitch{T}"/> loads it, bound to the same tensor buffers the GPU fills, stops the old
/// worker (one consumer of the buffers at a time) and starts the new one in its place; the render thread only polls
/// <see cref="TryTakeLoaded"/> and swaps. A model that needs a different input (size, layout, normalization) would need
/// another GPU pipeline, and one with other classes another trace header: it is skipped, and said so when it is the
/// only other one.
/// </summary>
public sealed class ModelCycle : IDisposable
{
    private readonly ClassifierOptions _options;
    private readonly TensorDoubleBuffer _tensors;
    private readonly ModelDescription _shownModel;
    private readonly BackgroundSwitch<LiveInference> _switch;
    private string _current;
    private LiveInference? _shownAtRequest;

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
        _switch = new BackgroundSwitch<LiveInference>("switch: model", LoadNext, model => model.Dispose());
    }

    /// <summary>The model file shown now.</summary>
    public string Current => _current;

    /// <summary>True from <see cref="RequestNext"/> until the render thread has taken the outcome.</summary>
    public bool Switching => _switch.Switching;

    /// <summary>
    /// Starts loading the next model; once it is loaded, <paramref name="shown"/>'s worker is stopped on the worker
    /// thread and the new one started, writing to the same profile track and meter. Ignored while a switch is under way.
    /// </summary>
    public void RequestNext(LiveInference? shown)
    {
        if (!_switch.Switching)
        {
            _shownAtRequest = shown;
            _switch.Request();
        }
    }

    /// <summary>
    /// Render thread, once per frame: the loaded and started model (the caller owns it from then on), else null;
    /// when no other model could be loaded, <paramref name="error"/> says why in one sentence.
    /// </summary>
    public LiveInference? TryTakeLoaded(out string? error)
    {
        error = null;
        if (!_switch.TryTake(out Switched<LiveInference> loaded))
        {
            return null;
        }

        error = loaded.Error;
        if (loaded.Value is not null)
        {
            _current = loaded.Name;
        }

        return loaded.Value;
    }

    /// <summary>Disposes a model no longer shown, off the render thread.</summary>
    public void Retire(LiveInference model) => _switch.Retire(model);

    public void Dispose() => _switch.Dispose();

    /// <summary>Whether a model with input <paramref name="b"/> can take the tensors made for <paramref name="a"/>.</summary>
    public static bool SameInput(PreprocessSpec a, PreprocessSpec b) =>
        a.Width == b.Width && a.Height == b.Height && a.Layout == b.Layout && a.Order == b.Order && a.Scale == b.Scale
        && a.Mean.SequenceEqual(b.Mean) && a.Std.SequenceEqual(b.Std);

    private Switched<LiveInference> LoadNext()
    {
        string from = _current;
        LiveInference? shown = _shownAtRequest;
        _shownAtRequest = null;
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
                // The old worker has stopped, so the inference track has one writer again.
                model.Worker.Track = shown?.Worker.Track;
                model.Worker.Meter = shown?.Worker.Meter;
                model.Start();
                return new Switched<LiveInference>(model, path, null);
            }
            catch (ModelLoadException ex)
            {
                error = ex.Message;
            }
        }

        return new Switched<LiveInference>(null, from, error ?? $"No other model in {folder}.");
    }
}
