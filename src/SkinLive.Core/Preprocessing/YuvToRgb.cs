using SkinLive.Frames;

namespace SkinLive.Preprocessing;

/// <summary>
/// The YUV→RGB transform as one 3×4 matrix over (Y, U, V, 1) with every sample in 0..1 (byte / 255), so the CPU
/// reference and the convert shader apply literally the same numbers.
/// </summary>
public readonly struct YuvToRgb
{
    private YuvToRgb(float[] rows) => Rows = rows;

    /// <summary>Row-major 3×4: R, G, B rows, columns Y, U, V, offset.</summary>
    public float[] Rows { get; }

    public static YuvToRgb For(ColorSpec color)
    {
        (double kr, double kb) = color.Matrix == YuvMatrix.Bt709 ? (0.2126, 0.0722) : (0.299, 0.114);
        double kg = 1 - kr - kb;
        bool limited = color.Range == YuvRange.Limited;
        double yScale = limited ? 255.0 / 219.0 : 1.0;
        double yOffset = limited ? -16.0 / 219.0 : 0.0;
        double cScale = limited ? 255.0 / 224.0 : 1.0;
        double cOffset = 128.0 / 255.0;

        // Columns for Cb and Cr after centring: Cb = (u - 128/255) * cScale.
        double rCr = 2 * (1 - kr);
        double gCb = -2 * kb * (1 - kb) / kg;
        double gCr = -2 * kr * (1 - kr) / kg;
        double bCb = 2 * (1 - kb);
        double[] m =
        [
            yScale, 0, rCr * cScale, yOffset - (rCr * cScale * cOffset),
            yScale, gCb * cScale, gCr * cScale, yOffset - (((gCb * cScale) + (gCr * cScale)) * cOffset),
            yScale, bCb * cScale, 0, yOffset - (bCb * cScale * cOffset),
        ];
        return new YuvToRgb(m.Select(v => (float)v).ToArray());
    }
}
