using System.Runtime.InteropServices;
using Silk.NET.OpenGL;
using SkinLive.Frames;
using SkinLive.Gpu.Platform;
using SkinLive.Gpu.Rendering;
using SkinLive.Tensors;

namespace SkinLive.Gpu.Pipeline;

/// <summary>
/// The newest localization map read back from the GPU: planes of <see cref="Width"/>×<see cref="Height"/>
/// floats (darkness, luma, and the log-chromaticities ln(R/G) and ln(B/G); row 0 = top of the frame). Filled on the render thread by the readback ring and
/// consumed there too, so it needs no locking.
/// </summary>
public sealed class LocalizationMap(int width, int height) : IReadbackSink
{
    private readonly float[] _darkness = new float[width * height];
    private readonly float[] _luma = new float[width * height];
    private readonly float[] _chromaRed = new float[width * height];
    private readonly float[] _chromaBlue = new float[width * height];

    public int Width { get; } = width;
    public int Height { get; } = height;

    public ReadOnlySpan<float> Darkness => _darkness;

    public ReadOnlySpan<float> Luma => _luma;

    /// <summary>ln(R/G) of each cell's mean colour.</summary>
    public ReadOnlySpan<float> ChromaRed => _chromaRed;

    /// <summary>ln(B/G) of each cell's mean colour.</summary>
    public ReadOnlySpan<float> ChromaBlue => _chromaBlue;

    /// <summary>The frame the current map was computed from.</summary>
    public TensorStamp Stamp { get; private set; }

    /// <summary>Maps received so far; a consumer compares it with what it last processed.</summary>
    public long Version { get; private set; }

    public void Receive(ReadOnlySpan<byte> bytes, in TensorStamp stamp)
    {
        ReadOnlySpan<float> data = MemoryMarshal.Cast<byte, float>(bytes);
        for (int i = 0; i < _darkness.Length; i++)
        {
            _darkness[i] = data[i * 4];
            _luma[i] = data[(i * 4) + 1];
            _chromaRed[i] = data[(i * 4) + 2];
            _chromaBlue[i] = data[(i * 4) + 3];
        }

        Stamp = stamp;
        Version++;
    }
}

/// <summary>Renders the low-resolution localization map of each frame and reads it back asynchronously.</summary>
public sealed class LocalizationMapPass : IDisposable
{
    private readonly GL _gl;
    private readonly FullscreenTriangle _triangle;
    private readonly FrameProgramSet _programs;
    private readonly RenderTarget _target;
    private readonly AsyncReadback _readback;

    public LocalizationMapPass(GL gl, GlSync sync, ShaderLibrary shaders, FullscreenTriangle triangle, int width = 160, int height = 120)
    {
        _gl = gl;
        _triangle = triangle;
        Map = new LocalizationMap(width, height);
        _programs = new FrameProgramSet(gl, shaders, "localization_map.frag.glsl");
        _target = new RenderTarget(gl, width, height, SizedInternalFormat.Rgba32f);
        _readback = new AsyncReadback(gl, sync, Map, width, height);
    }

    public LocalizationMap Map { get; }

    public AsyncReadback Readback => _readback;

    public void Run(FrameUploader planes, ColorSpec color, in TensorStamp stamp, long frameNumber)
    {
        ShaderProgram program = _programs.Use(planes, color);
        _gl.Uniform2(program["u_frameSize"], planes.Width, planes.Height);
        _gl.Uniform2(program["u_mapSize"], _target.Width, _target.Height);
        _target.BindForDrawing();
        _triangle.Draw();
        _readback.TryIssue(_target, stamp, frameNumber);
    }

    public void Dispose()
    {
        _readback.Dispose();
        _target.Dispose();
        _programs.Dispose();
    }
}
