using SkinLive.Localization;
using Xunit.Abstractions;

namespace SkinLive.Tests.Localization;

public sealed class QualityGateTests
{
    private const int Pixels = LesionLocalizer.DefaultMapWidth * LesionLocalizer.DefaultMapHeight;
    private readonly ITestOutputHelper _output;

    public QualityGateTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public static TheoryData<string, QualityFlags> Cases => new()
    {
        { "good", QualityFlags.None },
        { "blurred", QualityFlags.Blurry },
        { "dark", QualityFlags.TooDark },
        { "bright", QualityFlags.TooBright },
        { "tiny", QualityFlags.LesionTooSmall },
        { "huge", QualityFlags.LesionTooLarge },
        { "cut", QualityFlags.LesionCutOff },
        { "empty", QualityFlags.NoLesion },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Picture_problems_raise_exactly_their_flag_on_10_scenes(string name, QualityFlags expected)
    {
        var darkness = new float[Pixels];
        var luminance = new float[Pixels];
        for (int seed = 0; seed < 10; seed++)
        {
            foreach (bool scope in new[] { false, true })
            {
                MapScene scene = Scene(name, MapScene.Random(400 + seed, scope));
                var map = new SyntheticLesionMap(scene);
                var localizer = new LesionLocalizer();
                LocalizationResult result = default;
                for (int frame = 0; frame < 3; frame++)
                {
                    map.Render((seed * 10) + frame, darkness, luminance);
                    result = localizer.Locate(darkness, luminance, frame);
                }

                _output.WriteLine($"{name} seed {seed} scope {scope}: {result.Quality} {result.Metrics}");
                Assert.True(expected == result.Quality, $"{name}, seed {seed}, scope {scope}: {result.Quality} ({result.Metrics})");
            }
        }
    }

    private static MapScene Scene(string name, MapScene scene)
    {
        float viewX = scene.Scope ? scene.ScopeX : 80, viewY = scene.Scope ? scene.ScopeY : 60;
        float viewRadius = scene.Scope ? scene.ScopeRadius : 60;
        return name switch
        {
            "good" => scene,
            "blurred" => scene with { BlurRadius = 2, Hairs = 0 },
            "dark" => scene with { Gain = 0.2f },
            "bright" => scene with { Gain = 1.7f },
            "tiny" => scene with { LesionRadius = 4, LesionElongation = 1, LesionX = viewX, LesionY = viewY },
            "huge" => scene with { LesionRadius = viewRadius * 0.7f, LesionElongation = 1, LesionX = viewX, LesionY = viewY },
            "cut" => scene with { LesionRadius = 14, LesionElongation = 1, LesionX = viewX - (scene.Scope ? viewRadius : 80), LesionY = viewY },
            "empty" => scene with { HasLesion = false },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }
}
