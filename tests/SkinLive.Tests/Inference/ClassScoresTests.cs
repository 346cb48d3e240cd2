using SkinLive.Inference.Metrics;

namespace SkinLive.Tests.Inference;

public class ClassScoresTests
{
    [Fact]
    public void Softmax_of_log_weights_gives_the_normalized_weights()
    {
        float[] logits = [0f, MathF.Log(2), MathF.Log(3)];
        var p = new float[3];
        ClassScores.Softmax(logits, p);
        Assert.Equal(1 / 6f, p[0], 1e-6f);
        Assert.Equal(2 / 6f, p[1], 1e-6f);
        Assert.Equal(3 / 6f, p[2], 1e-6f);
    }

    [Fact]
    public void Softmax_is_stable_for_huge_logits()
    {
        float[] logits = [1000f, 1000f, -1000f];
        var p = new float[3];
        ClassScores.Softmax(logits, p);
        Assert.Equal([0.5f, 0.5f, 0f], p);
    }

    [Fact]
    public void Top_k_orders_best_first_and_keeps_ties_in_index_order()
    {
        float[] scores = [0.1f, 0.3f, 0.05f, 0.3f, 0.25f];
        var top = new int[3];
        ClassScores.TopK(scores, top);
        Assert.Equal([1, 3, 4], top);
    }

    [Fact]
    public void Top_k_larger_than_classes_fills_only_the_classes()
    {
        float[] scores = [0.2f, 0.8f];
        int[] top = [-7, -7, -7];
        ClassScores.TopK(scores, top);
        Assert.Equal([1, 0, -7], top);
    }
}
