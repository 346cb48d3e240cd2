namespace SkinLive.Inference.Metrics;

/// <summary>Allocation-free score maths: softmax and top-k over small class vectors.</summary>
public static class ClassScores
{
    /// <summary>Numerically stable softmax (max subtracted before exp).</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            float e = MathF.Exp(logits[i] - max);
            probabilities[i] = e;
            sum += e;
        }

        float inverse = (float)(1.0 / sum);
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] *= inverse;
        }
    }

    /// <summary>Fills <paramref name="indices"/> with the classes of the highest scores, best first; ties keep the lower index first.</summary>
    public static void TopK(ReadOnlySpan<float> scores, Span<int> indices)
    {
        int k = Math.Min(indices.Length, scores.Length);
        for (int slot = 0; slot < k; slot++)
        {
            int best = -1;
            for (int c = 0; c < scores.Length; c++)
            {
                if (indices[..slot].Contains(c))
                {
                    continue;
                }

                if (best < 0 || scores[c] > scores[best])
                {
                    best = c;
                }
            }

            indices[slot] = best;
        }
    }
}
