using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace SkinLive.Tests.Tools;

/// <summary>Runs tools/train/smoke.sh once (tiny drawn dataset, one epoch, ONNX export) for all tests in the class.</summary>
public sealed class TrainingSmokeRun : IDisposable
{
    // A guard against a hung child process, not a performance assertion: the run takes well under a minute.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

    public string WorkDir { get; } = Path.Combine(Path.GetTempPath(), "skinlive-train-smoke-" + Guid.NewGuid().ToString("N"));

    public int ExitCode { get; }

    public string Output { get; }

    public string ModelDir => Path.Combine(WorkDir, "model");

    public TrainingSmokeRun()
    {
        string script = Path.Combine(RepositoryRoot(), "tools", "train", "smoke.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(WorkDir);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(HangGuard))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        ExitCode = process.HasExited ? process.ExitCode : -1;
        Output = stdout.Result + stderr.Result;
    }

    public void AssertSucceeded() =>
        Assert.True(ExitCode == 0,
            $"tools/train/smoke.sh exited {ExitCode}. It needs /usr/bin/python3 with Debian's python3-torch, "
            + $"python3-torchvision and python3-onnx (scripts/bootstrap.sh installs them). Output:\n{Output}");

    public void Dispose()
    {
        if (Directory.Exists(WorkDir))
        {
            Directory.Delete(WorkDir, recursive: true);
        }
    }

    internal static string RepositoryRoot() => RepositoryPaths.Root();
}

public sealed class TrainingRecipeSmokeTests(TrainingSmokeRun run) : IClassFixture<TrainingSmokeRun>
{
    private static readonly string[] AlphabeticalCodes = ["akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"];

    private string OnnxPath => Path.Combine(run.ModelDir, "smoke.onnx");

