using SkinLive.Tensors;

namespace SkinLive.Inference.Runtime;

/// <summary>
/// One classification of one tensor. Instances are pooled by <see cref="ResultSlot"/>: read-only to everyone
/// but the worker, and unchanged for as long as the reader holds it (until its next acquire).
/// </summary>
public sealed class ClassificationResult
{
    private readonly float[] _probabilities;
    private readonly int[] _topK;

    public ClassificationResult(int classCount, int topK)
    {
        _probabilities = new float[classCount];
        _topK = new int[Math.Clamp(topK, 1, classCount)];
    }

    /// <summary>Counts published results (1, 2, ...); 0 means never filled.</summary>
    public long Sequence { get; private set; }

    public long FrameId { get; private set; }

    /// <summary>Capture time of the frame (Stopwatch ticks).</summary>
    public long CaptureTimestamp { get; private set; }

    public RectangleStamp Roi { get; private set; }

    /// <summary>Per-class probabilities (softmax of the logits when the model outputs logits).</summary>
    public ReadOnlySpan<float> Probabilities => _probabilities;

    /// <summary>Class indices of the highest probabilities, best first.</summary>
    public ReadOnlySpan<int> TopK => _topK;

    public int TopClass => _topK[0];

    public float TopProbability => _probabilities[_topK[0]];

    public double InferenceMilliseconds { get; private set; }

    /// <summary>False when the model produced NaN or infinite scores; the probabilities are then meaningless.</summary>
    public bool IsValid { get; private set; }

    internal void Fill(long sequence, in TensorStamp stamp, ReadOnlySpan<float> scores, bool logits, bool valid, double milliseconds)
    {
        Sequence = sequence;
        FrameId = stamp.FrameId;
        CaptureTimestamp = stamp.CaptureTimestamp;
        Roi = stamp.Roi;
        InferenceMilliseconds = milliseconds;
        IsValid = valid;
        if (!valid)
        {
            _probabilities.AsSpan().Clear();
            _topK.AsSpan().Clear();
            return;
        }

        if (logits)
        {
            Metrics.ClassScores.Softmax(scores, _probabilities);
        }
        else
        {
            scores.CopyTo(_probabilities);
        }

        Metrics.ClassScores.TopK(_probabilities, _topK);
    }
}
