using SkinLive.Gpu.Platform;

namespace SkinLive.App.Live.Outputs;

/// <summary>
/// <c>--snapshot FILE.png</c>: the last displayed frame, overlay included. It is read synchronously on the last frame
/// only, when the run is ending anyway, and written when the run has ended in order.
/// </summary>
public sealed class LastFrameOutput(string path) : ILiveOutput
{
    private RenderHost? _host;
    private byte[]? _pixels;
    private int _width;
    private int _height;

    public OutputReport Report { get; private set; }

    public void Start(RenderHost host) => _host = host;

    public void OnFrame(in ComposedFrame frame)
    {
        if (frame.IsLast)
        {
            _pixels = _host!.ReadPixels();
            _width = frame.Width;
            _height = frame.Height;
        }
    }

    public void Stop(bool orderly)
    {
        if (orderly && _pixels is not null)
        {
            PngWriter.Save(path, _pixels, _width, _height);
        }

        Report = new OutputReport("snapshot", $"snapshot: {path}", _pixels is null ? 0 : 1, 0, null);
    }
}
