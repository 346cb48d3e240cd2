using System.Text;
using SkinLive.App;
using SkinLive.App.Commands;

namespace SkinLive.Fuzz;

/// <summary>
/// The HAM10000 reader: the input is <c>HAM10000_metadata.csv</c>, optionally followed by a NUL byte and a split
/// file, in a dataset folder holding three images. Bad data is a <see cref="UsageException"/>; every sample found
/// must name one of those images.
/// </summary>
internal static class CsvTarget
{
    private static readonly string s_root = CreateDataset();

    public static void Run(byte[] input)
    {
        int separator = Array.IndexOf(input, (byte)0);
        File.WriteAllBytes(Path.Combine(s_root, HamDataset.MetadataFile), separator < 0 ? input : input[..separator]);
        string? split = null;
        if (separator >= 0)
        {
            split = Path.Combine(s_root, "split.csv");
            File.WriteAllBytes(split, input[(separator + 1)..]);
        }

        try
        {
            foreach (HamSample sample in HamDataset.Load(s_root, split, out _))
            {
                if (!sample.Path.StartsWith(s_root + "/", StringComparison.Ordinal) || !File.Exists(sample.Path))
                {
                    throw new InvalidOperationException($"Sample {sample.ImageId} points at {sample.Path}, not at an image of the dataset.");
                }
            }
        }
        catch (UsageException)
        {
        }
    }

    private static string CreateDataset()
    {
        string root = Directory.CreateTempSubdirectory("skinlive-fuzz-csv-").FullName;
        foreach (string image in (string[])["ISIC_0024306.jpg", "ISIC_0024307.png", "sub/ISIC_0024308.jpeg"])
        {
            string path = Path.Combine(root, image);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, Encoding.ASCII.GetBytes("not decoded by the reader"));
        }

        return root;
    }
}
