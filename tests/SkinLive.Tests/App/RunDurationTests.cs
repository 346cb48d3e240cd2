using SkinLive.App;
using SkinLive.App.Commands;

namespace SkinLive.Tests.App;

public sealed class RunDurationTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1.5h", 5400)]
    public void Duration_takes_seconds_minutes_or_hours(string text, double seconds) => Assert.Equal(seconds, RunCommand.Duration(text));

    [Theory]
    [InlineData("30x")]
    [InlineData("0m")]
    [InlineData("-5s")]
    [InlineData("5mm")]
    [InlineData("m")]
    public void Duration_rejects_anything_else_with_one_sentence(string text)
    {
        var error = Assert.Throws<UsageException>(() => RunCommand.Duration(text));
        Assert.Contains("--duration must be a positive length", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duration_and_seconds_together_are_a_usage_error()
    {
        (int code, _, string stderr) = CliRunner.Run("run", "--headless", "--duration", "1m", "--seconds", "5");
        Assert.Equal(2, code);
        Assert.Contains("give one", stderr, StringComparison.Ordinal);
    }
}
