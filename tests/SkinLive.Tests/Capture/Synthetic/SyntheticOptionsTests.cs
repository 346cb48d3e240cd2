using SkinLive.Capture.Synthetic;
using SkinLive.Frames;

namespace SkinLive.Tests.Capture.Synthetic;

public class SyntheticOptionsTests
{
    [Fact]
    public void Parses_every_key()
    {
        SyntheticOptions options = SyntheticOptions.Parse("class=mel,seed=3,size=640x480,fps=60,format=yuyv,vignette=0,hair=1,switch=2.5");

        Assert.Equal(HamClasses.Codes.ToList().IndexOf("mel"), options.Class);
        Assert.Equal(3, options.Seed);
        Assert.Equal(640, options.Width);
        Assert.Equal(480, options.Height);
        Assert.Equal(60, options.Fps);
        Assert.Equal(PixelFormat.Yuyv, options.PixelFormat);
        Assert.False(options.Vignette);
        Assert.True(options.Hair);
        Assert.Equal(2.5, options.SwitchSeconds);
    }

    [Fact]
    public void Empty_query_gives_the_defaults_and_ampersands_separate_too()
    {
        SyntheticOptions defaults = SyntheticOptions.Parse("");
        Assert.Equal(new SyntheticOptions(), defaults);
        Assert.Null(defaults.Class);
        Assert.Equal(1280, defaults.Width);
        Assert.Equal(720, defaults.Height);
        Assert.Equal(30, defaults.Fps);
        Assert.Equal(PixelFormat.Rgba8, defaults.PixelFormat);

        SyntheticOptions cycled = SyntheticOptions.Parse("?class=cycle&fps=0");
        Assert.Null(cycled.Class);
        Assert.Equal(0, cycled.Fps);
    }

    [Theory]
    [InlineData("colour=red", "Unknown synthetic option 'colour'")]
    [InlineData("class=melanoma", "Synthetic class 'melanoma' is not one of")]
    [InlineData("size=1280", "Synthetic size '1280' is not WIDTHxHEIGHT")]
    [InlineData("size=8x8", "Synthetic size '8x8'")]
    [InlineData("fps=-1", "Synthetic option fps='-1' is not a number")]
    [InlineData("seed=abc", "Synthetic option seed='abc' is not a whole number")]
    [InlineData("format=nv12", "Synthetic format 'nv12' is not rgba or yuyv")]
    [InlineData("hair=maybe", "Synthetic option hair='maybe' is not 1/0")]
    [InlineData("seed=1,seed=2", "Synthetic option 'seed' is given twice")]
    [InlineData("seed", "Synthetic option 'seed' is not key=value")]
    public void Bad_keys_and_values_are_named_in_one_sentence(string query, string expectedStart)
    {
        FormatException error = Assert.Throws<FormatException>(() => SyntheticOptions.Parse(query));
        Assert.StartsWith(expectedStart, error.Message);
        Assert.EndsWith(".", error.Message);
    }

    [Fact]
    public void Validate_rejects_settings_the_source_cannot_honour()
    {
        Assert.Throws<ArgumentException>(() => new SyntheticOptions { PixelFormat = PixelFormat.Nv12 }.Validate());
        Assert.Throws<ArgumentException>(() => new SyntheticOptions { Class = 7 }.Validate());
        Assert.Throws<ArgumentException>(() => new SyntheticOptions { Fps = double.NaN }.Validate());
        Assert.Throws<ArgumentException>(() => new SyntheticOptions { Width = 8 }.Validate());
        new SyntheticOptions { PixelFormat = PixelFormat.Yuyv, Class = 6, Fps = 0 }.Validate();
    }
}
