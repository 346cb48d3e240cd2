using OpenCvSharp;
using SkinLive.Frames;
using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;
using SkinLive.Gpu.Rendering;

namespace SkinLive.Bench.Peers;

/// <summary>
/// How the synchronous peer shows its picture, through the same window path as SkinLive: its BGR frame (verdict
/// drawn on it) converted to RGBA with cvtColor, uploaded to a texture and drawn letterboxed by SkinLive's own
/// <see cref="FramePresenter"/> (for RGBA a plain texture fetch, the cheapest present there is); the host's loop then
/// swaps. Create, use and dispose on the host's render thread.
/// </summary>
public sealed class PeerWindow : IDisposable
{
    private readonly RenderHost _host;
    private readonly FullscreenTriangle _triangle;
    private readonly FrameUploader _uploader;
    private readonly FramePresenter _presenter;
    private Frame? _rgba;

    public PeerWindow(RenderHost host)
    {
        _host = host;
        var gl = host.Context.Gl;
        _triangle = new FullscreenTriangle(gl);
        _uploader = new FrameUploader(gl);
        _presenter = new FramePresenter(gl, new ShaderLibrary(gl), _triangle);
    }

    /// <summary>Draws <paramref name="bgr"/> (8-bit, 3 channels) into the host's framebuffer, to be swapped when the frame ends.</summary>
    public unsafe void Show(Mat bgr)
    {
        if (_rgba is null || _rgba.Width != bgr.Cols || _rgba.Height != bgr.Rows)
        {
            _rgba = Frame.Create(PixelFormat.Rgba8, bgr.Cols, bgr.Rows);
        }

        fixed (byte* data = _rgba.Data)
        {
            using var rgba = Mat.FromPixelData(bgr.Rows, bgr.Cols, MatType.CV_8UC4, (nint)data);
            Cv2.CvtColor(bgr, rgba, ColorConversionCodes.BGR2RGBA);
        }

        _uploader.Upload(_rgba);
        _presenter.Draw(_uploader, _rgba.Color, _host.Framebuffer, _host.FramebufferWidth, _host.FramebufferHeight);
    }

    public void Dispose()
    {
        _presenter.Dispose();
        _uploader.Dispose();
        _triangle.Dispose();
    }
}
