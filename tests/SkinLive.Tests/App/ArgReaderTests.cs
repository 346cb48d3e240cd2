using SkinLive.App;

namespace SkinLive.Tests.App;

public sealed class ArgReaderTests : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"skinlive-config-{Guid.NewGuid():N}.json");

    [Fact]
    public void Command_line_wins_over_the_config_file()
    {
        File.WriteAllText(_config, """{ "frames": 5, "source": "testpattern", "headless": true }""");
        var a = new ArgReader(["--config", _config, "--frames", "7"]);
        Assert.Equal(7, a.Int("--frames", 0));
        Assert.Equal("testpattern", a.Option("--source"));
        Assert.True(a.Flag("--headless"));
        a.EnsureConsumed();
    }

    [Fact]
    public void Unknown_setting_in_the_config_is_named()
    {
        File.WriteAllText(_config, """{ "frames": 5, "colour": "red" }""");
        var a = new ArgReader(["--config", _config]);
        a.Int("--frames", 0);
        var error = Assert.Throws<UsageException>(a.EnsureConsumed);
        Assert.Contains("'colour'", error.Message);
    }

    [Fact]
    public void Broken_config_json_is_one_clear_sentence()
    {
        File.WriteAllText(_config, "{ frames: ");
        var error = Assert.Throws<UsageException>(() => new ArgReader(["--config", _config]));
        Assert.Contains("not valid JSON", error.Message);
    }

    [Theory]
    [InlineData("--frames", "abc")]
    [InlineData("--frames", "-3")]
    public void Bad_numbers_are_rejected_with_the_option_name(string name, string value)
    {
        var a = new ArgReader([name, value]);
        var error = Assert.Throws<UsageException>(() => a.Int(name, 0, 0));
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void Unknown_option_is_rejected()
    {
        var a = new ArgReader(["--fames", "3"]);
        var error = Assert.Throws<UsageException>(a.EnsureConsumed);
        Assert.Contains("--fames", error.Message);
    }

    [Theory]
    [InlineData("1280x720", 1280, 720)]
    [InlineData("7X5", 7, 5)]
    public void Sizes_parse(string text, int w, int h) => Assert.Equal((w, h), ArgReader.ParseSize("--size", text));

    [Theory]
    [InlineData("1280")]
    [InlineData("0x5")]
    [InlineData("axb")]
    public void Bad_sizes_are_rejected(string text) => Assert.Throws<UsageException>(() => ArgReader.ParseSize("--size", text));

    public void Dispose() => File.Delete(_config);
}
