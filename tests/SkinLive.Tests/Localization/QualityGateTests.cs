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

    // An underexposed picture may also hide the lesion, and clipping to white erases the detail sharpness measures;
    // every other case must raise exactly its flag.
    public static TheoryData<string, QualityFlags, QualityFlags> Cases => new()
    {
        { "good", QualityFlags.None, QualityFlags.None },
        { "blurred", QualityFlags.Blurry, QualityFlags.None },
        { "dark", QualityFlags.TooDark, QualityFlags.NoLesion },
        { "bright", QualityFlags.TooBright, QualityFlags.Blurry },
        { "tiny", QualityFlags.LesionTooSmall, QualityFlags.None },
        { "huge", QualityFlags.LesionTooLarge, QualityFlags.None },
        { "cut", QualityFlags.LesionCutOff, QualityFlags.None },
        { "empty", QualityFlags.NoLesion, QualityFlags.None },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Picture_problems_raise_their_flag_and_no_other_on_20_scenes(string name, QualityFlags expected, QualityFlags tolerated)
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
                Assert.True(result.Quality.HasFlag(expected) && (result.Quality & ~(expected | tolerated)) == 0, $"{name}, seed {seed}, scope {scope}: {result.Quality} ({result.Metrics})");
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
            "tiny" => scene with { LesionRadius = 4.5f, LesionElongation = 1, LesionIrregularity = 0, LesionX = viewX, LesionY = viewY },
            "huge" => scene with
            {
                LesionRadius = viewRadius * 0.8f,
                LesionElongation = scene.Scope ? 1 : 1.5f,
                LesionRotation = 0,
                LesionIrregularity = 0,
                LesionX = viewX,
                LesionY = viewY,
            },
            "cut" => scene with { LesionRadius = 14, LesionElongation = 1, LesionIrregularity = 0, LesionX = viewX - (scene.Scope ? viewRadius : 80), LesionY = viewY },
            "empty" => scene with { HasLesion = false },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }
}
