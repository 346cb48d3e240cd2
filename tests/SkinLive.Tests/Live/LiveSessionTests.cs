using System.Text.Json;
using SkinLive.App.Live;
using SkinLive.Capture;
using SkinLive.Gpu.Platform;
using SkinLive.Inference.Runtime;
using SkinLive.Preprocessing;
using SkinLive.Tensors;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.Live;

public sealed class LiveSessionTests
{
    private const string Pattern = "testpattern:size=160x120";
    private const string OtherPattern = "testpattern:size=160x120,fps=25";
    private static readonly Key[] EveryAttendedKey = [Key.S, Key.C, Key.M, Key.H, Key.H, Key.Space, Key.Space];

    [Fact]
    public void On_a_software_rasterizer_a_paced_camera_is_presented_once_per_new_picture_not_at_the_display_rate()
    {
        using LiveInference model = LiveInference.Load(InferenceFixtures.File("tiny.onnx"), new ClassifierOptions { IntraOpThreads = 1 }, out TensorDoubleBuffer tensors);
        using TensorDoubleBuffer ownedTensors = tensors;
        using IFrameSource source = SourceOptions.Open("testpattern:size=160x120,fps=20");
        using var host = new HeadlessHost(160, 120) { FramesPerSecondCap = 120 };
        var session = new LiveSession(host, source, model.Model.Preprocess, tensors, new LiveOptions { Seconds = 1.5 }, model);
        long presentsWithoutNewFrame = 0, uploadsAtLastPresent = 0;
        session.FrameShown += _ =>
        {
            presentsWithoutNewFrame += session.Loop.FramesUploaded == uploadsAtLastPresent ? 1 : 0;
            uploadsAtLastPresent = session.Loop.FramesUploaded;
        };

        session.Run();

        Assert.True(session.Loop.SkipsUnchangedPresents, "llvmpipe is a software rasterizer");
        Assert.True(session.Loop.FramesUploaded >= 10, $"only {session.Loop.FramesUploaded} camera frames in 1.5 s");
        Assert.True(host.SkippedPresents > 0, "a 120 Hz loop over a 20 fps camera skipped no present");
        // A present without a new camera frame shows something else that is new: a result (at most one per frame) or a
        // status line, and the turn that ends the run (--seconds) always presents.
        Assert.True(presentsWithoutNewFrame <= session.Loop.FramesUploaded + 4, $"{presentsWithoutNewFrame} presents without a new frame for {session.Loop.FramesUploaded} frames");
        Assert.True(host.FrameCount < host.Iterations, $"{host.FrameCount} presents in {host.Iterations} turns");
    }

    [Fact]
    public void With_overlay_sync_each_new_frame_is_shown_with_its_own_result_when_it_comes_in_time()
    {
        (long presentsOfNewFrames, long withOwnResult, LiveSession session) = RunWithOverlaySync("tiny.onnx", TimeSpan.FromSeconds(2));

        Assert.True(presentsOfNewFrames >= 10, $"only {presentsOfNewFrames} new frames shown");
        Assert.Equal(presentsOfNewFrames, withOwnResult);
        Assert.Equal(0, session.LateResults);
    }

    [Fact]
    public void With_overlay_sync_a_frame_whose_result_misses_the_deadline_is_shown_anyway_and_counted_late()
    {
        // The slow model takes far longer than the 5 ms deadline, so frames go on screen without their own result.
        (long presentsOfNewFrames, long withOwnResult, LiveSession session) = RunWithOverlaySync("slow.onnx", TimeSpan.FromMilliseconds(5));

        Assert.True(presentsOfNewFrames >= 10, $"only {presentsOfNewFrames} new frames shown: the loop waited for the model");
        Assert.True(session.LateResults > 0, "no frame was counted late");
        Assert.True(withOwnResult < presentsOfNewFrames, $"{withOwnResult} of {presentsOfNewFrames} frames had their own result from a slow model");
    }

