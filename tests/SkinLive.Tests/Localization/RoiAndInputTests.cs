using SkinLive.Frames;
using SkinLive.Localization;

namespace SkinLive.Tests.Localization;

public sealed class RoiAndInputTests
{
    [Fact]
    public void Roi_grows_the_box_by_20_percent_and_is_square_in_frame_pixels()
    {
        // 192x108 pixels at (960, 540) in a 1920x1080 frame.
        var box = new RectangleF(0.45f, 0.45f, 0.1f, 0.1f);
        RectangleF roi = LesionLocalizer.ToRoi(box, 1920, 1080);
        Assert.Equal(192 * 1.2f, roi.Width * 1920, 0.01f);
        Assert.Equal(192 * 1.2f, roi.Height * 1080, 0.01f);
        Assert.Equal(960, (roi.X + (roi.Width / 2)) * 1920, 0.01f);
        Assert.Equal(540, (roi.Y + (roi.Height / 2)) * 1080, 0.01f);
    }

    [Fact]
    public void Roi_near_a_corner_is_shifted_inside_the_frame_keeping_its_size()
    {
        var box = new RectangleF(0.93f, 0.88f, 0.07f, 0.12f);
        RectangleF roi = LesionLocalizer.ToRoi(box, 1280, 720);
        float side = Math.Max(0.07f * 1280, 0.12f * 720) * 1.2f;
        Assert.Equal(side, roi.Width * 1280, 0.01f);
        Assert.Equal(side, roi.Height * 720, 0.01f);
        Assert.Equal(1f, roi.Right, 1e-5f);
        Assert.Equal(1f, roi.Bottom, 1e-5f);
    }

    [Fact]
    public void Roi_larger_than_the_frame_becomes_the_largest_centred_square()
    {
        RectangleF roi = LesionLocalizer.ToRoi(new RectangleF(0.1f, 0.1f, 0.8f, 0.8f), 1920, 1080);
        Assert.Equal(1080f / 1920, roi.Width, 1e-5f);
        Assert.Equal(1f, roi.Height, 1e-5f);
        Assert.Equal(0.5f, roi.X + (roi.Width / 2), 1e-5f);
        Assert.Equal(0f, roi.Y, 1e-5f);
    }

    [Fact]
    public void Result_without_a_lesion_crops_the_square_around_the_view()
    {
        var circle = new FieldOfView(true, 0.5f, 0.5f, 0.375f, 0.5f);
        var result = new LocalizationResult(1, false, default, -1, false, default, 0, 0, QualityFlags.NoLesion, default, circle);
        RectangleF roi = result.ToRoi(1600, 1200);
        Assert.Equal(new RectangleF(0.125f, 0, 0.75f, 1), roi);
    }

    [Fact]
    public void Planes_of_the_wrong_size_are_refused_with_the_expected_size()
    {
        var localizer = new LesionLocalizer(160, 120);
        var exception = Assert.Throws<ArgumentException>(() => localizer.Locate(new float[160 * 120], new float[100], 0));
        Assert.Contains("160x120", exception.Message);
        Assert.Throws<ArgumentException>(() => localizer.Locate(new float[160 * 120], 1, 0));
    }

    [Fact]
    public void Inconsistent_thresholds_are_refused_by_name()
    {
        var options = new LocalizerOptions { Quality = new QualityThresholds { MinMeanLuminance = 0.9f, MaxMeanLuminance = 0.2f } };
        var exception = Assert.Throws<ArgumentException>(() => new LesionLocalizer(options: options));
        Assert.Contains("MinMeanLuminance", exception.Message);
        Assert.Throws<ArgumentException>(() => new LesionLocalizer(options: new LocalizerOptions { AppearFrames = 0 }));
    }
}
