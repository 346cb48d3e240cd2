namespace SkinLive.Capture.Synthetic;

/// <summary>
/// HAM10000 diagnosis codes. A class index is the code's position in this alphabetical list, which is the
/// output order of every model trained by the recipe.
/// </summary>
public static class HamClasses
{
    public const int Count = 7;

    public static IReadOnlyList<string> Codes { get; } = ["akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"];

    /// <summary>Images per class in HAM10000 (10,015 in all), in index order; the default mix of a synthetic dataset.</summary>
    public static IReadOnlyList<int> Ham10000ImageCounts { get; } = [327, 514, 1099, 115, 1113, 6705, 142];

    public static string Code(int classIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(classIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(classIndex, Count);
        return Codes[classIndex];
    }

    public static bool TryParse(string code, out int classIndex)
    {
        string wanted = code.Trim().ToLowerInvariant();
        for (int i = 0; i < Count; i++)
        {
            if (Codes[i] == wanted)
            {
                classIndex = i;
                return true;
            }
        }

        classIndex = -1;
        return false;
    }
}