    /// <summary>A 1.5 s headless session at 20 fps; counts the presents that show a new camera frame, and those whose result is that frame's.</summary>
    private static (long PresentsOfNewFrames, long WithOwnResult, LiveSession Session) RunWithOverlaySync(string model, TimeSpan deadline)
    {
        using LiveInference inference = LiveInference.Load(InferenceFixtures.File(model), new ClassifierOptions { IntraOpThreads = 1 }, out TensorDoubleBuffer tensors);
        using TensorDoubleBuffer ownedTensors = tensors;
        using IFrameSource source = SourceOptions.Open("testpattern:size=160x120,fps=20");
        using var host = new HeadlessHost(160, 120) { FramesPerSecondCap = 120 };
        var session = new LiveSession(host, source, inference.Model.Preprocess, tensors, new LiveOptions { Seconds = 1.5, Overlay = OverlayTiming.Sync, OverlayDeadline = deadline }, inference);
        long newFrames = 0, ownResult = 0, lastShown = -1;
        session.FrameShown += pipeline =>
        {
            // The first second of results may be missing while the model warms up: count from the first result on.
            if (pipeline.FrameId != lastShown && session.State.ResultFrame >= 0)
            {
                newFrames++;
                ownResult += session.State.ResultFrame == pipeline.FrameId ? 1 : 0;
            }

            lastShown = pipeline.FrameId;
        };

        session.Run();
        return (newFrames, ownResult, session);
    }

    [Fact]
    public void The_frame_runs_its_stages_in_the_one_written_order()
    {
        PreprocessSpec spec = PreprocessSpec.ImageNet(32, 32);
        using var tensors = new TensorDoubleBuffer(spec.ElementCount);
        using IFrameSource source = SourceOptions.Open(Pattern);
        using var host = new HeadlessHost(160, 120);
        var session = new LiveSession(host, source, spec, tensors, new LiveOptions { HealthInterval = TimeSpan.FromSeconds(1) });

        Assert.Equal(
        [
            "load: create pipeline", "load: create overlay", "load: hide cursor (kiosk)", "load: start outputs", "load: start clock",
            "update: begin frame", "update: upload", "update: count allocations", "update: take switches", "update: frame time",
            "update: supervise source", "update: localize", "update: classify", "update: compose status", "update: skip an unchanged picture",
            "render: present video", "render: overlay", "render: outputs", "render: end of run", "render: frame shown",
            "presented: swap time", "presented: drain GL errors", "presented: end frame",
            "closing: last health sample", "closing: stop watchdog", "closing: stop outputs", "closing: delete pipeline", "closing: delete overlay",
        ],
            session.Stages.Select(s => $"{s.Hook}: {s.Name}"));
    }

    [Fact]
    public void Outputs_report_in_order_and_a_run_without_outputs_reports_nothing()
    {
        PreprocessSpec spec = PreprocessSpec.ImageNet(32, 32);
        using var tensors = new TensorDoubleBuffer(spec.ElementCount);
        using IFrameSource source = SourceOptions.Open(Pattern);
        using TempDir folder = InferenceFixtures.Temp();
        using (var host = new HeadlessHost(160, 120))
        {
            var session = new LiveSession(host, source, spec, tensors, new LiveOptions { Frames = 5, SnapshotPath = folder.File("last.png"), TracePath = folder.File("trace.jsonl") });
            session.Run();
            Assert.Equal(
                [new("snapshot", $"snapshot: {folder.File("last.png")}", 1, 0, null), new("trace", $"trace: {folder.File("trace.jsonl")}", 5, 0, null)],
                session.Reports);
            Assert.Equal(5, File.ReadAllLines(folder.File("trace.jsonl")).Length);
            Assert.True(new FileInfo(folder.File("last.png")).Length > 0);
        }

        using var bare = new HeadlessHost(160, 120);
        var plain = new LiveSession(bare, source, spec, tensors, new LiveOptions { Frames = 3 });
        plain.Run();
        Assert.Empty(plain.Reports);
    }

