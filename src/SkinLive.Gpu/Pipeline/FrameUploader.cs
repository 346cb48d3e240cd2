using Silk.NET.OpenGL;
using SkinLive.Frames;
using SkinLive.Gpu.Platform;
using GlPixelFormat = Silk.NET.OpenGL.PixelFormat;
using PixelFormat = SkinLive.Frames.PixelFormat;

namespace SkinLive.Gpu.Pipeline;

/// <summary>
/// Copies CPU frames into plane textures through a ring of pixel-unpack buffers, so the copy into GL memory
/// never waits for the GPU to finish with the buffer used one or two frames ago (each map invalidates its
/// buffer). Plane textures, as the shaders read them:
/// RGBA8/BGRA8 → one RGBA8 (BGRA swizzled to RGBA); RGB24 → one RGB8; YUYV/UYVY → one RGBA8 of ceil(w/2)×h
/// holding two pixels per texel; NV12 → R8 luma + RG8 chroma; I420 → three R8 planes.
/// </summary>
public sealed unsafe class FrameUploader : IDisposable
{
    private const int RingSize = 3;
    private readonly GL _gl;
    private readonly uint[] _buffers = new uint[RingSize];
    private readonly nuint[] _bufferBytes = new nuint[RingSize];
    private readonly uint[] _planes = new uint[3];
    private int _next;

    public FrameUploader(GL gl)
    {
        _gl = gl;
        gl.GenBuffers(RingSize, _buffers);
        GlObjectCounts.Of(gl).Created(GlObjectKind.Buffer, RingSize);
    }

    public PixelFormat Format { get; private set; }
    public int Width { get; private set; }
    public int Height { get; private set; }
    public int PlaneCount { get; private set; }

    public uint Plane(int index) => _planes[index];

    public void Upload(Frame frame)
    {
        if (PlaneCount == 0 || frame.Format != Format || frame.Width != Width || frame.Height != Height)
        {
            AllocatePlanes(frame.Format, frame.Width, frame.Height);
        }

        int slot = _next;
        _next = (_next + 1) % RingSize;
        nuint bytes = (nuint)frame.Length;
        _gl.BindBuffer(BufferTargetARB.PixelUnpackBuffer, _buffers[slot]);
        if (_bufferBytes[slot] < bytes)
        {
            _gl.BufferData(BufferTargetARB.PixelUnpackBuffer, bytes, null, BufferUsageARB.StreamDraw);
            _bufferBytes[slot] = bytes;
        }

        void* mapped = _gl.MapBufferRange(BufferTargetARB.PixelUnpackBuffer, 0, bytes, MapBufferAccessMask.WriteBit | MapBufferAccessMask.InvalidateBufferBit);
        if (mapped == null)
        {
            _gl.BindBuffer(BufferTargetARB.PixelUnpackBuffer, 0);
            throw new InvalidOperationException($"Mapping a {bytes}-byte upload buffer failed (GL error {_gl.GetError()}).");
        }

        frame.ReadOnlyData.CopyTo(new Span<byte>(mapped, frame.Length));
        _gl.UnmapBuffer(BufferTargetARB.PixelUnpackBuffer);
        _gl.PixelStore(PixelStoreParameter.UnpackAlignment, 1);

        int w = frame.Width, h = frame.Height;
        int cw = PixelFormats.ChromaWidth(w), ch = PixelFormats.ChromaHeight(h);
        switch (frame.Format)
        {
            case PixelFormat.Rgba8:
            case PixelFormat.Bgra8:
                SubImage(_planes[0], w, h, GlPixelFormat.Rgba, 0);
                break;
            case PixelFormat.Rgb24:
                SubImage(_planes[0], w, h, GlPixelFormat.Rgb, 0);
                break;
            case PixelFormat.Yuyv:
            case PixelFormat.Uyvy:
                SubImage(_planes[0], cw, h, GlPixelFormat.Rgba, 0);
                break;
            case PixelFormat.Nv12:
                SubImage(_planes[0], w, h, GlPixelFormat.Red, 0);
                SubImage(_planes[1], cw, ch, GlPixelFormat.RG, w * h);
                break;
            case PixelFormat.I420:
                SubImage(_planes[0], w, h, GlPixelFormat.Red, 0);
                SubImage(_planes[1], cw, ch, GlPixelFormat.Red, w * h);
                SubImage(_planes[2], cw, ch, GlPixelFormat.Red, (w * h) + (cw * ch));
                break;
        }

        _gl.BindBuffer(BufferTargetARB.PixelUnpackBuffer, 0);
    }

