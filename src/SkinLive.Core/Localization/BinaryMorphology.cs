namespace SkinLive.Localization;

/// <summary>3×3 binary opening and closing on a 0/1 byte mask, separably (a row pass then a column pass).</summary>
internal static class BinaryMorphology
{
    /// <summary>Opening removes specks and strands thinner than 3 pixels; pixels beyond the map count as background.</summary>
    public static void Open(Span<byte> mask, Span<byte> scratch, int width, int height)
    {
        Erode(mask, scratch, width, height, outside: 0);
        Dilate(mask, scratch, width, height);
    }

    /// <summary>Closing fills 1–2 pixel gaps and holes; pixels beyond the map count as foreground so edges are not eaten.</summary>
    public static void Close(Span<byte> mask, Span<byte> scratch, int width, int height)
    {
        Dilate(mask, scratch, width, height);
        Erode(mask, scratch, width, height, outside: 1);
    }

    private static void Erode(Span<byte> mask, Span<byte> scratch, int width, int height, byte outside)
    {
        for (int y = 0; y < height; y++)
        {
            Span<byte> source = mask.Slice(y * width, width), target = scratch.Slice(y * width, width);
            for (int x = 0; x < width; x++)
            {
                byte left = x > 0 ? source[x - 1] : outside;
                byte right = x < width - 1 ? source[x + 1] : outside;
                target[x] = (byte)(left & source[x] & right);
            }
        }

        for (int y = 0; y < height; y++)
        {
            Span<byte> target = mask.Slice(y * width, width), centre = scratch.Slice(y * width, width);
            for (int x = 0; x < width; x++)
            {
                byte up = y > 0 ? scratch[((y - 1) * width) + x] : outside;
                byte down = y < height - 1 ? scratch[((y + 1) * width) + x] : outside;
                target[x] = (byte)(up & centre[x] & down);
            }
        }
    }

    private static void Dilate(Span<byte> mask, Span<byte> scratch, int width, int height)
    {
        for (int y = 0; y < height; y++)
        {
            Span<byte> source = mask.Slice(y * width, width), target = scratch.Slice(y * width, width);
            for (int x = 0; x < width; x++)
            {
                byte left = x > 0 ? source[x - 1] : (byte)0;
                byte right = x < width - 1 ? source[x + 1] : (byte)0;
                target[x] = (byte)(left | source[x] | right);
            }
        }

        for (int y = 0; y < height; y++)
        {
            Span<byte> target = mask.Slice(y * width, width), centre = scratch.Slice(y * width, width);
            for (int x = 0; x < width; x++)
            {
                byte up = y > 0 ? scratch[((y - 1) * width) + x] : (byte)0;
                byte down = y < height - 1 ? scratch[((y + 1) * width) + x] : (byte)0;
                target[x] = (byte)(up | centre[x] | down);
            }
        }
    }
}
