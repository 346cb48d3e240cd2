using SkinLive.Inference.Models;

namespace SkinLive.Inference.Metrics;

/// <summary>Sensitivity (recall) and specificity of one class, one-vs-rest.</summary>
public sealed record ClassMetrics(string Code, int Support, int Predicted, double Sensitivity, double Specificity);

/// <summary>
/// Evaluation of a classifier on labelled images: confusion matrix (rows = truth, columns = prediction),
/// per-class sensitivity/specificity, balanced multiclass accuracy (mean recall over the classes present,
/// the ISIC 2018 metric), and the malignant group's sensitivity/specificity when "malignant" means the summed
/// probability of the malignant classes reaches <see cref="Threshold"/>.
/// </summary>
public sealed record ClassificationReport
{
    public required IReadOnlyList<ClassLabel> Labels { get; init; }
    public required int[,] Confusion { get; init; }
    public required IReadOnlyList<ClassMetrics> PerClass { get; init; }
    public required int Samples { get; init; }
    public required double Accuracy { get; init; }
    public required double BalancedAccuracy { get; init; }
    public required double Threshold { get; init; }
    public required double MalignantSensitivity { get; init; }
    public required double MalignantSpecificity { get; init; }
    public required int MalignantSupport { get; init; }

    /// <summary>Builds the report; <paramref name="malignantProbability"/> is the summed probability of the malignant classes per sample.</summary>
    public static ClassificationReport Compute(IReadOnlyList<ClassLabel> labels, IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<double> malignantProbability, double threshold)
    {
        int n = truth.Count;
        if (predicted.Count != n || malignantProbability.Count != n)
        {
            throw new ArgumentException("Truth, predictions and malignant probabilities must have one entry per sample.");
        }

        int k = labels.Count;
        var confusion = new int[k, k];
        int correct = 0;
        for (int i = 0; i < n; i++)
        {
            confusion[truth[i], predicted[i]]++;
            correct += truth[i] == predicted[i] ? 1 : 0;
        }

        var perClass = new List<ClassMetrics>(k);
        double recallSum = 0;
        int present = 0;
        for (int c = 0; c < k; c++)
        {
            int support = 0, predictedCount = 0;
            for (int j = 0; j < k; j++)
            {
                support += confusion[c, j];
                predictedCount += confusion[j, c];
            }

            int tp = confusion[c, c];
            int fp = predictedCount - tp;
            int negatives = n - support;
            double sensitivity = support > 0 ? (double)tp / support : double.NaN;
            double specificity = negatives > 0 ? (double)(negatives - fp) / negatives : double.NaN;
            perClass.Add(new ClassMetrics(labels[c].Code, support, predictedCount, sensitivity, specificity));
            if (support > 0)
            {
                recallSum += sensitivity;
                present++;
            }
        }

        int malignantTp = 0, malignantPositives = 0, benignTn = 0, benignNegatives = 0;
        for (int i = 0; i < n; i++)
        {
            bool callMalignant = malignantProbability[i] >= threshold;
            if (labels[truth[i]].IsMalignant)
            {
                malignantPositives++;
                malignantTp += callMalignant ? 1 : 0;
            }
            else
            {
                benignNegatives++;
                benignTn += callMalignant ? 0 : 1;
            }
        }

        return new ClassificationReport
        {
            Labels = labels,
            Confusion = confusion,
            PerClass = perClass,
            Samples = n,
            Accuracy = n > 0 ? (double)correct / n : double.NaN,
            BalancedAccuracy = present > 0 ? recallSum / present : double.NaN,
            Threshold = threshold,
            MalignantSensitivity = malignantPositives > 0 ? (double)malignantTp / malignantPositives : double.NaN,
            MalignantSpecificity = benignNegatives > 0 ? (double)benignTn / benignNegatives : double.NaN,
            MalignantSupport = malignantPositives,
        };
    }
}
