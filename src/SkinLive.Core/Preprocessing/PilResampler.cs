namespace SkinLive.Preprocessing;

/// <summary>
/// PIL's own 8-bit bilinear resize (Resample.c): the same triangle coefficients, turned into 22-bit fixed point,
/// each pass rounding back to 8 bits. For still images this makes the tensor what torchvision computes from the
/// same decoded pixels, not merely close to it (the GPU and the float reference skip the two roundings).
/// </summary>
public static class PilResampler
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>Resizes the <paramref name="box"/> of interleaved RGB bytes to <paramref name="outWidth"/>×<paramref name="outHeight"/>.</summary>
    public static void ResizeRgb(ReadOnlySpan<byte> rgb, int width, int height, PixelBox box, int outWidth, int outHeight, Span<byte> destination)
    {
        ResampleKernel horizontal = ResampleKernel.Compute(width, box.X0, box.X1, outWidth);
        ResampleKernel vertical = ResampleKernel.Compute(height, box.Y0, box.Y1, outHeight);
        (int[] xFirst, int[] xCount, int[] xWeights, int xTaps) = (horizontal.First, horizontal.Count, horizontal.ToFixedPoint(PrecisionBits), horizontal.MaxTaps);
        (int[] yFirst, int[] yCount, int[] yWeights, int yTaps) = (vertical.First, vertical.Count, vertical.ToFixedPoint(PrecisionBits), vertical.MaxTaps);
        int rowFirst = yFirst[0];
        int rowLast = yFirst[outHeight - 1] + yCount[outHeight - 1];
        byte[] rows = new byte[(rowLast - rowFirst) * outWidth * 3];
        for (int y = rowFirst; y < rowLast; y++)
        {
            ReadOnlySpan<byte> source = rgb.Slice(y * width * 3, width * 3);
            Span<byte> target = rows.AsSpan((y - rowFirst) * outWidth * 3, outWidth * 3);
            for (int x = 0; x < outWidth; x++)
            {
                ReadOnlySpan<int> k = xWeights.AsSpan(x * xTaps, xCount[x]);
                int first = xFirst[x];
                for (int c = 0; c < 3; c++)
                {
                    int sum = 1 << (PrecisionBits - 1);
                    for (int t = 0; t < k.Length; t++)
                    {
                        sum += source[((first + t) * 3) + c] * k[t];
                    }

                    target[(x * 3) + c] = Clip8(sum);
                }
            }
        }

        for (int y = 0; y < outHeight; y++)
        {
            ReadOnlySpan<int> k = yWeights.AsSpan(y * yTaps, yCount[y]);
            int first = yFirst[y] - rowFirst;
            for (int x = 0; x < outWidth * 3; x++)
            {
                int sum = 1 << (PrecisionBits - 1);
                for (int t = 0; t < k.Length; t++)
                {
                    sum += rows[((first + t) * outWidth * 3) + x] * k[t];
                }

                destination[(y * outWidth * 3) + x] = Clip8(sum);
            }
        }
    }

    private static byte Clip8(int value)
    {
        int v = value >> PrecisionBits;
        return (byte)Math.Clamp(v, 0, 255);
    }
}
