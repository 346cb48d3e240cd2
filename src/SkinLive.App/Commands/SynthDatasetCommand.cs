using System.Diagnostics;
using System.Globalization;
using System.Text;
using SkiaSharp;
using SkinLive.Capture.Synthetic;
using SkinLive.Frames;
using SkinLive.Storage;

namespace SkinLive.App.Commands;

/// <summary>
/// <c>skinlive synth-dataset</c>: writes a synthetic dataset in HAM10000's layout (metadata CSV plus JPEGs split
/// over two image folders) from the synthetic dermatoscope, so the training recipe reads it exactly like the real
/// archive. Every byte is a function of the seed: lesions and views have their own derived seeds, so the images can
/// be drawn in parallel in any order.
/// </summary>
public static class SynthDatasetCommand
{
    public const string MetadataFile = "HAM10000_metadata.csv";
    public const string MetadataHeader = "lesion_id,image_id,dx,dx_type,age,sex,localization";
    public static readonly string[] ImageFolders = ["HAM10000_images_part_1", "HAM10000_images_part_2"];

    public const string Usage = """
        usage: skinlive synth-dataset --out DIR --count N [--seed S] [--size 600x450] [--mix nv=6705,mel=1113,...] [--force]
          Writes N synthetic dermoscopy-like JPEGs in HAM10000's layout (HAM10000_metadata.csv,
          HAM10000_images_part_1/, HAM10000_images_part_2/), 1-4 views per lesion. --mix gives relative class
          weights (classes left out get none; default: HAM10000's own counts). Same seed, same bytes.
          Age, sex, site and dx_type are random draws, not data. Refuses a non-empty DIR unless --force.
        """;

    private const int JpegQuality = 90;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        DatasetRequest request = ParseArguments(args);
        PrepareDirectory(request.Directory, request.Force);
        DatasetPlan plan = DatasetPlan.Create(request.Count, request.Seed, request.Weights);

        var clock = Stopwatch.StartNew();
        try
        {
            foreach (string folder in ImageFolders)
            {
                OwnerOnlyDirectory.Create(Path.Combine(request.Directory, folder));
            }

            WriteImages(plan, request, stderr);

            // Last, so a dataset with metadata is a complete one.
            File.WriteAllText(Path.Combine(request.Directory, MetadataFile), plan.MetadataCsv(), new UTF8Encoding(false));
        }
        catch (Exception ex) when (WriteFailure(ex) is Exception failure)
        {
            stderr.WriteLine();
            stderr.WriteLine($"skinlive synth-dataset: could not write to {request.Directory}: {failure.Message}");
            return 1;
        }

        double seconds = clock.Elapsed.TotalSeconds;
        stdout.WriteLine($"wrote {plan.Images.Count} images of {plan.LesionCount} lesions ({request.Width}x{request.Height}, seed {request.Seed}) to {request.Directory} in {seconds:F1} s ({plan.Images.Count / seconds:F1} images/s)");
        for (int c = 0; c < HamClasses.Count; c++)
        {
            stdout.WriteLine($"  {HamClasses.Code(c),-6}{plan.ClassCounts[c],7}");
        }

