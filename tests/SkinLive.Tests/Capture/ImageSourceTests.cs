using SkinLive.Capture;
using SkinLive.Frames;
using static SkinLive.Tests.Capture.CaptureTestSupport;

namespace SkinLive.Tests.Capture;

public sealed class ImageSourceTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string MakeImage(string name, string color) =>
        MakeImageAt(_folder.File(name), color);

    private static string MakeImageAt(string path, string color)
    {
        Ffmpeg("-f", "lavfi", "-i", $"color=c={color}:s=40x30", "-frames:v", "1", path);
        return path;
    }

    [Fact]
    public void A_folder_plays_its_images_in_name_order_decoding_jpeg_and_png()
    {
        string png = MakeImage("b.png", "red");
        string jpeg = MakeImage("a.jpg", "blue");
        File.WriteAllText(_folder.File("notes.txt"), "not an image");
        var options = new ImageOptions(_folder.Path) { SlideInterval = TimeSpan.FromMilliseconds(30), FramesPerSecond = 200 };
        using var source = new ImageSource(options, new FramePool(3, PixelFormat.Rgb24, 40, 30));
        Assert.Equal([jpeg, png], source.Files);

        source.Start();
        bool sawJpeg = false, sawPng = false;
        WaitUntil(() =>
        {
            if (source.Mailbox.TryTake() is Frame frame)
            {
                Assert.Equal((40, 30), (frame.Width, frame.Height));
                ReadOnlySpan<byte> data = frame.ReadOnlyData;
                if (frame.Format == PixelFormat.I420)
                {
                    // Blue in full-range BT.601: low luma, Cb near the top.
                    Assert.InRange(data[0], 20, 40);
                    Assert.InRange(data[40 * 30], 240, 255);
                    sawJpeg = true;
                }
                else
                {
                    Assert.Equal(PixelFormat.Rgb24, frame.Format);
                    Assert.True(data[0] > 240 && data[1] < 16 && data[2] < 16, $"The PNG pixel is ({data[0]}, {data[1]}, {data[2]}), not red.");
                    sawPng = true;
                }

                frame.Release();
            }

            return sawJpeg && sawPng;
        }, "frames from both images");
        Assert.Equal(SourceStatus.Running, source.Status);
        Assert.Equal(0, source.FramesSkipped);
    }

    [Fact]
    public void A_still_image_is_posted_again_and_again()
    {
        string jpeg = MakeImage("still.jpg", "white");
        using var source = new ImageSource(new ImageOptions(jpeg) { FramesPerSecond = 200 }, new FramePool(2, PixelFormat.I420, 40, 30));
        source.Start();
        WaitUntil(() => source.FramesCaptured >= 5, "five posts of the still");
        Frame frame = source.Mailbox.TryTake()!;
        Assert.InRange(frame.ReadOnlyData[0], 250, 255);
        frame.Release();
    }

    [Fact]
    public void A_missing_path_and_a_folder_without_images_are_clear_errors()
    {
        string missing = _folder.File("gone");
        Assert.Equal($"The image or folder {missing} does not exist.",
            Assert.Throws<SourceException>(() => new ImageSource(new ImageOptions(missing), new FramePool(1, PixelFormat.Rgb24, 2, 2))).Message);
        Assert.StartsWith($"The folder {_folder.Path} has no images (",
            Assert.Throws<SourceException>(() => new ImageSource(new ImageOptions(_folder.Path), new FramePool(1, PixelFormat.Rgb24, 2, 2))).Message);
    }

    [Fact]
    public void When_no_image_decodes_the_source_is_faulted_with_the_reason()
    {
        File.WriteAllBytes(_folder.File("broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0]);
        using var source = new ImageSource(new ImageOptions(_folder.Path), new FramePool(1, PixelFormat.Rgb24, 2, 2));
        source.Start();
        WaitUntil(() => source.Status == SourceStatus.Faulted, "Faulted");
        Assert.StartsWith($"{_folder.File("broken.jpg")} is not a readable JPEG (", source.StatusMessage);
        Assert.Equal(1, source.FramesSkipped);
    }
}
