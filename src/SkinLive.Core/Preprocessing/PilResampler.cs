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
        (int[] xFirst, int[] xCount, int[] xWeights, int xTaps) = Coefficients(width, box.X0, box.X1, outWidth);
        (int[] yFirst, int[] yCount, int[] yWeights, int yTaps) = Coefficients(height, box.Y0, box.Y1, outHeight);
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

    /// <summary>PIL's precompute_coeffs in double, then normalize_coeffs_8bpc's rounding to fixed point.</summary>
    private static (int[] First, int[] Count, int[] Weights, int Taps) Coefficients(int inSize, double in0, double in1, int outSize)
    {
        double scale = (in1 - in0) / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = filterScale;
        int taps = ((int)Math.Ceiling(support) * 2) + 1;
        var first = new int[outSize];
        var count = new int[outSize];
        var weights = new int[outSize * taps];
        var k = new double[taps];
        for (int i = 0; i < outSize; i++)
        {
            double center = in0 + ((i + 0.5) * scale);
            int xmin = Math.Max((int)(center - support + 0.5), 0);
            int xmax = Math.Min((int)(center + support + 0.5), inSize) - xmin;
            double sum = 0;
            for (int x = 0; x < xmax; x++)
            {
                double d = Math.Abs((x + xmin - center + 0.5) / filterScale);
                k[x] = d < 1.0 ? 1.0 - d : 0.0;
                sum += k[x];
            }

            for (int x = 0; x < xmax; x++)
            {
                double w = sum != 0 ? k[x] / sum : k[x];
                weights[(i * taps) + x] = w < 0 ? (int)(-0.5 + (w * (1 << PrecisionBits))) : (int)(0.5 + (w * (1 << PrecisionBits)));
            }

            first[i] = xmin;
            count[i] = Math.Max(xmax, 0);
        }

        return (first, count, weights, taps);
    }

    private static byte Clip8(int value)
    {
        int v = value >> PrecisionBits;
        return (byte)Math.Clamp(v, 0, 255);
    }
}
