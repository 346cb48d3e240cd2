using SkinLive.App.Live;
using SkinLive.Capture;
using SkinLive.Gpu.Platform;
using SkinLive.Inference.Runtime;
using SkinLive.Tensors;

namespace SkinLive.Tests.Live;

/// <summary>C and M on a running session: the next camera and the next model come in without the video stopping.</summary>
public sealed class SwitchKeysTests : IDisposable
{
    private const string Pattern = "testpattern:size=160x120";
    private const string Synthetic = "synthetic:size=160x120";
    private readonly string _folder = Directory.CreateTempSubdirectory("skinlive-keys-").FullName;

    [Fact]
    public void C_switches_to_the_next_camera_and_M_to_the_next_model_while_the_video_runs()
    {
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Inference");
        foreach (string name in new[] { "a", "b" })
        {
            File.Copy(Path.Combine(fixtures, "tiny.onnx"), Path.Combine(_folder, name + ".onnx"));
            File.WriteAllText(Path.Combine(_folder, name + ".json"), File.ReadAllText(Path.Combine(fixtures, "tiny.json")).Replace("skinlive-test-tiny", "model-" + name, StringComparison.Ordinal));
        }

        string first = Path.Combine(_folder, "a.onnx");
        using LiveInference model = LiveInference.Load(first, new ClassifierOptions { IntraOpThreads = 1 }, out TensorDoubleBuffer tensors);
        using TensorDoubleBuffer ownedTensors = tensors;
        using IFrameSource source = SourceOptions.Open(Pattern);
        using var host = new HeadlessHost(160, 120);
        var session = new LiveSession(host, source, model.Model.Preprocess, tensors, new LiveOptions { Seconds = 60 }, model)
        {
            Cameras = new SourceCycle(Pattern, () => [Pattern, Synthetic], uri => SourceOptions.Open(uri)),
            Models = new ModelCycle(first, new ClassifierOptions { IntraOpThreads = 1 }, tensors, model.Model),
        };

        var descriptions = new List<string?>();
        var models = new List<string?>();
        long uploadsAtSwitch = -1;
        session.FrameShown += _ =>
        {
            descriptions.Add(session.State.SourceDescription);
            models.Add(session.State.ModelName);
            if (host.FrameCount == 10)
            {
                host.PressKey(Key.C);
                host.PressKey(Key.M);
            }

            if (uploadsAtSwitch < 0 && session.State.ModelName == "model-b" && session.CurrentSource != source)
            {
                uploadsAtSwitch = session.Loop.FramesUploaded;
            }

            if (uploadsAtSwitch >= 0 && session.Loop.FramesUploaded >= uploadsAtSwitch + 10 && session.State.ResultFrame >= 0)
            {
                host.Close();
            }
        };
        session.Run();

        Assert.True(uploadsAtSwitch >= 0, $"no switch seen; sources {string.Join(" | ", descriptions.Distinct())}, models {string.Join(" | ", models.Distinct())}");
        Assert.Contains("synthetic", descriptions[^1], StringComparison.OrdinalIgnoreCase);
        Assert.Equal("model-b", models[^1]);
        Assert.Equal(WorkerState.Stopped, model.Worker.State);
        Assert.NotSame(model, session.CurrentModel);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