    public void Dispose()
    {
        DeletePlanes();
        if (_buffers[0] != 0)
        {
            _gl.DeleteBuffers(RingSize, _buffers);
            GlObjectCounts.Of(_gl).Deleted(GlObjectKind.Buffer, RingSize);
        }

        Array.Clear(_buffers);
    }

    private void SubImage(uint texture, int width, int height, GlPixelFormat format, int offset)
    {
        _gl.BindTexture(TextureTarget.Texture2D, texture);
        _gl.TexSubImage2D(TextureTarget.Texture2D, 0, 0, 0, (uint)width, (uint)height, format, PixelType.UnsignedByte, (void*)offset);
    }

    private void AllocatePlanes(PixelFormat format, int width, int height)
    {
        DeletePlanes();
        int cw = PixelFormats.ChromaWidth(width), ch = PixelFormats.ChromaHeight(height);
        switch (format)
        {
            case PixelFormat.Rgba8:
                _planes[0] = CreatePlane(width, height, SizedInternalFormat.Rgba8, swapRedBlue: false);
                PlaneCount = 1;
                break;
            case PixelFormat.Bgra8:
                _planes[0] = CreatePlane(width, height, SizedInternalFormat.Rgba8, swapRedBlue: true);
                PlaneCount = 1;
                break;
            case PixelFormat.Rgb24:
                _planes[0] = CreatePlane(width, height, SizedInternalFormat.Rgb8, swapRedBlue: false);
                PlaneCount = 1;
                break;
            case PixelFormat.Yuyv:
            case PixelFormat.Uyvy:
                _planes[0] = CreatePlane(cw, height, SizedInternalFormat.Rgba8, swapRedBlue: false);
                PlaneCount = 1;
                break;
            case PixelFormat.Nv12:
                _planes[0] = CreatePlane(width, height, SizedInternalFormat.R8, swapRedBlue: false);
                _planes[1] = CreatePlane(cw, ch, SizedInternalFormat.RG8, swapRedBlue: false);
                PlaneCount = 2;
                break;
            case PixelFormat.I420:
                _planes[0] = CreatePlane(width, height, SizedInternalFormat.R8, swapRedBlue: false);
                _planes[1] = CreatePlane(cw, ch, SizedInternalFormat.R8, swapRedBlue: false);
                _planes[2] = CreatePlane(cw, ch, SizedInternalFormat.R8, swapRedBlue: false);
                PlaneCount = 3;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format.");
        }

        Format = format;
        Width = width;
        Height = height;
    }

    private uint CreatePlane(int width, int height, SizedInternalFormat format, bool swapRedBlue)
    {
        uint texture = _gl.GenTexture();
        GlObjectCounts.Of(_gl).Created(GlObjectKind.Texture);
        _gl.BindTexture(TextureTarget.Texture2D, texture);
        _gl.TexStorage2D(TextureTarget.Texture2D, 1, format, (uint)width, (uint)height);
        _gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureMinFilter, (int)GLEnum.Linear);
        _gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureMagFilter, (int)GLEnum.Linear);
        _gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureWrapS, (int)GLEnum.ClampToEdge);
        _gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureWrapT, (int)GLEnum.ClampToEdge);
        if (swapRedBlue)
        {
            _gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureSwizzleR, (int)GLEnum.Blue);
            _gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureSwizzleB, (int)GLEnum.Red);
        }

        return texture;
    }

    private void DeletePlanes()
    {
        for (int i = 0; i < _planes.Length; i++)
        {
            if (_planes[i] != 0)
            {
                _gl.DeleteTexture(_planes[i]);
                GlObjectCounts.Of(_gl).Deleted(GlObjectKind.Texture);
                _planes[i] = 0;
            }
        }

        PlaneCount = 0;
    }
}