    private JsonElement Manifest()
    {
        run.AssertSucceeded();
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.ModelDir, "smoke.json")));
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task App_classifies_with_the_exported_model_exactly_as_PyTorch_does()
    {
        run.AssertSucceeded();
        string[] images = Directory.GetFiles(Path.Combine(run.WorkDir, "data"), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(3).ToArray();
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { Path.Combine(TrainingSmokeRun.RepositoryRoot(), "tools", "train", "parity.py"), "--model-dir", run.ModelDir, "--app", $"dotnet {Path.Combine(AppContext.BaseDirectory, "skinlive.dll")}" }.Concat(images))
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdoutTask = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(hang.Token);
        string stdout = await stdoutTask;
        Assert.True(process.ExitCode == 0, $"parity.py exited {process.ExitCode}:\n{stdout}\n{stderr}");
        Assert.Contains("parity: 3/3 images pass", stdout);
    }

    [Fact]
    public void Exported_model_sha256_matches_its_manifest()
    {
        var manifest = Manifest();
        string actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(OnnxPath)));
        Assert.Equal(actual, manifest.GetProperty("sha256").GetString());
    }

    [Fact]
    public void Manifest_declares_the_input_contract_and_seven_labels_in_code_order()
    {
        var manifest = Manifest();
        var input = manifest.GetProperty("input");
        Assert.Equal("input", input.GetProperty("name").GetString());
        Assert.Equal("NCHW", input.GetProperty("layout").GetString());
        Assert.Equal(224, input.GetProperty("width").GetInt32());
        Assert.Equal(224, input.GetProperty("height").GetInt32());
        Assert.Equal("RGB", input.GetProperty("color").GetString());
        Assert.Equal(1.0 / 255.0, input.GetProperty("scale").GetDouble(), 12);
        Assert.Equal([0.485, 0.456, 0.406], input.GetProperty("mean").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([0.229, 0.224, 0.225], input.GetProperty("std").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("bilinear-antialias", input.GetProperty("resize").GetString());
        Assert.Equal("logits", manifest.GetProperty("output").GetProperty("name").GetString());
        Assert.Equal("logits", manifest.GetProperty("output").GetProperty("kind").GetString());
        var labels = manifest.GetProperty("labels").EnumerateArray().ToArray();
        Assert.Equal(AlphabeticalCodes, labels.Select(l => l.GetProperty("code").GetString()));
        Assert.Equal(["akiec", "bcc", "mel"],
            labels.Where(l => l.GetProperty("risk").GetString() == "malignant").Select(l => l.GetProperty("code").GetString()));
        Assert.Equal("random-init", manifest.GetProperty("training").GetProperty("weights").GetString());
        Assert.Equal(1, manifest.GetProperty("training").GetProperty("epochs").GetInt32());
    }

    [Fact]
    public void OnnxRuntime_runs_the_export_with_a_dynamic_batch_and_matches_PyTorch_logits()
    {
        run.AssertSucceeded();
        var (input, inputShape) = ReadNpyFloat32(Path.Combine(run.WorkDir, "reference", "input.npy"));
        var (expected, logitShape) = ReadNpyFloat32(Path.Combine(run.WorkDir, "reference", "logits.npy"));
        Assert.Equal([2, 3, 224, 224], inputShape);
        Assert.Equal([2, AlphabeticalCodes.Length], logitShape);

        using var session = new InferenceSession(OnnxPath);
        Assert.Equal(-1, session.InputMetadata["input"].Dimensions[0]);
        Assert.Equal([-1, AlphabeticalCodes.Length], session.OutputMetadata["logits"].Dimensions);
        var tensor = new DenseTensor<float>(input, inputShape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        var logits = results.Single(r => r.Name == "logits").AsTensor<float>();
        Assert.Equal(logitShape, logits.Dimensions.ToArray());
        float maxDiff = expected.Select((value, i) => Math.Abs(value - logits.GetValue(i))).Max();
        Assert.True(maxDiff <= 1e-3f, $"ONNX Runtime logits differ from PyTorch's by {maxDiff}");
    }

    [Fact]
    public void Split_keeps_each_lesion_on_one_side_and_metrics_count_the_held_out_images()
    {
        run.AssertSucceeded();
        var split = File.ReadAllLines(Path.Combine(run.ModelDir, "split.csv")).Skip(1)
            .Select(line => line.Split(',')).ToDictionary(f => f[0], f => f[1]);
        var lesionOf = File.ReadAllLines(Path.Combine(run.WorkDir, "data", "HAM10000_metadata.csv")).Skip(1)
            .Select(line => line.Split(',')).ToDictionary(f => f[1], f => f[0]);
        Assert.Equal(lesionOf.Keys.Order(), split.Keys.Order());
        var sidesPerLesion = split.GroupBy(kv => lesionOf[kv.Key]).Select(g => g.Select(kv => kv.Value).Distinct().Count());
        Assert.All(sidesPerLesion, sides => Assert.Equal(1, sides));

        int testImages = split.Values.Count(v => v == "test");
        Assert.InRange(testImages, 1, split.Count - 1);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.ModelDir, "metrics.json")));
        Assert.Equal(testImages, metrics.RootElement.GetProperty("n_test_images").GetInt32());
        int confusionTotal = metrics.RootElement.GetProperty("confusion_matrix").GetProperty("counts")
            .EnumerateArray().SelectMany(row => row.EnumerateArray()).Sum(c => c.GetInt32());
        Assert.Equal(testImages, confusionTotal);
        Assert.Equal(testImages, Manifest().GetProperty("metrics").GetProperty("n_test_images").GetInt32());
    }

    /// <summary>Reads a little-endian, C-ordered float32 .npy file (format version 1 or 2).</summary>
    private static (float[] Values, int[] Shape) ReadNpyFloat32(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 10 && bytes[0] == 0x93 && Encoding.ASCII.GetString(bytes, 1, 5) == "NUMPY", $"{path} is not .npy");
        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int headerStart = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(bytes, headerStart, headerLength);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'fortran_order': False", header);
        int[] shape = Regex.Match(header, @"'shape': \(([^)]*)\)").Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        Buffer.BlockCopy(bytes, headerStart + headerLength, values, 0, values.Length * sizeof(float));
        return (values, shape);
    }
}
