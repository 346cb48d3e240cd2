namespace SkinLive.Tests.App;

public sealed class CliTests
{
    [Fact]
    public void Bench_is_not_part_of_the_app_and_the_error_names_the_benchmark_tool()
    {
        (int code, string stdout, string stderr) = CliRunner.Run("bench", "pipeline", "--compare");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Contains("dotnet run -c Release --project src/SkinLive.Bench", stderr);
        Assert.DoesNotContain("bench", SkinLive.App.Cli.Usage);
    }
}
