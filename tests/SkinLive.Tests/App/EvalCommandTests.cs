using System.Text.Json.Nodes;
using SkiaSharp;
using SkinLive.Tests.Inference;

namespace SkinLive.Tests.App;

/// <summary>
/// The tiny dataset's images are flat colours and the mean-colour model predicts the class whose colour is
/// nearest, so every prediction is known: see the (truth, predicted) pairs in tools/testmodels/make_test_models.py.
/// </summary>
public class EvalCommandTests
{
    private static readonly string s_data = InferenceFixtures.File("ham_tiny");
    private static readonly string s_model = InferenceFixtures.File("mean_colour.onnx");

    // Rows truth, columns prediction, order akiec bcc bkl df mel nv vasc.
    private static readonly int[][] s_expectedConfusion =
    [
        [1, 0, 0, 0, 0, 0, 0],
        [0, 1, 1, 0, 0, 0, 0],
        [0, 0, 1, 0, 0, 0, 0],
        [0, 0, 0, 1, 0, 0, 0],
        [0, 0, 0, 0, 2, 1, 0],
        [0, 0, 0, 0, 1, 3, 0],
        [0, 0, 0, 0, 0, 1, 1],
    ];

    [Fact]
    public void Json_report_reproduces_the_hand_computed_metrics()
    {
        (int code, string stdout, string stderr) = CliRunner.Run("eval", "--data", s_data, "--model", s_model, "--json", "--threads", "1");
        Assert.True(code == 0, stderr);
        JsonNode report = JsonNode.Parse(stdout)!;
        Assert.Equal(14, report["samples"]!.GetValue<int>());
        Assert.Equal(s_expectedConfusion, report["confusion_matrix"]!.AsArray().Select(r => r!.AsArray().Select(v => v!.GetValue<int>()).ToArray()).ToArray());

        // Recall per class: akiec 1/1, bcc 1/2, bkl 1/1, df 1/1, mel 2/3, nv 3/4, vasc 1/2.
        double balanced = (1 + (1 / 2.0) + 1 + 1 + (2 / 3.0) + (3 / 4.0) + (1 / 2.0)) / 7;
        Assert.Equal(balanced, report["balanced_accuracy"]!.GetValue<double>(), 12);
        Assert.Equal(10 / 14.0, report["accuracy"]!.GetValue<double>(), 12);

        // nv: 4 truth, 3 found; 10 non-nv samples of which 2 (mel->nv, vasc->nv) were called nv.
        JsonNode nv = report["per_class"]!.AsArray().Single(c => c!["code"]!.GetValue<string>() == "nv")!;
        Assert.Equal(0.75, nv["sensitivity"]!.GetValue<double>(), 12);
        Assert.Equal(8 / 10.0, nv["specificity"]!.GetValue<double>(), 12);

        // Malignant truth (akiec, bcc x2, mel x3): 4 of 6 called malignant; benign truth: 7 of 8 called benign.
        JsonNode group = report["malignant_group"]!;
        Assert.Equal(6, group["support"]!.GetValue<int>());
        Assert.Equal(4 / 6.0, group["sensitivity"]!.GetValue<double>(), 12);
        Assert.Equal(7 / 8.0, group["specificity"]!.GetValue<double>(), 12);
    }

    [Fact]
    public void Out_writes_the_report_and_a_confusion_matrix_png()
    {
        using TempDir temp = InferenceFixtures.Temp();
        string outDir = Path.Combine(temp.Path, "report");
        (int code, string stdout, string stderr) = CliRunner.Run("eval", "--data", s_data, "--model", s_model, "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("balanced accuracy  0.7738", stdout);
        JsonNode report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
        Assert.Equal(14, report["samples"]!.GetValue<int>());
        using SKBitmap png = SKBitmap.Decode(Path.Combine(outDir, "confusion_matrix.png"));
        Assert.NotNull(png);
        Assert.True(png.Width > 7 * 32 && png.Height > 7 * 32);
        Assert.Contains("14/14", stderr);
    }

    [Fact]
    public void Split_file_limits_the_evaluation_to_its_test_lesions()
    {
        using TempDir temp = InferenceFixtures.Temp();
        File.WriteAllLines(temp.File("split.csv"), ["lesion_id,split", "HAM_0000000,test", "HAM_0000001,train", "HAM_0000003,test"]);
        (int code, string stdout, string stderr) = CliRunner.Run("eval", "--data", s_data, "--model", s_model, "--json", "--split", temp.File("split.csv"));
        Assert.True(code == 0, stderr);
        JsonNode report = JsonNode.Parse(stdout)!;

        // Lesion 0 = images 0, 1 (mel->mel, mel->mel); lesion 3 = images 6, 7 (nv->mel, bcc->bcc).
        Assert.Equal(4, report["samples"]!.GetValue<int>());
        Assert.Equal(2, report["confusion_matrix"]![4]![4]!.GetValue<int>());
        Assert.Equal(1, report["confusion_matrix"]![5]![4]!.GetValue<int>());
        Assert.Equal(1, report["confusion_matrix"]![1]![1]!.GetValue<int>());
    }

    [Fact]
    public void Unreadable_image_is_skipped_and_counted()
    {
        using TempDir temp = InferenceFixtures.Temp();
        CopyDataset(temp.Path);
        File.WriteAllBytes(Path.Combine(temp.Path, "HAM10000_images_part_1", "ISIC_0000000.jpg"), []);
        (int code, string stdout, string stderr) = CliRunner.Run("eval", "--data", temp.Path, "--model", s_model, "--json");
        Assert.True(code == 0, stderr);
        JsonNode report = JsonNode.Parse(stdout)!;
        Assert.Equal(13, report["samples"]!.GetValue<int>());
        Assert.Equal(1, report["skipped"]!.GetValue<int>());
        Assert.Equal(1, report["confusion_matrix"]![4]![4]!.GetValue<int>());
        Assert.Contains("ISIC_0000000.jpg is an empty (0-byte) file", stderr);
    }

    [Fact]
    public void Diagnosis_outside_the_model_labels_fails_with_one_sentence()
    {
        using TempDir temp = InferenceFixtures.Temp();
        CopyDataset(temp.Path);
        string csv = Path.Combine(temp.Path, "HAM10000_metadata.csv");
        File.WriteAllText(csv, File.ReadAllText(csv).Replace(",vasc,", ",scc,", StringComparison.Ordinal));
        (int code, string stdout, string stderr) = CliRunner.Run("eval", "--data", temp.Path, "--model", s_model);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("diagnosis 'scc'", stderr);
    }

    [Fact]
    public void Missing_data_option_is_a_usage_error()
    {
        (int code, _, string stderr) = CliRunner.Run("eval", "--model", s_model);
        Assert.Equal(2, code);
        Assert.Contains("--data", stderr);
    }

    [Fact]
    public void Folder_without_metadata_is_a_usage_error()
    {
        using TempDir temp = InferenceFixtures.Temp();
        (int code, _, string stderr) = CliRunner.Run("eval", "--data", temp.Path, "--model", s_model);
        Assert.Equal(2, code);
        Assert.Contains("HAM10000_metadata.csv", stderr);
    }

    private static void CopyDataset(string target)
    {
        foreach (string file in Directory.EnumerateFiles(s_data, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(s_data, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
