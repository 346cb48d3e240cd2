using SkinLive.Storage;
using SkinLive.Tests.App;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.Security;

/// <summary>Every folder SkinLive creates for its output is owner-only (0700); folders that exist keep their mode.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OwnerOnlyFolderTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public void Created_folders_and_their_new_parents_are_owner_only_and_existing_ones_are_left_alone()
    {
        using TempDir temp = InferenceFixtures.Temp();
        File.SetUnixFileMode(temp.Path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        OwnerOnlyDirectory.Create(temp.File("a/b/c"));
        OwnerOnlyDirectory.CreateFor(temp.File("a/d/file.txt"));
        foreach (string created in (string[])["a", "a/b", "a/b/c", "a/d"])
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(temp.File(created)));
        }

        Assert.Equal(OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(temp.Path));
    }

    [Fact]
    public void A_headless_run_creates_its_output_snapshot_recording_trace_and_profile_folders_owner_only()
    {
        using TempDir temp = InferenceFixtures.Temp();
        string output = temp.File("runs/today");
        (int code, _, string stderr) = SkinliveProcess.Run(
            ["run", "--headless", "--source", "testpattern:size=160x120", "--window", "160x120", "--frames", "10", "--output", output,
             "--snapshot", temp.File("snapshots/last.png")], timeoutSeconds: 300);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        Assert.True(File.Exists(Path.Combine(output, "recording.mp4")) && File.Exists(Path.Combine(output, "report", "summary.json")), stderr);
        foreach (string created in (string[])["runs", "runs/today", "runs/today/report", "snapshots"])
        {
            Assert.True(File.GetUnixFileMode(temp.File(created)) == OwnerOnly, $"{created} is {File.GetUnixFileMode(temp.File(created))}");
        }
    }

    [Fact]
    public void Eval_reports_and_synthetic_datasets_are_created_owner_only()
    {
        using TempDir temp = InferenceFixtures.Temp();
        (int synthCode, _, string synthError) = CliRunner.Run("synth-dataset", "--out", temp.File("data/synth"), "--count", "3", "--size", "64x48", "--seed", "2");
        Assert.True(synthCode == 0, synthError);
        (int evalCode, _, string evalError) = CliRunner.Run("eval", "--data", temp.File("data/synth"), "--model", InferenceFixtures.File("mean_colour.onnx"), "--out", temp.File("reports/eval"));
        Assert.True(evalCode == 0, evalError);
        foreach (string created in (string[])["data", "data/synth", "data/synth/HAM10000_images_part_1", "reports", "reports/eval"])
        {
            Assert.True(File.GetUnixFileMode(temp.File(created)) == OwnerOnly, $"{created} is {File.GetUnixFileMode(temp.File(created))}");
        }
    }
}
