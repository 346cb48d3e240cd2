using System.Diagnostics;
using SkinLive.App.Profiling;
using SkinLive.Bench.Peers;
using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.Bench.Commands;

/// <summary>
/// <c>skinlive-bench preprocess</c>: render-thread cost of the GPU path (upload, convert + preprocess + readback
/// issue, readback poll), its GPU time and readback latency, against the CPU reference and OpenCvSharp on the
/// same frames in the same run.
/// </summary>
public static class BenchPreprocessCommand
{
    public const string Usage = "  preprocess [--iterations N]   GPU and SIMD CPU preprocessing vs the scalar CPU reference vs OpenCvSharp";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var a = new ArgReader(args);
        int iterations = a.Int("--iterations", 60, 5, 10_000);
        a.EnsureConsumed();

        EglHeadlessContext context;
        try
        {
            context = EglHeadlessContext.Create();
        }
        catch (GpuUnavailableException ex)
        {
            stderr.WriteLine($"skinlive-bench preprocess: {ex.Message}");
            return 1;
        }

        using (context)
        {
            MachineInfo.WriteHeader(stdout, "preprocess benchmark (224x224 NCHW float32, ImageNet normalization)", context.Capabilities.ToString());
            stdout.WriteLine($"iterations: {iterations} GPU / SIMD / OpenCV, {Math.Max(iterations / 6, 3)} CPU reference, after warm-up; times are medians in ms (the SIMD backend runs on its own thread, off the render thread)");
            stdout.WriteLine();
            stdout.WriteLine("| frame | format | upload | convert+preprocess | readback poll | render thread total | GPU time | readback latency (frames) | CPU reference | SIMD CPU backend | OpenCvSharp | GPU speed-up vs OpenCvSharp | SIMD speed-up vs OpenCvSharp | max abs GPU−CPU | max abs SIMD−CPU |");
            stdout.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach ((int w, int h) in new[] { (640, 480), (1280, 720), (1920, 1080) })
            {
                foreach (PixelFormat format in new[] { PixelFormat.Rgba8, PixelFormat.Yuyv })
                {
                    Measure(context, w, h, format, iterations, stdout);
                }
            }
        }

        return 0;
    }

    private static void Measure(EglHeadlessContext context, int width, int height, PixelFormat format, int iterations, TextWriter stdout)
    {
        PreprocessSpec spec = PreprocessSpec.ImageNet();
        Frame frame = MakeFrame(width, height, format);
        using var tensors = new TensorDoubleBuffer(spec.ElementCount);
        using var pipeline = new GpuFramePipeline(context, spec, tensors) { LocalizationEnabled = false };
        var upload = new Samples(iterations);
        var process = new Samples(iterations);
        var poll = new Samples(iterations);
        var total = new Samples(iterations);
        var gpuTensor = new float[spec.ElementCount];
        long frameNumber = 0;
        (double gpuTotal0, long gpuSamples0) = (0, 0);
        for (int i = -10; i < iterations; i++)
        {
            if (i == 0)
            {
                // GPU time only after warm-up (drivers may report a bogus first interval).
                (gpuTotal0, gpuSamples0) = (pipeline.Timer.TotalMilliseconds, pipeline.Timer.Samples);
            }

            frameNumber++;
            frame.Id = frameNumber;
            long start = Stopwatch.GetTimestamp();
            pipeline.Submit(frame, RectangleF.Unit, frameNumber);
            long polled = Stopwatch.GetTimestamp();
            pipeline.Poll(frameNumber);
            long end = Stopwatch.GetTimestamp();
            if (i >= 0)
            {
                upload.Add(pipeline.LastUploadMilliseconds);
                process.Add(pipeline.LastProcessMilliseconds);
                poll.Add(Stopwatch.GetElapsedTime(polled, end).TotalMilliseconds);
                total.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
            }

            if (tensors.TryBeginRead(out int index, out _))
            {
                tensors.Read(index).CopyTo(gpuTensor);
                tensors.EndRead();
            }
        }

        AsyncReadback readback = pipeline.Readback;
        double latency = readback.Completed == 0 ? double.NaN : (double)readback.TotalLatencyFrames / readback.Completed;
        long gpuSamples = pipeline.Timer.Samples - gpuSamples0;
        string gpuTime = gpuSamples > 0 ? $"{(pipeline.Timer.TotalMilliseconds - gpuTotal0) / gpuSamples:0.00}" : "n/a";

        var cpu = new CpuPreprocessor(spec);
        var cpuTensor = new float[spec.ElementCount];
        Samples cpuTimes = Time(Math.Max(iterations / 6, 3), () => cpu.Process(frame, RectangleF.Unit, cpuTensor));
        var simd = new SimdPreprocessor(spec);
        var simdTensor = new float[spec.ElementCount];
        Samples simdTimes = Time(iterations, () => simd.Process(frame, RectangleF.Unit, simdTensor));
        using var openCv = new OpenCvPreprocessor(spec);
        var cvTensor = new float[spec.ElementCount];
        Samples cvTimes = Time(iterations, () => openCv.Process(frame, cvTensor));

        double maxDiff = 0, simdDiff = 0;
        for (int i = 0; i < spec.ElementCount; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(gpuTensor[i] - cpuTensor[i]));
            simdDiff = Math.Max(simdDiff, Math.Abs(simdTensor[i] - cpuTensor[i]));
        }

        double gpuTotal = total.Percentile(50);
        stdout.WriteLine(
            $"| {width}x{height} | {format} | {upload.Percentile(50):0.00} | {process.Percentile(50):0.00} | {poll.Percentile(50):0.00} | **{gpuTotal:0.00}** (p95 {total.Percentile(95):0.00}) | {gpuTime} | {latency:0.0} ({readback.Skipped} skipped) | {cpuTimes.Percentile(50):0.00} | **{simdTimes.Percentile(50):0.00}** | {cvTimes.Percentile(50):0.00} | {cvTimes.Percentile(50) / gpuTotal:0.00}× | {cvTimes.Percentile(50) / simdTimes.Percentile(50):0.00}× | {maxDiff:0.0000} | {simdDiff:0.0000} |");
    }

    private static Samples Time(int iterations, Action action)
    {
        for (int i = 0; i < 3; i++)
        {
            action();
        }

        var samples = new Samples(iterations);
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return samples;
    }

    /// <summary>Colour bars with sensor-like noise, encoded in the format under test.</summary>
    private static Frame MakeFrame(int width, int height, PixelFormat format)
    {
        byte[] rgba = new byte[width * height * 4];
        TestPatternSource.DrawBars(rgba, width, height);
        var random = new Random(width);
        for (int i = 0; i < rgba.Length; i++)
        {
            if ((i & 3) != 3)
            {
                rgba[i] = (byte)Math.Clamp(rgba[i] + random.Next(-12, 13), 0, 255);
            }
        }

        Frame frame = Frame.Create(format, width, height, ColorSpec.Bt601Limited);
        PixelEncoder.FromRgba(rgba, width, height, format, ColorSpec.Bt601Limited, frame.Data);
        return frame;
    }
}
