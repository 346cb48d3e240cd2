using Silk.NET.OpenGL;
using SkiaSharp;
using SkinLive.Gpu.Platform;
using GlPixelFormat = Silk.NET.OpenGL.PixelFormat;

namespace SkinLive.Gpu.Rendering;

/// <summary>Where one glyph lives in the atlas and how it sits on the baseline, in atlas pixels.</summary>
public readonly record struct Glyph(float U0, float V0, float U1, float V1, float Left, float Top, float Width, float Height, float Advance);

/// <summary>
/// Printable ASCII plus a few symbols rasterized once with SkiaSharp (DejaVu Sans through fontconfig, anti-aliased)
/// into an R8 texture, with a solid white block for untextured shapes. Owns the texture.
/// </summary>
public sealed unsafe class GlyphAtlas : IDisposable
{
    public const string ExtraCharacters = "•—…×≥≤±°·";
    private const int AtlasSize = 1024;
    private readonly GL _gl;
    private readonly Dictionary<char, Glyph> _glyphs = [];

    public GlyphAtlas(GL gl, float pixelSize = 48)
    {
        _gl = gl;
        PixelSize = pixelSize;
        using SKTypeface typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var font = new SKFont(typeface, pixelSize) { Edging = SKFontEdging.Antialias, Subpixel = true };
        using var bitmap = new SKBitmap(new SKImageInfo(AtlasSize, AtlasSize, SKColorType.Alpha8, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Transparent);
        using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawRect(1, 1, 6, 6, paint);
        SolidUv = (4f / AtlasSize, 4f / AtlasSize);
        Ascent = -font.Metrics.Ascent;
        LineHeight = font.Spacing;

        int x = 10, y = 2, rowHeight = 0;
        foreach (char c in Enumerable.Range(32, 95).Select(i => (char)i).Concat(ExtraCharacters))
        {
            string text = c.ToString();
            float advance = font.MeasureText(text, out SKRect bounds);
            int w = (int)Math.Ceiling(bounds.Width) + 4, h = (int)Math.Ceiling(bounds.Height) + 4;
            if (x + w >= AtlasSize)
            {
                x = 2;
                y += rowHeight + 2;
                rowHeight = 0;
            }

            if (y + h >= AtlasSize)
            {
                throw new InvalidOperationException($"Glyphs at {pixelSize}px do not fit a {AtlasSize}px atlas.");
            }

            float originX = x + 2 - bounds.Left, originY = y + 2 - bounds.Top;
            canvas.DrawText(text, originX, originY, SKTextAlign.Left, font, paint);
            _glyphs[c] = new Glyph(
                (float)x / AtlasSize, (float)y / AtlasSize, (float)(x + w) / AtlasSize, (float)(y + h) / AtlasSize,
                bounds.Left - 2, bounds.Top - 2, w, h, advance);
            x += w + 2;
            rowHeight = Math.Max(rowHeight, h);
        }

        canvas.Flush();
        Texture = gl.GenTexture();
        GlObjectCounts.Of(gl).Created(GlObjectKind.Texture);
        gl.BindTexture(TextureTarget.Texture2D, Texture);
        gl.PixelStore(PixelStoreParameter.UnpackAlignment, 1);
        gl.TexImage2D(TextureTarget.Texture2D, 0, InternalFormat.R8, AtlasSize, AtlasSize, 0, GlPixelFormat.Red, PixelType.UnsignedByte, (void*)bitmap.GetPixels());
        gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureMinFilter, (int)GLEnum.Linear);
        gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureMagFilter, (int)GLEnum.Linear);
        gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureWrapS, (int)GLEnum.ClampToEdge);
        gl.TexParameter(TextureTarget.Texture2D, TextureParameterName.TextureWrapT, (int)GLEnum.ClampToEdge);
    }

    public uint Texture { get; private set; }

    /// <summary>The size glyphs were rasterized at; text is drawn scaled from it.</summary>
    public float PixelSize { get; }

    /// <summary>Distance from the top of a line to the baseline, at <see cref="PixelSize"/>.</summary>
    public float Ascent { get; }

    public float LineHeight { get; }

    /// <summary>A texture coordinate inside the white block, for solid shapes.</summary>
    public (float U, float V) SolidUv { get; }

    /// <summary>The glyph for <paramref name="c"/>, or '?' for characters the atlas lacks.</summary>
    public Glyph this[char c] => _glyphs.TryGetValue(c, out Glyph glyph) ? glyph : _glyphs['?'];

    /// <summary>Width of <paramref name="text"/> drawn at <paramref name="size"/> pixels.</summary>
    public float Measure(ReadOnlySpan<char> text, float size)
    {
        float width = 0;
        foreach (char c in text)
        {
            width += this[c].Advance;
        }

        return width * size / PixelSize;
    }

    public void Dispose()
    {
        if (Texture != 0)
        {
            _gl.DeleteTexture(Texture);
            GlObjectCounts.Of(_gl).Deleted(GlObjectKind.Texture);
            Texture = 0;
        }
    }
}
