namespace SkinLive.Localization;

/// <summary>Otsu's threshold on a histogram of values in 0..1: the split with the largest between-class variance.</summary>
internal static class Otsu
{
    public const int Bins = 256;

    /// <summary>Values at or above the returned threshold form the upper class.</summary>
    public static float Threshold(ReadOnlySpan<int> histogram)
    {
        long total = 0;
        double weightedTotal = 0;
        for (int i = 0; i < Bins; i++)
        {
            total += histogram[i];
            weightedTotal += (double)i * histogram[i];
        }

        if (total == 0)
        {
            return 1f;
        }

        long below = 0;
        double weightedBelow = 0, best = -1;
        int bestSplit = Bins - 1;
        for (int split = 0; split < Bins - 1; split++)
        {
            below += histogram[split];
            weightedBelow += (double)split * histogram[split];
            long above = total - below;
            if (below == 0 || above == 0)
            {
                continue;
            }

            double meanBelow = weightedBelow / below;
            double meanAbove = (weightedTotal - weightedBelow) / above;
            double difference = meanAbove - meanBelow;
            double between = (double)below * above * difference * difference;
            if (between > best)
            {
                best = between;
                bestSplit = split;
            }
        }

        return (bestSplit + 1f) / Bins;
    }
}
