using SkinLive.Platform;

namespace SkinLive.App.Commands;

/// <summary>One labelled image of a HAM10000-layout folder.</summary>
internal sealed record HamSample(string LesionId, string ImageId, string Dx, string Path);

/// <summary>
/// Reads a HAM10000-layout folder: <c>HAM10000_metadata.csv</c> (columns lesion_id, image_id, dx, ...) at its
/// root and <c>&lt;image_id&gt;.jpg</c> (or .png) anywhere below it. A split file narrows the set to one split.
/// </summary>
internal static class HamDataset
{
    public const string MetadataFile = "HAM10000_metadata.csv";

    public static IReadOnlyList<HamSample> Load(string root, string? splitFile, out int missingImages)
    {
        if (!Directory.Exists(root))
        {
            throw new UsageException($"--data {root} is not a folder.");
        }

        string metadata = Path.Combine(root, MetadataFile);
        if (!File.Exists(metadata))
        {
            throw new UsageException($"{root} has no {MetadataFile}; --data needs a HAM10000-layout folder.");
        }

        string realRoot = NativeLibc.RealPath(root) ?? throw new UsageException($"--data {root} cannot be resolved.");
        var images = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string file in Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories))
        {
            string ext = Path.GetExtension(file).ToLowerInvariant();
            if (ext is ".jpg" or ".jpeg" or ".png")
            {
                RequireInside(file, realRoot, root);
                images.TryAdd(Path.GetFileNameWithoutExtension(file), file);
            }
        }

        string[] lines = File.ReadAllLines(metadata);
        if (lines.Length == 0)
        {
            throw new UsageException($"{MetadataFile} in {root} is empty.");
        }

        string[] header = SplitCsv(lines[0]);
        int lesion = Column(header, "lesion_id"), image = Column(header, "image_id"), dx = Column(header, "dx");
        HashSet<string>? keep = splitFile is null ? null : ReadSplit(splitFile);
        var samples = new List<HamSample>();
        missingImages = 0;
        for (int i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            string[] cells = SplitCsv(lines[i]);
            if (cells.Length <= Math.Max(lesion, Math.Max(image, dx)))
            {
                throw new UsageException($"{MetadataFile} line {i + 1} has {cells.Length} columns, fewer than its header.");
            }

            string lesionId = cells[lesion], imageId = cells[image];
            if (imageId.Contains('/') || imageId.Contains('\\') || imageId.Contains("..", StringComparison.Ordinal))
            {
                throw new UsageException($"{MetadataFile} line {i + 1} names image '{imageId}', a path that could lead outside the dataset folder; image ids are plain names.");
            }

            if (keep is not null && !keep.Contains(lesionId) && !keep.Contains(imageId))
            {
                continue;
            }

            if (images.TryGetValue(imageId, out string? path))
            {
                samples.Add(new HamSample(lesionId, imageId, cells[dx].Trim().ToLowerInvariant(), path));
            }
            else
            {
                missingImages++;
            }
        }

        return samples;
    }

    /// <summary>
    /// Refuses an image whose real location (every symbolic link followed) is not inside the dataset folder, so a
    /// dataset cannot make eval read files it does not contain.
    /// </summary>
    private static void RequireInside(string file, string realRoot, string root)
    {
        string? real = NativeLibc.RealPath(file);
        if (real is null || !real.StartsWith(realRoot.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new UsageException($"{file} leads outside the dataset folder {root} (to {real ?? "a missing file"}); dataset images must lie inside it.");
        }
    }

    /// <summary>
    /// A split file selects lesions or images: a CSV whose header has <c>lesion_id</c> or <c>image_id</c> (and,
    /// when it has a <c>split</c> column, only its <c>test</c> rows count), or one id per line without a header.
    /// </summary>
    private static HashSet<string> ReadSplit(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"split file {path} does not exist.");
        }

        string[] lines = [.. File.ReadAllLines(path).Where(l => !string.IsNullOrWhiteSpace(l))];
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (lines.Length == 0)
        {
            throw new UsageException($"split file {path} is empty.");
        }

        string[] header = SplitCsv(lines[0]);
        int id = Array.FindIndex(header, h => h is "lesion_id" or "image_id");
        int split = Array.IndexOf(header, "split");
        if (id < 0)
        {
            foreach (string line in lines)
            {
                ids.Add(SplitCsv(line)[0]);
            }

            return ids;
        }

        foreach (string line in lines.Skip(1))
        {
            string[] cells = SplitCsv(line);
            if (cells.Length > id && (split < 0 || (cells.Length > split && string.Equals(cells[split], "test", StringComparison.OrdinalIgnoreCase))))
            {
                ids.Add(cells[id]);
            }
        }

        return ids;
    }

    private static int Column(string[] header, string name)
    {
        int index = Array.IndexOf(header, name);
        return index >= 0 ? index : throw new UsageException($"{MetadataFile} has no '{name}' column.");
    }

    /// <summary>Splits one CSV line; fields may be double-quoted (with "" for a quote).</summary>
    internal static string[] SplitCsv(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
            }
            else
            {
                cell.Append(ch);
            }
        }

        cells.Add(cell.ToString().Trim());
        return [.. cells];
    }
}
