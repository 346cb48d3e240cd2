using SkinLive.App.Overlay;
using SkinLive.Inference.Metrics;
using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.App.Live;

/// <summary>
/// The classifier beside the render loop: an ONNX Runtime session over the tensor buffers, its worker thread,
/// and the temporal verdict. The render thread calls <see cref="Update"/> once per frame to take the newest
/// result (never waiting) and copy what the overlay shows; <see cref="Status"/> says what the status line should
/// know. Owns the classifier and the worker.
/// </summary>
public sealed class LiveInference : IDisposable
{
    private readonly OnnxClassifier _classifier;
    private readonly InferenceWorker _worker;
    private readonly VerdictAggregator _verdict;
    private readonly float[] _shownProbabilities;
    private readonly int[] _order;
    private bool _lastResultInvalid;

    public LiveInference(OnnxClassifier classifier, TensorDoubleBuffer tensors)
    {
        _classifier = classifier;
        Model = classifier.Model;
        _worker = new InferenceWorker(classifier, tensors);
        _verdict = new VerdictAggregator(Model.ClassCount);
        _shownProbabilities = new float[Model.ClassCount];
        _order = new int[Model.ClassCount];
    }

    public ModelDescription Model { get; }

    public InferenceWorker Worker => _worker;

    /// <summary>Faulted while the worker is; InvalidResult from a non-finite result until a valid one replaces it.</summary>
    public ModelStatus Status => _worker.State == WorkerState.Faulted ? ModelStatus.Faulted : _lastResultInvalid ? ModelStatus.InvalidResult : ModelStatus.Running;

    /// <summary>
    /// Loads <paramref name="path"/> and creates the tensor buffers its input needs, with the session bound to them.
    /// Throws <see cref="ModelLoadException"/> with one sentence.
    /// </summary>
    public static LiveInference Load(string path, ClassifierOptions options, out TensorDoubleBuffer tensors)
    {
        // The input size comes from the model, and the session binds to the buffers, so inspect it first.
        PreprocessSpec spec = OnnxClassifier.Inspect(path).Preprocess;
        tensors = new TensorDoubleBuffer(spec.ElementCount);
        try
        {
            return new LiveInference(OnnxClassifier.Load(path, options, tensors.Buffers), tensors);
        }
        catch
        {
            tensors.Dispose();
            throw;
        }
    }

    public void Start() => _worker.Start();

    /// <summary>
    /// Takes the newest result, if any, into the verdict and the overlay state; returns whether one arrived. A failed
    /// worker or an invalid result clears the verdict (<see cref="Status"/> says which).
    /// </summary>
    public bool Update(OverlayState state, long frameOnScreen)
    {
        if (_worker.State == WorkerState.Faulted)
        {
            state.Label = null;
            return false;
        }

        ClassificationResult? result = _worker.Results.TryAcquire();
        if (result is not null)
        {
            _lastResultInvalid = !result.IsValid;
        }

        if (_lastResultInvalid)
        {
            // Held until a valid result replaces it, not just on the frame the bad one arrived.
            state.Label = null;
        }

        if (result is null)
        {
            state.StaleFrames = state.ResultFrame < 0 ? 0 : frameOnScreen - state.ResultFrame;
            return false;
        }

        state.InferenceMilliseconds = result.InferenceMilliseconds;
        state.ResultFrame = result.FrameId;
        state.ResultCaptureTimestamp = result.CaptureTimestamp;
        state.StaleFrames = frameOnScreen - result.FrameId;
        if (!result.IsValid)
        {
            return true;
        }

        Verdict verdict = _verdict.Update(result);
        ReadOnlySpan<float> average = _verdict.Average;
        average.CopyTo(_shownProbabilities);
        state.Probabilities = _shownProbabilities;
        if (verdict.TopClass < 0)
        {
            state.Label = null;
            return true;
        }

        ClassLabel label = Model.Labels[verdict.TopClass];
        state.Label = label.Name;
        state.Confidence = verdict.Confidence;
        state.Stable = verdict.IsStable;
        state.Risk = verdict.Confidence < _verdict.Settings.MinConfidence ? RiskGroup.Uncertain : label.IsMalignant ? RiskGroup.Malignant : RiskGroup.Benign;
        ClassScores.TopK(average, _order);
        state.TopCount = Math.Min(3, _order.Length);
        for (int i = 0; i < state.TopCount; i++)
        {
            state.Top[i] = (Model.Labels[_order[i]].Name, average[_order[i]]);
        }

        return true;
    }

    /// <summary>Forgets the averaged verdict (the scene or lesion changed).</summary>
    public void ResetVerdict() => _verdict.Reset();

    public void Dispose()
    {
        _worker.Dispose();
        _classifier.Dispose();
    }
}
