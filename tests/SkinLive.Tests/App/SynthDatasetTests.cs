using SkiaSharp;
using SkinLive.App;
using SkinLive.App.Commands;
using SkinLive.Capture.Synthetic;

namespace SkinLive.Tests.App;

public sealed class SynthDatasetTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("skinlive-synth-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Metadata_rows_and_image_files_match_one_to_one()
    {
        string dir = Path.Combine(_root, "ds");
        Assert.Equal(0, Run(out string stdout, out _, "--out", dir, "--count", "40", "--size", "64x48", "--seed", "5"));

        string[] lines = File.ReadAllLines(Path.Combine(dir, SynthDatasetCommand.MetadataFile));
        Assert.Equal("lesion_id,image_id,dx,dx_type,age,sex,localization", lines[0]);
        Assert.Equal(41, lines.Length);
        var listed = new HashSet<string>();
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split(',');
            Assert.Equal(7, cells.Length);
            Assert.Matches("^HAM_[0-9]{7}$", cells[0]);
            Assert.Matches("^ISIC_[0-9]{7}$", cells[1]);
            Assert.Contains(cells[2], HamClasses.Codes);
            Assert.Contains(cells[3], new[] { "histo", "follow_up", "consensus", "confocal" });
            Assert.InRange(int.Parse(cells[4]), 5, 85);
            Assert.Contains(cells[5], new[] { "male", "female" });
            Assert.True(listed.Add(cells[1]), $"{cells[1]} is listed twice");
        }

        string[] part1 = Directory.GetFiles(Path.Combine(dir, "HAM10000_images_part_1"));
        string[] part2 = Directory.GetFiles(Path.Combine(dir, "HAM10000_images_part_2"));
        Assert.Equal(20, part1.Length);
        Assert.Equal(20, part2.Length);
        Assert.Equal(listed.OrderBy(s => s), part1.Concat(part2).Select(Path.GetFileNameWithoutExtension).OrderBy(s => s));
        foreach (string file in part1.Concat(part2))
        {
            Assert.EndsWith(".jpg", file);
            using SKBitmap? bitmap = SKBitmap.Decode(file);
            Assert.NotNull(bitmap);
            Assert.Equal(64, bitmap.Width);
            Assert.Equal(48, bitmap.Height);
        }

        Assert.StartsWith("wrote 40 images of ", stdout);
        Assert.Equal(3, Directory.GetFileSystemEntries(dir).Length);
    }

    [Fact]
    public void Lesion_ids_group_consecutive_images_of_one_lesion()
    {
        string dir = Path.Combine(_root, "ds");
        Assert.Equal(0, Run(out _, out _, "--out", dir, "--count", "60", "--size", "48x36", "--seed", "2"));

        var rows = File.ReadAllLines(Path.Combine(dir, SynthDatasetCommand.MetadataFile)).Skip(1).Select(l => l.Split(',')).ToList();
        var groups = rows.GroupBy(r => r[0]).ToList();
        Assert.Contains(groups, g => g.Count() > 1);
        var closed = new HashSet<string>();
        string? current = null;
        foreach (string[] row in rows)
        {
            if (row[0] != current)
            {
                Assert.True(current is null || closed.Add(current), "a lesion's images must be consecutive rows");
                Assert.DoesNotContain(row[0], closed);
                current = row[0];
            }
        }

        foreach (IGrouping<string, string[]> group in groups)
        {
            Assert.InRange(group.Count(), 1, 4);
            // One lesion, one diagnosis and one patient record.
            Assert.Single(group.Select(r => string.Join(',', r[2], r[3], r[4], r[5], r[6])).Distinct());
        }

        // Views of one lesion differ (pose, light, nuisances) but show the same lesion.
        IGrouping<string, string[]> pair = groups.First(g => g.Count() > 1);
        byte[] first = File.ReadAllBytes(ImagePath(dir, pair.ElementAt(0)[1]));
        byte[] second = File.ReadAllBytes(ImagePath(dir, pair.ElementAt(1)[1]));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Class_counts_follow_the_requested_mix()
    {
        string dir = Path.Combine(_root, "ds");
        Assert.Equal(0, Run(out _, out _, "--out", dir, "--count", "40", "--size", "32x32", "--mix", "nv=1,mel=1,df=2"));

        var counts = File.ReadAllLines(Path.Combine(dir, SynthDatasetCommand.MetadataFile)).Skip(1)
            .GroupBy(l => l.Split(',')[2]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, counts.Count);
        Assert.Equal(10, counts["nv"]);
        Assert.Equal(10, counts["mel"]);
        Assert.Equal(20, counts["df"]);
    }

    [Fact]
    public void Default_mix_is_ham10000s_own_class_counts()
    {
        double[] weights = HamClasses.Ham10000ImageCounts.Select(n => (double)n).ToArray();
        Assert.Equal(HamClasses.Ham10000ImageCounts, DatasetPlan.Apportion(10015, weights));
        foreach (int total in new[] { 1, 7, 100, 999, 10000 })
        {
            int[] counts = DatasetPlan.Apportion(total, weights);
            Assert.Equal(total, counts.Sum());
            for (int c = 0; c < counts.Length; c++)
            {
                Assert.InRange(counts[c], Math.Floor(total * weights[c] / 10015), Math.Ceiling(total * weights[c] / 10015));
            }
        }

        DatasetPlan plan = DatasetPlan.Create(10015, 1, weights);
        Assert.Equal(10015, plan.Images.Count);
        Assert.Equal(HamClasses.Ham10000ImageCounts, plan.ClassCounts);
        Assert.InRange(plan.LesionCount, 6500, 8500);
    }

    [Fact]
    public void Same_seed_writes_the_same_bytes_and_another_seed_does_not()
    {
        string a = Path.Combine(_root, "a"), b = Path.Combine(_root, "b"), c = Path.Combine(_root, "c");
        string[] common = ["--count", "12", "--size", "80x60"];
        Assert.Equal(0, Run(out _, out _, ["--out", a, "--seed", "9", .. common]));
        Assert.Equal(0, Run(out _, out _, ["--out", b, "--seed", "9", .. common]));
        Assert.Equal(0, Run(out _, out _, ["--out", c, "--seed", "10", .. common]));

        string[] files = Directory.GetFiles(a, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(a, f)).OrderBy(f => f).ToArray();
        Assert.Equal(13, files.Length);
        Assert.Equal(files, Directory.GetFiles(b, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(b, f)).OrderBy(f => f));
        foreach (string file in files)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, file)), File.ReadAllBytes(Path.Combine(b, file)));
        }

        string firstImage = files.First(f => f.EndsWith(".jpg"));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a, firstImage)), File.ReadAllBytes(Path.Combine(c, firstImage)));
    }

    [Fact]
    public void Non_empty_directory_is_refused_unless_forced()
    {
        string dir = Path.Combine(_root, "used");
        Directory.CreateDirectory(Path.Combine(dir, "HAM10000_images_part_2"));
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        File.WriteAllText(Path.Combine(dir, "HAM10000_images_part_2", "ISIC_0999999.jpg"), "stale");

        Assert.Equal(2, Run(out _, out string stderr, "--out", dir, "--count", "4", "--size", "32x32"));
        Assert.Contains("is not empty; pass --force", stderr);
        Assert.False(File.Exists(Path.Combine(dir, SynthDatasetCommand.MetadataFile)));

        Assert.Equal(0, Run(out _, out _, "--out", dir, "--count", "4", "--size", "32x32", "--force"));
        Assert.True(File.Exists(Path.Combine(dir, SynthDatasetCommand.MetadataFile)));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir, "notes.txt")));
        Assert.False(File.Exists(Path.Combine(dir, "HAM10000_images_part_2", "ISIC_0999999.jpg")), "a stale image the metadata does not list must go");
    }

    [Theory]
    [InlineData("Both --out DIR and --count N are required.", "--count", "5")]
    [InlineData("--count '0' is not a whole number in 1..9999999.", "--out", "x", "--count", "0")]
    [InlineData("--size '600' is not WIDTHxHEIGHT", "--out", "x", "--count", "1", "--size", "600")]
    [InlineData("--mix gives no class a positive weight.", "--out", "x", "--count", "1", "--mix", "nv=0")]
    [InlineData("--mix entry 'xx=1' is not CLASS=WEIGHT", "--out", "x", "--count", "1", "--mix", "xx=1")]
    [InlineData("Unknown option '--colour'", "--out", "x", "--count", "1", "--colour", "red")]
    [InlineData("Option '--seed' needs a value", "--out", "x", "--count", "1", "--seed")]
    public void Bad_arguments_give_one_sentence_and_exit_2(string expected, params string[] args)
    {
        string[] rooted = args.Select(a => a == "x" ? Path.Combine(_root, "x") : a).ToArray();
        Assert.Equal(2, Run(out _, out string stderr, rooted));
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(_root, "x")));
    }

    [Fact]
    public void Help_prints_the_usage_and_writes_nothing()
    {
        Assert.Equal(0, Run(out string stdout, out string stderr, "--help"));
        Assert.StartsWith("usage: skinlive synth-dataset --out DIR --count N", stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public void Unwritable_output_is_one_sentence_and_exit_1()
    {
        // A file where the image folder must go: creating the folder fails.
        string dir = Path.Combine(_root, "blocked");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "HAM10000_images_part_1"), "a file, not a folder");

        Assert.Equal(1, Run(out _, out string stderr, "--out", dir, "--count", "2", "--size", "32x32", "--force"));
        Assert.Contains($"skinlive synth-dataset: could not write to {dir}: ", stderr);
        Assert.False(File.Exists(Path.Combine(dir, SynthDatasetCommand.MetadataFile)));
    }

    private static string ImagePath(string dir, string imageId)
    {
        string first = Path.Combine(dir, "HAM10000_images_part_1", imageId + ".jpg");
        return File.Exists(first) ? first : Path.Combine(dir, "HAM10000_images_part_2", imageId + ".jpg");
    }

    private static int Run(out string stdout, out string stderr, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        int code = Cli.Run(["synth-dataset", .. args], output, errors);
        stdout = output.ToString();
        stderr = errors.ToString();
        return code;
    }
}
