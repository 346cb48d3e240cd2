using System.Text;
using SkinLive.App;
using SkinLive.App.Commands;
using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Inference.Models;
using SkinLive.Platform;
using SkinLive.Tests.Capture;
using static SkinLive.Tests.Capture.CaptureTestSupport;

namespace SkinLive.Tests.Fuzz;

/// <summary>
/// Inputs the fuzzers (fuzz/SkinLive.Fuzz, scripts/fuzz.sh) found to crash, hang or over-allocate, each held to the
/// documented "bad input" outcome: a false return or the reader's own exception with one sentence.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Fuzz", name);

    [Fact]
    public void A_jpeg_header_declaring_more_than_64_megapixels_is_refused_before_any_frame_is_allocated()
    {
        byte[] jpeg = File.ReadAllBytes(Fixture("jpeg-header-1600-megapixels.jpg"));
        using var decoder = new JpegDecoder();
        Assert.False(decoder.TryReadHeader(jpeg, out JpegInfo info));
        Assert.Equal(default, info);
        Assert.Equal(1, decoder.Corrupt);
        Assert.Contains("40000x40000", decoder.LastError);
        Assert.Contains("64-megapixel limit", decoder.LastError);
    }

    [Theory]
    [InlineData("""{"labels": null}""")]
    [InlineData("""{"labels": [null]}""")]
    [InlineData("""{"labels": [{"code": "mel", "name": "Melanoma", "risk": "malignant"}, null]}""")]
    [InlineData("""{"labels": [{"code": null, "name": "Melanoma", "risk": "malignant"}]}""")]
    [InlineData("""{"labels": [{"code": "mel"}]}""")]
    [InlineData("""{"name": null}""")]
    [InlineData("""{"version": null}""")]
    [InlineData("""{"input": {"mean": [0.5, null, 0.5]}}""")]
    public void A_manifest_with_nulls_where_values_are_required_is_a_model_load_error(string json)
    {
        ModelLoadException error = Assert.Throws<ModelLoadException>(() => ModelManifest.Parse(json, "fuzz.json"));
        Assert.StartsWith("The model manifest fuzz.json ", error.Message);
    }

    [Fact]
    public void An_odd_width_nv12_mode_strides_its_chroma_rows_one_byte_wider_than_its_luma_rows()
    {
        var granted = new V4L2Granted(NativeV4L2.V4L2_PIX_FMT_NV12, 5, 3, 5, 0, 30);
        Assert.True(V4L2FrameLayout.TryCreate(granted, out V4L2FrameLayout layout, out string? problem), problem);

        // Rows of 6 bytes (5 luma + 1 padding, or 3 UV pairs): 3 luma rows, then 2 chroma rows.
        Assert.Equal(6, layout.Stride);
        Assert.Equal((6 * 4) + 6, layout.RequiredBytes);
        byte[] driver = [.. Enumerable.Range(0, (int)layout.RequiredBytes).Select(i => (byte)i)];
        byte[] packed = new byte[PixelFormats.FrameBytes(PixelFormat.Nv12, 5, 3)];

        Assert.False(layout.TryCopy(driver.AsSpan(0, driver.Length - 1), packed));
        Assert.True(layout.TryCopy(driver, packed));
        byte[] expected = [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29];
        Assert.Equal(expected, packed);
    }

    [Fact]
    public void An_odd_width_nv12_camera_frame_is_captured_instead_of_crashing_the_capture_thread()
    {
        var options = new V4L2Options("/dev/video0", 5, 3, NativeV4L2.V4L2_PIX_FMT_NV12, 30) { StallTimeout = TimeSpan.FromHours(1) };
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_NV12, 5, 3, 5);
        using var source = new V4L2Source(options, new FramePool(2, PixelFormat.Nv12, 5, 3), system);
        source.Start();
        system.Current!.Feed([.. Enumerable.Range(0, 30).Select(i => (byte)i)]);
        WaitUntil(() => source.FramesCaptured == 1, "the odd-width NV12 frame");
        Frame frame = source.Mailbox.TryTake()!;
        Assert.Equal((PixelFormat.Nv12, 5, 3, 27), (frame.Format, frame.Width, frame.Height, frame.Length));
        Assert.Equal(29, frame.ReadOnlyData[^1]);
        frame.Release();
        Assert.Equal(SourceStatus.Running, source.Status);
    }

    [Fact]
    public void A_truncated_raw_frame_is_skipped_and_counted()
    {
        var options = new V4L2Options("/dev/video0", 4, 2, NativeV4L2.V4L2_PIX_FMT_YUYV, 30) { StallTimeout = TimeSpan.FromHours(1) };
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_YUYV, 4, 2, 8);
        using var source = new V4L2Source(options, new FramePool(2, PixelFormat.Yuyv, 4, 2), system);
        source.Start();
        system.Current!.Feed(new byte[15]);
        WaitUntil(() => source.FramesSkipped == 1, "the truncated frame to be skipped");
        Assert.Equal(0, source.FramesCaptured);
        Assert.Equal(SourceStatus.Running, source.Status);
    }

    [Theory]
    [InlineData(0, 2, 8)]
    [InlineData(4, -1, 8)]
    [InlineData(20000, 2, 8)]
    [InlineData(16384, 16384, int.MaxValue)]
    public void A_granted_mode_with_a_nonsense_size_or_stride_is_refused_with_one_sentence(int width, int height, int bytesPerLine)
    {
        var options = new V4L2Options("/dev/video0", 4, 2, NativeV4L2.V4L2_PIX_FMT_YUYV, 30);
        var system = new FakeV4L2System(NativeV4L2.V4L2_PIX_FMT_YUYV, width, height, bytesPerLine);
        SourceException error = Assert.Throws<SourceException>(() => new V4L2Source(options, new FramePool(1, PixelFormat.Yuyv, 4, 2), system));
        Assert.StartsWith("/dev/video0 granted ", error.Message);
        Assert.EndsWith(", which SkinLive cannot read.", error.Message);
    }

    [Theory]
    [InlineData(100u, 4096ul, 100)]
    [InlineData(4097u, 4096ul, 4096)]
    [InlineData(uint.MaxValue, 4096ul, 4096)]
    [InlineData(uint.MaxValue, ulong.MaxValue, int.MaxValue)]
    public void Bytesused_is_clamped_to_the_mapped_buffer(uint bytesUsed, ulong mapped, int expected) =>
        Assert.Equal(expected, V4L2Buffer.ClampBytesUsed(bytesUsed, mapped));

    [Theory]
    [InlineData("../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../outside")]
    [InlineData("..\\outside")]
    public void A_csv_image_id_that_is_a_path_is_refused(string imageId)
    {
        using var dataset = new TemporaryDataset();
        dataset.WriteMetadata($"HAM_0000001,\"{imageId}\",mel");
        UsageException error = Assert.Throws<UsageException>(() => HamDataset.Load(dataset.Root, null, out _));
        Assert.Equal($"HAM10000_metadata.csv line 2 names image '{imageId}', a path that could lead outside the dataset folder; image ids are plain names.", error.Message);
    }

    [Fact]
    public void A_dataset_image_that_links_outside_the_dataset_folder_is_refused()
    {
        using var dataset = new TemporaryDataset();
        using var outside = new TemporaryDataset();
        File.WriteAllBytes(Path.Combine(outside.Root, "secret.jpg"), [0xFF, 0xD8]);
        File.CreateSymbolicLink(Path.Combine(dataset.Root, "ISIC_0000001.jpg"), Path.Combine(outside.Root, "secret.jpg"));
        dataset.WriteMetadata("HAM_0000001,ISIC_0000001,mel");
        UsageException error = Assert.Throws<UsageException>(() => HamDataset.Load(dataset.Root, null, out _));
        Assert.Contains("leads outside the dataset folder", error.Message);
    }

    [Fact]
    public void A_linked_folder_leading_outside_the_dataset_folder_is_refused()
    {
        using var dataset = new TemporaryDataset();
        using var outside = new TemporaryDataset();
        File.WriteAllBytes(Path.Combine(outside.Root, "ISIC_0000001.jpg"), [0xFF, 0xD8]);
        Directory.CreateSymbolicLink(Path.Combine(dataset.Root, "images"), outside.Root);
        dataset.WriteMetadata("HAM_0000001,ISIC_0000001,mel");
        UsageException error = Assert.Throws<UsageException>(() => HamDataset.Load(dataset.Root, null, out _));
        Assert.Contains("leads outside the dataset folder", error.Message);
    }

    [Fact]
    public void Links_that_stay_inside_the_dataset_folder_are_followed()
    {
        using var dataset = new TemporaryDataset();
        Directory.CreateDirectory(Path.Combine(dataset.Root, "part1"));
        File.WriteAllBytes(Path.Combine(dataset.Root, "part1", "ISIC_0000001.jpg"), [0xFF, 0xD8]);
        Directory.CreateSymbolicLink(Path.Combine(dataset.Root, "images"), Path.Combine(dataset.Root, "part1"));
        dataset.WriteMetadata("HAM_0000001,ISIC_0000001,mel");
        HamSample sample = Assert.Single(HamDataset.Load(dataset.Root, null, out int missing));
        Assert.Equal(0, missing);
        Assert.Equal("mel", sample.Dx);
    }

    private sealed class TemporaryDataset : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("skinlive-fuzz-").FullName;

        public void WriteMetadata(params string[] rows) =>
            File.WriteAllText(Path.Combine(Root, HamDataset.MetadataFile), "lesion_id,image_id,dx\n" + string.Join('\n', rows) + "\n", Encoding.UTF8);

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}
