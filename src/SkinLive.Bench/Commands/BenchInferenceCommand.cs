using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using SkinLive.App.Profiling;
using SkinLive.Bench.Peers;
using SkinLive.Inference.Models;
using SkinLive.Inference.Runtime;
using SkinLive.Profiling;
using SkinLive.Tensors;

namespace SkinLive.Bench.Commands;

/// <summary>
/// <c>skinlive-bench inference [--model PATH] [--runs N] [--warmup N]</c>: latency (p50/p95) and runs/s of the
/// model and of any INT8 variant beside it (<c>name.int8.onnx</c>, <c>name-int8.onnx</c>, <c>name_int8.onnx</c>) at
/// 1 and 2 intra-op threads, for three paths on the same tensor: raw ORT (<c>RunWithBinding</c> alone), the
/// worker's full per-tensor path (tensor hand-off, run, softmax, top-k, publish) and the peer (plain
/// <c>InferenceSession.Run</c> with <c>NamedOnnxValue</c>). Also managed bytes allocated per run.
/// </summary>
public static class BenchInferenceCommand
{
    private static readonly int[] s_threadCounts = [1, 2];

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? model = null;
        int runs = 500, warmup = 50;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--model": model = ClassifyCommand.Value(args, ref i); break;
                case "--runs": runs = ClassifyCommand.PositiveInt(ClassifyCommand.Value(args, ref i), "--runs"); break;
                case "--warmup": warmup = ClassifyCommand.PositiveInt(ClassifyCommand.Value(args, ref i), "--warmup"); break;
                default: throw new UsageException($"unknown argument '{args[i]}'.");
            }
        }

        string fp32 = model ?? ModelOption.DefaultPath;
        if (!File.Exists(fp32))
        {
            stderr.WriteLine(model is null
                ? $"skinlive-bench inference: the shipped model {fp32} is not there yet; pass --model PATH."
                : $"skinlive-bench inference: model file {fp32} does not exist.");
            return 1;
        }

        stdout.WriteLine($"command: skinlive-bench inference {string.Join(' ', args)}".TrimEnd());
        stdout.WriteLine($"machine: {MachineInfo.CpuModel()}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, ONNX Runtime {OrtEnv.Instance().GetVersionString()}");
        stdout.WriteLine($"runs: {runs} measured after {warmup} warm-up, batch 1, one tensor reused (latency is ORT time, not preprocessing)");
        stdout.WriteLine();
        stdout.WriteLine($"{"variant",-8} {"path",-7} {"threads",7} {"p50 ms",8} {"p95 ms",8} {"runs/s",8} {"alloc B/run",11}");
        try
        {
            foreach ((string variant, string path) in Variants(fp32))
            {
                foreach (int threads in s_threadCounts)
                {
                    foreach (Row row in Measure(path, threads, runs, warmup))
                    {
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{variant,-8} {row.Path,-7} {threads,7} {row.P50,8:0.000} {row.P95,8:0.000} {row.RunsPerSecond,8:0} {row.AllocatedPerRun,11:0.#}"));
                    }
                }
            }
        }
        catch (ModelLoadException ex)
        {
            stderr.WriteLine($"skinlive-bench inference: {ex.Message}");
            return 1;
        }

        return 0;
    }

    private readonly record struct Row(string Path, double P50, double P95, double RunsPerSecond, double AllocatedPerRun);

    private static IEnumerable<(string Variant, string Path)> Variants(string fp32)
    {
        yield return ("fp32", fp32);
        string stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(fp32))!, Path.GetFileNameWithoutExtension(fp32));
        foreach (string suffix in new[] { ".int8", "-int8", "_int8" })
        {
            if (File.Exists(stem + suffix + ".onnx"))
            {
                yield return ("int8", stem + suffix + ".onnx");
                yield break;
            }
        }
    }

    private static List<Row> Measure(string path, int threads, int runs, int warmup)
    {
        var rows = new List<Row>();
        var samples = new double[runs];
        using (var tensors = new TensorDoubleBuffer(OnnxClassifier.Inspect(path).Preprocess.ElementCount))
        using (OnnxClassifier classifier = OnnxClassifier.Load(path, new ClassifierOptions { IntraOpThreads = threads }, tensors.Buffers))
        using (var worker = new InferenceWorker(classifier, tensors))
        {
            FillPattern(tensors.Buffers[0]);
            FillPattern(tensors.Buffers[1]);
            rows.Add(Time("raw", samples, warmup, () => classifier.Run(0)));
            long frame = 0;
            rows.Add(Time("worker", samples, warmup, () =>
            {
                tensors.BeginWriteIndex();
                tensors.EndWrite(new TensorStamp(++frame, Stopwatch.GetTimestamp(), default));
                worker.TryProcessNext(TimeSpan.Zero, CancellationToken.None);
            }));
        }

        using (var peer = new PlainOrtClassifier(path, threads))
        {
            float[] input = new float[peer.ElementCount];
            FillPattern(input);
            rows.Add(Time("peer", samples, warmup, () => peer.Classify(input)));
        }

        return rows;
    }

    private static Row Time(string name, double[] samples, int warmup, Action run)
    {
        for (int i = 0; i < warmup; i++)
        {
            run();
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long total = Stopwatch.GetTimestamp();
        for (int i = 0; i < samples.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        double seconds = Stopwatch.GetElapsedTime(total).TotalSeconds;
        double allocated = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / samples.Length;
        Array.Sort(samples);
        return new Row(name, FrameMetrics.Percentile(samples, 0.50), FrameMetrics.Percentile(samples, 0.95), samples.Length / seconds, allocated);
    }

    /// <summary>A fixed, non-trivial input so every path classifies the same values.</summary>
    private static void FillPattern(float[] tensor)
    {
        for (int i = 0; i < tensor.Length; i++)
        {
            tensor[i] = ((i * 7919) % 1000 / 500f) - 1f;
        }
    }
}
