namespace SkinLive.Tests.Inference;

/// <summary>Paths of the checked-in models and images (made by tools/testmodels/make_test_models.py).</summary>
internal static class InferenceFixtures
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Inference");

    public static string File(string name) => Path.Combine(Dir, name);

    /// <summary>A fresh temporary folder, deleted by the returned handle.</summary>
    public static TempDir Temp() => new();

    /// <summary>The tensor the reference logits were computed on: x[i] = ((i * 7919) % 1000) / 500 - 1.</summary>
    public static void FillPattern(Span<float> tensor)
    {
        for (int i = 0; i < tensor.Length; i++)
        {
            tensor[i] = ((i * 7919) % 1000 / 500f) - 1f;
        }
    }
}

internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "skinlive-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