        return 0;
    }

    /// <summary>The file-system error behind <paramref name="ex"/> (the parallel writers wrap theirs), or null for a bug.</summary>
    private static Exception? WriteFailure(Exception ex) => ex switch
    {
        IOException or UnauthorizedAccessException => ex,
        AggregateException aggregate => aggregate.Flatten().InnerExceptions.FirstOrDefault(e => e is IOException or UnauthorizedAccessException),
        _ => null,
    };

    private sealed record DatasetRequest(string Directory, int Count, ulong Seed, int Width, int Height, double[] Weights, bool Force);

    private static DatasetRequest ParseArguments(string[] args)
    {
        string? directory = null;
        int? count = null;
        ulong seed = 1;
        int width = 600, height = 450;
        double[] weights = HamClasses.Ham10000ImageCounts.Select(n => (double)n).ToArray();
        bool force = false;
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            if (option == "--force")
            {
                force = true;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new UsageException($"Option '{option}' needs a value (see 'skinlive synth-dataset --help').");
            }

            string value = args[++i];
            switch (option)
            {
                case "--out": directory = value; break;
                case "--count": count = ParseCount(value); break;
                case "--seed":
                    seed = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out ulong s)
                        ? s
                        : throw new UsageException($"--seed '{value}' is not a non-negative whole number.");
                    break;
                case "--size": (width, height) = ParseSize(value); break;
                case "--mix": weights = ParseMix(value); break;
                default: throw new UsageException($"Unknown option '{option}' (see 'skinlive synth-dataset --help').");
            }
        }

        if (directory is null || count is null)
        {
            throw new UsageException("Both --out DIR and --count N are required.");
        }

        return new DatasetRequest(Path.GetFullPath(directory), count.Value, seed, width, height, weights, force);
    }

    private static int ParseCount(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count is >= 1 and <= 9_999_999
            ? count
            : throw new UsageException($"--count '{value}' is not a whole number in 1..9999999.");

    private static (int Width, int Height) ParseSize(string value)
    {
        string[] parts = value.ToLowerInvariant().Split('x');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int width)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int height)
            && width is >= 32 and <= 4096 && height is >= 32 and <= 4096)
        {
            return (width, height);
        }

        throw new UsageException($"--size '{value}' is not WIDTHxHEIGHT with each side in 32..4096 (e.g. 600x450).");
    }

    private static double[] ParseMix(string value)
    {
        var weights = new double[HamClasses.Count];
        foreach (string pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = pair.Split('=');
            if (parts.Length != 2 || !HamClasses.TryParse(parts[0], out int c))
            {
                throw new UsageException($"--mix entry '{pair}' is not CLASS=WEIGHT with CLASS one of {string.Join(", ", HamClasses.Codes)}.");
            }

            if (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double weight) || !(weight >= 0) || double.IsInfinity(weight))
            {
                throw new UsageException($"--mix weight '{parts[1]}' for {parts[0]} is not a non-negative number.");
            }

            weights[c] = weight;
        }

        if (weights.Sum() <= 0)
        {
            throw new UsageException("--mix gives no class a positive weight.");
        }

        return weights;
    }

    /// <summary>An empty or new directory is fine; a non-empty one only with --force, and then only our own files are replaced.</summary>
    private static void PrepareDirectory(string directory, bool force)
    {
        if (File.Exists(directory))
        {
            throw new UsageException($"--out {directory} is a file, not a directory.");
        }

        if (!System.IO.Directory.Exists(directory) || !System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
        {
            return;
        }

        if (!force)
        {
            throw new UsageException($"{directory} is not empty; pass --force to write into it anyway.");
        }

        // A previous, larger run must not leave images that the new metadata does not list.
        foreach (string folder in ImageFolders)
        {
            string path = Path.Combine(directory, folder);
            if (System.IO.Directory.Exists(path))
            {
                foreach (string file in System.IO.Directory.EnumerateFiles(path, "ISIC_*.jpg"))
                {
                    File.Delete(file);
                }
            }
        }
    }

    private static void WriteImages(DatasetPlan plan, DatasetRequest request, TextWriter stderr)
    {
        var progress = new ProgressBar(stderr, plan.Images.Count);
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        int bytes = PixelFormats.FrameBytes(PixelFormat.Rgba8, request.Width, request.Height);
        var info = new SKImageInfo(request.Width, request.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        Parallel.For(
            0,
            plan.Images.Count,
            options,
            () => (Renderer: new SyntheticDermatoscope(), Pixels: GC.AllocateUninitializedArray<byte>(bytes, pinned: true)),
            (index, _, worker) =>
            {
                PlannedImage image = plan.Images[index];
                var still = new StillRequest(request.Width, request.Height, image.ClassIndex, image.LesionSeed, image.ViewSeed);
                worker.Renderer.RenderStill(still, worker.Pixels, PixelFormat.Rgba8);
                string path = Path.Combine(request.Directory, ImageFolders[image.Part], image.ImageId + ".jpg");
                File.WriteAllBytes(path, EncodeJpeg(info, worker.Pixels));
                progress.Advance();
                return worker;
            },
            _ => { });
        progress.Finish();
    }

    private static unsafe byte[] EncodeJpeg(SKImageInfo info, byte[] pixels)
    {
        fixed (byte* p = pixels)
        {
            using SKImage image = SKImage.FromPixels(info, (IntPtr)p, info.RowBytes);
            using SKData data = image.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
            return data.ToArray();
        }
    }

    /// <summary>A one-line bar on stderr, redrawn in place at most every half percent.</summary>
    private sealed class ProgressBar(TextWriter writer, int total)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly object _gate = new();
        private readonly int _step = Math.Max(1, total / 200);
        private int _done;

        public void Advance()
        {
            int done = Interlocked.Increment(ref _done);
            if (done % _step == 0 || done == total)
            {
                lock (_gate)
                {
                    Draw(done);
                }
            }
        }

        public void Finish()
        {
            lock (_gate)
            {
                writer.WriteLine();
            }
        }

        private void Draw(int done)
        {
            const int Width = 30;
            int filled = (int)((long)done * Width / total);
            double rate = done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3);
            writer.Write($"\r[{new string('#', filled)}{new string(' ', Width - filled)}] {done}/{total} {100.0 * done / total,5:F1}% {rate:F1} images/s");
            writer.Flush();
        }
    }
}

/// <summary>One image of the plan: its ids, class, folder and the seeds it is drawn from.</summary>
internal readonly record struct PlannedImage(string LesionId, string ImageId, int ClassIndex, int Part, ulong LesionSeed, ulong ViewSeed);

/// <summary>Per-lesion metadata drawn at random (it is not data: the recipe only needs the columns to exist).</summary>
internal readonly record struct LesionRecord(string LesionId, int ClassIndex, string DxType, int Age, string Sex, string Localization);

