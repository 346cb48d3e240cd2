using System.Text.Json;

namespace SkinLive.Tests.Live;

/// <summary>
/// The quality gate through the whole app: a picture not fit to judge (blurred, too dark) shows the prompt and no
/// verdict, while the same picture in focus and well lit gets one, so it is the gate that withholds it.
/// </summary>
public sealed class QualityGatingEndToEndTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("skinlive-gate-").FullName;

    [Theory]
    [InlineData("gblur=sigma=6", "blurry")]
    [InlineData("lutrgb=r=val*0.1:g=val*0.1:b=val*0.1", "toodark")]
    public void Blurred_or_dark_picture_withholds_the_verdict_on_every_frame(string filter, string flag)
    {
        IReadOnlyList<JsonElement> trace = RunOnPicture(filter);
        foreach (JsonElement entry in trace)
        {
            Assert.Equal(JsonValueKind.Null, entry.GetProperty("verdict").ValueKind);
        }

        // Once the picture is on screen (and its first map read back), every frame carries the flag.
        List<JsonElement> shown = trace.Where(e => e.GetProperty("frame").GetInt64() >= 0).Skip(3).ToList();
        Assert.True(shown.Count >= 20, $"only {shown.Count} frames showed the picture");
        Assert.All(shown, e => Assert.Contains(flag, e.GetProperty("quality").GetString()?.Split(',') ?? []));
    }

    [Fact]
    public void The_same_picture_in_focus_and_well_lit_gets_a_verdict()
    {
        IReadOnlyList<JsonElement> trace = RunOnPicture("null");
        Assert.Contains(trace, e => e.GetProperty("verdict").ValueKind == JsonValueKind.String && e.GetProperty("quality").ValueKind == JsonValueKind.Null);
    }

    private List<JsonElement> RunOnPicture(string filter)
    {
        string picture = Path.Combine(_directory, "picture.png"), trace = Path.Combine(_directory, "trace.jsonl");
        Ffmpeg.Run("-f", "lavfi", "-i", Ffmpeg.LesionScene(320, 240, 1), "-vf", filter, "-frames:v", "1", picture);
        (int code, string stdout, string stderr) = SkinliveProcess.Run(
            ["run", "--headless", "--source", $"image:{picture}", "--frames", "90", "--window", "320x240", "--trace", trace], timeoutSeconds: 300);
        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        return File.ReadAllLines(trace).Select(line => JsonDocument.Parse(line).RootElement).ToList();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