    /// <summary>
    /// Every key an attended user presses, twice: once in warm-up (first use of each path), and again after it, when
    /// the render thread must allocate nothing at all although it saves a snapshot, switches camera and model and shows
    /// the status lines that go with them.
    /// </summary>
    [Fact]
    public void An_interactive_session_allocates_nothing_per_frame_on_the_render_thread_after_warm_up()
    {
        using TempDir folder = InferenceFixtures.Temp();
        string modelFolder = Directory.CreateDirectory(folder.File("models")).FullName;
        foreach (string name in new[] { "a", "b" })
        {
            File.Copy(InferenceFixtures.File("tiny.onnx"), Path.Combine(modelFolder, name + ".onnx"));
            File.WriteAllText(Path.Combine(modelFolder, name + ".json"), File.ReadAllText(InferenceFixtures.File("tiny.json")).Replace("skinlive-test-tiny", "model-" + name, StringComparison.Ordinal));
        }

        string first = Path.Combine(modelFolder, "a.onnx");
        string snapshots = folder.File("snapshots");
        using LiveInference model = LiveInference.Load(first, new ClassifierOptions { IntraOpThreads = 1 }, out TensorDoubleBuffer tensors);
        using TensorDoubleBuffer ownedTensors = tensors;
        using IFrameSource source = SourceOptions.Open(Pattern);
        using var host = new HeadlessHost(160, 120);
        var cameras = new SourceCycle(Pattern, () => [Pattern, OtherPattern], uri => SourceOptions.Open(uri));
        var models = new ModelCycle(first, new ClassifierOptions { IntraOpThreads = 1 }, tensors, model.Model);
        var session = new LiveSession(host, source, model.Model.Preprocess, tensors, new LiveOptions { Seconds = 60, SnapshotDirectory = snapshots }, model)
        {
            Cameras = cameras,
            Models = models,
        };

        // This handler runs on the render thread too, so it allocates nothing either: the folder is watched from here.
        var statuses = new HashSet<string?>(capacity: 64);
        int round = 0, snapshotsOnDisk = 0;
        long roundStartedAt = 0, quietFrames = 0;
        using var stop = new CancellationTokenSource();
        var watcher = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Volatile.Write(ref snapshotsOnDisk, Directory.Exists(snapshots) ? Directory.GetFiles(snapshots, "*.json").Length : 0);
                Thread.Sleep(20);
            }
        });
        watcher.Start();
        session.FrameShown += _ =>
        {
            statuses.Add(session.State.Status);
            bool settled = !cameras.Switching && !models.Switching && Volatile.Read(ref snapshotsOnDisk) == round;
            if (round < 2 && settled && host.FrameCount >= (round == 0 ? 10 : 150))
            {
                // The second round starts long after warm-up (60 frames after the first camera frame).
                round++;
                roundStartedAt = host.FrameCount;
                foreach (Key key in EveryAttendedKey)
                {
                    host.PressKey(key);
                }
            }
            else if (round == 2 && settled && host.FrameCount > roundStartedAt + 5 && ++quietFrames > 30)
            {
                host.Close();
            }
        };
        session.Run();
        stop.Cancel();
        watcher.Join();

        Assert.Equal(2, round);
        Assert.Equal(2, Directory.GetFiles(snapshots, "*.png").Length);
        using JsonDocument shown = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(snapshots, "*.json").Order().Last()));
        Assert.Equal([160, 120], shown.RootElement.GetProperty("frame_size").EnumerateArray().Select(e => e.GetInt32()));
        Assert.True(statuses.Contains("Switching camera…") || statuses.Contains("Loading the next model…"), string.Join(" | ", statuses));
        Assert.Equal("model-a", session.State.ModelName);
        Assert.Contains("test pattern 160x120", session.State.SourceDescription, StringComparison.Ordinal);
        Assert.NotSame(source, session.CurrentSource);
        Assert.Equal(0, session.AllocatedBytesPerFrame);
    }
}
