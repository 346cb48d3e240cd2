using System.Numerics;

namespace SkinLive.Capture.Synthetic;

/// <summary>Where the scene lies in the image: pixel = Centre + Scale · Rotate(Rotation) · scene.</summary>
internal readonly record struct SceneView(float Scale, float Rotation, float CentreX, float CentreY)
{
    public Vector2 ToPixel(Vector2 scene)
    {
        float c = MathF.Cos(Rotation);
        float s = MathF.Sin(Rotation);
        return new Vector2(CentreX + (Scale * ((c * scene.X) - (s * scene.Y))), CentreY + (Scale * ((s * scene.X) + (c * scene.Y))));
    }
}

/// <summary>Draws skin, lesion and hair into a <see cref="SceneCanvas"/>; shared by stills and the live source's scene texture.</summary>
internal static class SceneRenderer
{
    /// <summary>
    /// Skin everywhere, the lesion (when given) with its structures, clipped to its mask; fills the canvas mask and
    /// its per-row lesion extents.
    /// </summary>
    public static void Render(SceneCanvas canvas, int width, int height, SkinModel skin, LesionModel? lesion, in SceneView view)
    {
        canvas.Resize(width, height);
        float cos = MathF.Cos(view.Rotation);
        float sin = MathF.Sin(view.Rotation);
        float inverseScale = 1f / view.Scale;

        // Only pixels within the lesion's enclosing circle need the lesion model.
        int lx0 = int.MaxValue, lx1 = int.MinValue, ly0 = int.MaxValue, ly1 = int.MinValue;
        if (lesion is not null)
        {
            Vector2 centre = view.ToPixel(Vector2.Zero);
            float reach = (lesion.SceneExtent * view.Scale) + 1f;
            lx0 = (int)MathF.Floor(centre.X - reach);
            lx1 = (int)MathF.Ceiling(centre.X + reach);
            ly0 = (int)MathF.Floor(centre.Y - reach);
            ly1 = (int)MathF.Ceiling(centre.Y + reach);
        }

        float[] rgb = canvas.Rgb;
        float[] mask = canvas.Mask;
        for (int y = 0; y < height; y++)
        {
            float py = y + 0.5f - view.CentreY;
            int first = -1;
            int last = -1;
            bool lesionRow = y >= ly0 && y <= ly1;
            for (int x = 0; x < width; x++)
            {
                float px = x + 0.5f - view.CentreX;
                float sx = ((cos * px) + (sin * py)) * inverseScale;
                float sy = ((-sin * px) + (cos * py)) * inverseScale;
                Vector3 colour = skin.Shade(sx, sy);
                float m = 0;
                if (lesionRow && x >= lx0 && x <= lx1)
                {
                    Vector3 lesionColour = lesion!.Shade(sx, sy, out m);
                    if (m > 0)
                    {
                        colour = Vector3.Lerp(colour, lesionColour, m * lesion.Opacity);
                        if (first < 0)
                        {
                            first = x;
                        }

                        last = x;
                    }
                }

                int p = (y * width) + x;
                mask[p] = m;
                rgb[p * 3] = colour.X;
                rgb[(p * 3) + 1] = colour.Y;
                rgb[(p * 3) + 2] = colour.Z;
            }

            canvas.RowFirst[y] = first;
            canvas.RowLast[y] = last;
        }

        if (lesion is not null)
        {
            DrawPrimitives(canvas, lesion, view);
        }
    }

    /// <summary>Lesion structures stamped in pixel space, one colour group at a time, clipped to the lesion mask.</summary>
    private static void DrawPrimitives(SceneCanvas canvas, LesionModel lesion, in SceneView view)
    {
        float pixelsPerLocal = lesion.LocalLengthToScene * view.Scale;
        foreach (PrimitiveGroup group in lesion.Primitives)
        {
            foreach (Blob blob in group.Blobs)
            {
                Vector2 p = view.ToPixel(lesion.LocalToScene(blob.X, blob.Y));
                canvas.StampDisc(p.X, p.Y, blob.Radius * pixelsPerLocal, blob.Softness, 1f);
            }

            foreach (Stroke stroke in group.Strokes)
            {
                Vector2 a = view.ToPixel(lesion.LocalToScene(stroke.X0, stroke.Y0));
                Vector2 b = view.ToPixel(lesion.LocalToScene(stroke.X1, stroke.Y1));
                canvas.StampStroke(a.X, a.Y, b.X, b.Y, stroke.Width0 * pixelsPerLocal, stroke.Width1 * pixelsPerLocal, 1f);
            }

            canvas.CompositeLayer(group.Colour, group.Opacity, clipToLesion: true);
        }
    }

    /// <summary>
    /// <paramref name="count"/> hairs as gently curved tapered strokes across the image; lengths and widths scale
    /// with <paramref name="referencePixels"/> (the frame's smaller side).
    /// </summary>
    public static void DrawHair(SceneCanvas canvas, ulong seed, int count, float referencePixels)
    {
        if (count <= 0)
        {
            return;
        }

        var rng = new SynthRandom(SynthRandom.Derive(seed, 0xA1B));
        float shade = rng.Range(0.06f, 0.3f);
        var colour = new Vector3(shade * rng.Range(1f, 1.3f), shade, shade * rng.Range(0.8f, 1f));
        const int Segments = 16;
        for (int i = 0; i < count; i++)
        {
            float x0 = rng.Range(0, canvas.Width);
            float y0 = rng.Range(0, canvas.Height);
            float direction = rng.Range(0, 2 * MathF.PI);
            float length = rng.Range(0.3f, 1.2f) * referencePixels;
            float bend = rng.Range(-0.35f, 0.35f) * length;
            float width = rng.Range(0.0025f, 0.006f) * referencePixels;
            float x2 = x0 + (length * MathF.Cos(direction));
            float y2 = y0 + (length * MathF.Sin(direction));
            float x1 = ((x0 + x2) * 0.5f) - (bend * MathF.Sin(direction));
            float y1 = ((y0 + y2) * 0.5f) + (bend * MathF.Cos(direction));
            float previousX = x0;
            float previousY = y0;
            for (int s = 1; s <= Segments; s++)
            {
                float t = s / (float)Segments;
                float u = 1f - t;
                float x = (u * u * x0) + (2 * u * t * x1) + (t * t * x2);
                float y = (u * u * y0) + (2 * u * t * y1) + (t * t * y2);
                float w0 = width * (1f - (0.5f * (s - 1) / Segments));
                float w1 = width * (1f - (0.5f * t));
                canvas.StampStroke(previousX, previousY, x, y, w0, w1, 1f);
                previousX = x;
                previousY = y;
            }
        }

        canvas.CompositeLayer(colour, rng.Range(0.75f, 0.95f), clipToLesion: false);
    }

    /// <summary>The lesion's pixel bounds from the canvas row extents; false when no lesion pixel is in the image.</summary>
    public static bool LesionBounds(SceneCanvas canvas, out int minX, out int minY, out int maxX, out int maxY)
    {
        minX = int.MaxValue;
        minY = int.MaxValue;
        maxX = int.MinValue;
        maxY = int.MinValue;
        for (int y = 0; y < canvas.Height; y++)
        {
            if (canvas.RowFirst[y] < 0)
            {
                continue;
            }

            minX = Math.Min(minX, canvas.RowFirst[y]);
            maxX = Math.Max(maxX, canvas.RowLast[y]);
            minY = Math.Min(minY, y);
            maxY = y;
        }

        return maxY >= 0;
    }
}