/// <summary>
/// Which images the dataset holds: class counts apportioned to the mix (largest remainder), lesions of 1–4 views,
/// lesion order shuffled so classes interleave, image ids in row order, the first half in part 1.
/// </summary>
internal sealed class DatasetPlan
{
    private static readonly string[] Sites = ["back", "lower extremity", "trunk", "upper extremity", "abdomen", "face", "chest", "foot", "neck", "scalp", "hand", "ear", "acral", "genital", "unknown"];

    private DatasetPlan(int[] classCounts, List<LesionRecord> lesions, List<PlannedImage> images)
    {
        ClassCounts = classCounts;
        Lesions = lesions;
        Images = images;
    }

    public int[] ClassCounts { get; }

    public List<LesionRecord> Lesions { get; }

    public List<PlannedImage> Images { get; }

    public int LesionCount => Lesions.Count;

    public static int[] Apportion(int total, IReadOnlyList<double> weights)
    {
        double sum = weights.Sum();
        var counts = new int[weights.Count];
        var remainders = new (double Remainder, int Class)[weights.Count];
        int assigned = 0;
        for (int c = 0; c < weights.Count; c++)
        {
            double exact = total * weights[c] / sum;
            counts[c] = (int)Math.Floor(exact);
            assigned += counts[c];
            remainders[c] = (exact - counts[c], c);
        }

        foreach ((double _, int c) in remainders.OrderByDescending(r => r.Remainder).ThenBy(r => r.Class).Take(total - assigned))
        {
            counts[c]++;
        }

        return counts;
    }

    public static DatasetPlan Create(int count, ulong seed, IReadOnlyList<double> weights)
    {
        int[] classCounts = Apportion(count, weights);
        var rng = new SynthRandom(SynthRandom.Derive(seed, 0xDA7A));

        // Lesions per class with 1–4 views each (HAM10000 averages about 1.3 images per lesion).
        var groups = new List<(int ClassIndex, int Views)>();
        for (int c = 0; c < HamClasses.Count; c++)
        {
            int left = classCounts[c];
            while (left > 0)
            {
                float u = rng.NextFloat();
                int views = u < 0.75 ? 1 : u < 0.9 ? 2 : u < 0.96 ? 3 : 4;
                views = Math.Min(views, left);
                groups.Add((c, views));
                left -= views;
            }
        }

        for (int i = groups.Count - 1; i > 0; i--)
        {
            int j = rng.Next(0, i + 1);
            (groups[i], groups[j]) = (groups[j], groups[i]);
        }

        var lesions = new List<LesionRecord>(groups.Count);
        var images = new List<PlannedImage>(count);
        int half = (count + 1) / 2;
        for (int l = 0; l < groups.Count; l++)
        {
            (int c, int views) = groups[l];
            string lesionId = $"HAM_{l + 1:D7}";
            lesions.Add(new LesionRecord(lesionId, c, DxType(ref rng, c), Age(ref rng, c), rng.Chance(0.5f) ? "male" : "female", Sites[rng.Next(0, Sites.Length)]));
            ulong lesionSeed = SynthRandom.Derive(seed, 0x4C000000UL + (ulong)l);
            for (int v = 0; v < views; v++)
            {
                int n = images.Count;
                images.Add(new PlannedImage(lesionId, $"ISIC_{n + 1:D7}", c, n < half ? 0 : 1, lesionSeed, SynthRandom.Derive(seed, 0x56000000UL + (ulong)n)));
            }
        }

        return new DatasetPlan(classCounts, lesions, images);
    }

    public string MetadataCsv()
    {
        var lesionById = Lesions.ToDictionary(l => l.LesionId);
        var csv = new StringBuilder();
        csv.Append(SynthDatasetCommand.MetadataHeader).Append('\n');
        foreach (PlannedImage image in Images)
        {
            LesionRecord lesion = lesionById[image.LesionId];
            csv.Append(CultureInfo.InvariantCulture, $"{lesion.LesionId},{image.ImageId},{HamClasses.Code(lesion.ClassIndex)},{lesion.DxType},{lesion.Age},{lesion.Sex},{lesion.Localization}\n");
        }

        return csv.ToString();
    }

    /// <summary>Malignant lesions are confirmed by histopathology in HAM10000; most naevi by follow-up.</summary>
    private static string DxType(ref SynthRandom rng, int classIndex) => HamClasses.Code(classIndex) switch
    {
        "mel" or "bcc" or "akiec" => "histo",
        "nv" => rng.NextFloat() < 0.55 ? "follow_up" : rng.NextFloat() < 0.8 ? "histo" : "consensus",
        "bkl" => rng.NextFloat() < 0.6 ? "histo" : rng.NextFloat() < 0.8 ? "consensus" : "confocal",
        _ => rng.NextFloat() < 0.5 ? "histo" : "consensus",
    };

    private static int Age(ref SynthRandom rng, int classIndex)
    {
        int centre = HamClasses.Code(classIndex) switch
        {
            "nv" => 42,
            "mel" or "bkl" => 60,
            "bcc" or "akiec" => 66,
            _ => 48,
        };
        double age = centre + ((rng.NextFloat() + rng.NextFloat() + rng.NextFloat() - 1.5) * 30);
        return Math.Clamp((int)Math.Round(age / 5) * 5, 5, 85);
    }
}
