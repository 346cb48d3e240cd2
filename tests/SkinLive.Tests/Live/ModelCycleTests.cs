using SkinLive.App.Live;
using SkinLive.Inference.Runtime;
using SkinLive.Tensors;

namespace SkinLive.Tests.Live;

public sealed class ModelCycleTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Inference");
    private readonly string _folder = Directory.CreateTempSubdirectory("skinlive-models-").FullName;

    [Fact]
    public void Next_loads_the_following_model_on_the_same_tensors_skips_one_with_another_input_and_wraps_around()
    {
        Copy("a", normalization: "0.485");
        Copy("b", normalization: "0.5");
        Copy("c", normalization: "0.485");
        using var tensors = new TensorDoubleBuffer(3 * 32 * 32);
        using var cycle = new ModelCycle(Path.Combine(_folder, "a.onnx"), new ClassifierOptions { IntraOpThreads = 1 }, tensors, OnnxClassifier.Inspect(Path.Combine(_folder, "a.onnx")));
        using var first = new LiveInference(OnnxClassifier.Load(Path.Combine(_folder, "a.onnx"), new ClassifierOptions(), tensors.Buffers), tensors);
        first.Start();

        using (LiveInference third = Switch(cycle, first, out _))
        {
            Assert.Equal(Path.Combine(_folder, "c.onnx"), cycle.Current);
            Assert.Equal(WorkerState.Stopped, first.Worker.State);
            Assert.Equal(first.Model.Name, third.Model.Name);
        }

        using LiveInference again = Switch(cycle, null, out _);
        Assert.Equal(Path.Combine(_folder, "a.onnx"), cycle.Current);
    }

    [Fact]
    public void When_every_other_model_needs_another_input_the_switch_says_so_and_keeps_the_current()
    {
        Copy("a", normalization: "0.485");
        Copy("b", normalization: "0.5");
        using var tensors = new TensorDoubleBuffer(3 * 32 * 32);
        using var cycle = new ModelCycle(Path.Combine(_folder, "a.onnx"), new ClassifierOptions(), tensors, OnnxClassifier.Inspect(Path.Combine(_folder, "a.onnx")));
        cycle.RequestNext(null);
        string? error = null;
        Assert.True(SpinWait.SpinUntil(() => cycle.TryTakeLoaded(out error) is not null || error is not null, TimeSpan.FromSeconds(30)));
        Assert.Contains("b.onnx needs a different input", error);
        Assert.Equal(Path.Combine(_folder, "a.onnx"), cycle.Current);
    }

    private void Copy(string name, string normalization)
    {
        File.Copy(Path.Combine(Fixtures, "tiny.onnx"), Path.Combine(_folder, name + ".onnx"));
        string manifest = File.ReadAllText(Path.Combine(Fixtures, "tiny.json")).Replace("0.485", normalization, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_folder, name + ".json"), manifest);
    }

    private static LiveInference Switch(ModelCycle cycle, LiveInference? shown, out string? error)
    {
        cycle.RequestNext(shown);
        LiveInference? loaded = null;
        string? failure = null;
        Assert.True(SpinWait.SpinUntil(() => (loaded = cycle.TryTakeLoaded(out failure)) is not null || failure is not null, TimeSpan.FromSeconds(30)));
        error = failure;
        return loaded ?? throw new InvalidOperationException(failure);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
