namespace SkinLive.App.Live;

/// <summary>Where the shipped model lives: models/ next to the binaries (copied there from the repository's models/).</summary>
public static class ModelPaths
{
    public const string ShippedName = "skinlive-mnv3s-synthetic";

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "models");

    public static string Default => Path.Combine(Directory, ShippedName + ".onnx");
}
