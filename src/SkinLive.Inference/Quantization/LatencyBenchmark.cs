using System.Diagnostics;
using SkinLive.Inference.Runtime;
using SkinLive.Profiling;

namespace SkinLive.Inference.Quantization;

/// <summary>Median and 95th-percentile latency of one model at one thread count (milliseconds, ORT run only).</summary>
public readonly record struct LatencyStats(double P50Ms, double P95Ms, int Runs);

/// <summary>
/// Times <see cref="OnnxClassifier.Run"/> (one native call on pre-bound buffers) for several models on the same
/// input. The models take turns in rounds, so a busy neighbour on a shared machine slows all of them alike instead
/// of whichever happened to run at that moment.
/// </summary>
public static class LatencyBenchmark
{
    public static LatencyStats[] Measure(IReadOnlyList<string> modelPaths, ReadOnlySpan<float> input, int threads, int runsPerRound, int rounds, int warmUpRuns)
    {
        var classifiers = new List<OnnxClassifier>();
        try
        {
            foreach (string path in modelPaths)
            {
                OnnxClassifier classifier = OnnxClassifier.Load(path, new ClassifierOptions { IntraOpThreads = threads, WarmUpRuns = warmUpRuns });
                classifiers.Add(classifier);
                input.CopyTo(classifier.Input(0));
            }

            var samples = classifiers.Select(_ => new double[runsPerRound * rounds]).ToArray();
            for (int round = 0; round < rounds; round++)
            {
                for (int m = 0; m < classifiers.Count; m++)
                {
                    OnnxClassifier classifier = classifiers[m];
                    for (int i = 0; i < runsPerRound; i++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        classifier.Run(0);
                        samples[m][(round * runsPerRound) + i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    }
                }
            }

            return [.. samples.Select(s =>
            {
                Array.Sort(s);
                return new LatencyStats(FrameMetrics.Percentile(s, 0.50), FrameMetrics.Percentile(s, 0.95), s.Length);
            })];
        }
        finally
        {
            classifiers.ForEach(c => c.Dispose());
        }
    }
}
