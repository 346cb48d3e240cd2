using System.Runtime.Intrinsics;

namespace SkinLive.Preprocessing;

/// <summary>
/// How <see cref="HorizontalRowFilter"/> reads one row of a source plane: in chunks of 16 bytes, each shuffled into
/// sixteen 16-bit positions that pair up into eight 32-bit lanes (pmaddwd), the upper eight positions repeating the
/// lower eight's channels so the two halves of a lane sum fold into four lanes, <see cref="LaneChannel"/>.
/// Each position holds one sample; a chroma sample covers two pixels and is weighted by both pixels' taps, which
/// is what filtering the nearest chroma sample per pixel (as the reference and the shader do) amounts to.
/// </summary>
internal sealed class PlaneLayout
{
    /// <summary>Marks a position that holds no sample (the shuffle writes zero there).</summary>
    private const byte Empty = 0x80;

    private PlaneLayout(int chunkBytes, int chunkPixels, int alignment, int alignedUnitBytes, int[] laneChannel, (int Channel, int Byte, int Pixel, int Span)[] positions)
    {
        ChunkBytes = chunkBytes;
        ChunkPixels = chunkPixels;
        Alignment = alignment;
        AlignedUnitBytes = alignedUnitBytes;
        LaneChannel = laneChannel;
        Channels = laneChannel.Max() + 1;
        var shuffle = new byte[16];
        PositionPixel = new int[16];
        PositionSpan = new int[16];
        for (int j = 0; j < 16; j++)
        {
            (int channel, int b, int pixel, int span) = positions[j];
            if (channel >= 0 && channel != laneChannel[(j % 8) / 2])
            {
                throw new ArgumentException($"Position {j} holds channel {channel} in a lane of channel {laneChannel[(j % 8) / 2]}.");
            }

            shuffle[j] = channel < 0 ? Empty : (byte)b;
            PositionPixel[j] = pixel;
            PositionSpan[j] = channel < 0 ? 0 : span;
        }

        Shuffle = Vector128.Create(shuffle);
        ShuffleBytes = shuffle;
        SampleSpan = PositionSpan.Max();
    }

    /// <summary>Bytes a chunk advances along the row (at most 16; the chunk's load always reads 16).</summary>
    public int ChunkBytes { get; }

    /// <summary>Frame pixels a chunk advances along the row.</summary>
    public int ChunkPixels { get; }

    /// <summary>A filter window starts at a multiple of this many pixels (2 where a sample covers a pixel pair).</summary>
    public int Alignment { get; }

    /// <summary>Bytes per <see cref="Alignment"/> pixels, to turn an aligned start pixel into a byte offset.</summary>
    public int AlignedUnitBytes { get; }

    /// <summary>Output channel (0..<see cref="Channels"/> - 1) of each folded 32-bit lane; -1 for an unused lane.</summary>
    public int[] LaneChannel { get; }

    public int Channels { get; }

    /// <summary>Chunk byte → position (the pshufb control); <c>0x80</c> zeroes the position.</summary>
    public Vector128<byte> Shuffle { get; }

    public byte[] ShuffleBytes { get; }

    /// <summary>First pixel, relative to the chunk's first pixel, that a position's sample covers.</summary>
    public int[] PositionPixel { get; }

    /// <summary>Pixels a position's sample covers: 1, 2 for a chroma sample, 0 for an empty position.</summary>
    public int[] PositionSpan { get; }

    /// <summary>The most pixels one position covers (the largest <see cref="PositionSpan"/>).</summary>
    public int SampleSpan { get; }

    public int ByteOffsetOf(int alignedPixel) => alignedPixel / Alignment * AlignedUnitBytes;

    /// <summary>Packed 4:2:2 (YUYV, UYVY): 8 pixels per chunk; lanes Y, Y, Cb, Cr.</summary>
    public static PlaneLayout Packed422(int lumaOffset, int cbOffset, int crOffset)
    {
        var positions = new (int, int, int, int)[16];
        for (int half = 0; half < 2; half++)
        {
            int o = half * 8;
            for (int n = 0; n < 4; n++)
            {
                int pixel = (half * 4) + n;
                positions[o + n] = (0, (4 * (pixel >> 1)) + lumaOffset + (2 * (pixel & 1)), pixel, 1);
            }

            for (int n = 0; n < 2; n++)
            {
                int pair = (half * 2) + n;
                positions[o + 4 + n] = (1, (4 * pair) + cbOffset, 2 * pair, 2);
                positions[o + 6 + n] = (2, (4 * pair) + crOffset, 2 * pair, 2);
            }
        }

        return new PlaneLayout(16, 8, 2, 4, [0, 0, 1, 2], positions);
    }

    /// <summary>Interleaved RGB(A): 4 pixels per chunk; lanes R, G, B, unused.</summary>
    public static PlaneLayout Interleaved(int bytesPerPixel, int redOffset, int greenOffset, int blueOffset)
    {
        int[] offsets = [redOffset, greenOffset, blueOffset];
        var positions = new (int, int, int, int)[16];
        for (int half = 0; half < 2; half++)
        {
            for (int c = 0; c < 3; c++)
            {
                for (int n = 0; n < 2; n++)
                {
                    int pixel = (half * 2) + n;
                    positions[(half * 8) + (c * 2) + n] = (c, (pixel * bytesPerPixel) + offsets[c], pixel, 1);
                }
            }

            positions[(half * 8) + 6] = (-1, 0, 0, 0);
            positions[(half * 8) + 7] = (-1, 0, 0, 0);
        }

        return new PlaneLayout(4 * bytesPerPixel, 4, 1, bytesPerPixel, [0, 1, 2, -1], positions);
    }

    /// <summary>One byte per pixel (a luma plane): 16 pixels per chunk, every lane the one channel.</summary>
    public static PlaneLayout Luma()
    {
        var positions = new (int, int, int, int)[16];
        for (int j = 0; j < 16; j++)
        {
            positions[j] = (0, j, j, 1);
        }

        return new PlaneLayout(16, 16, 1, 1, [0, 0, 0, 0], positions);
    }

    /// <summary>One byte per pixel pair (an I420 chroma plane): 16 samples, 32 pixels per chunk.</summary>
    public static PlaneLayout Chroma()
    {
        var positions = new (int, int, int, int)[16];
        for (int j = 0; j < 16; j++)
        {
            positions[j] = (0, j, 2 * j, 2);
        }

        return new PlaneLayout(16, 32, 2, 1, [0, 0, 0, 0], positions);
    }

    /// <summary>Interleaved Cb Cr per pixel pair (the NV12 chroma plane): 8 pairs, 16 pixels per chunk; lanes Cb, Cb, Cr, Cr.</summary>
    public static PlaneLayout ChromaPairs()
    {
        var positions = new (int, int, int, int)[16];
        for (int half = 0; half < 2; half++)
        {
            for (int n = 0; n < 4; n++)
            {
                int pair = (half * 4) + n;
                positions[(half * 8) + n] = (0, 2 * pair, 2 * pair, 2);
                positions[(half * 8) + 4 + n] = (1, (2 * pair) + 1, 2 * pair, 2);
            }
        }

        return new PlaneLayout(16, 16, 2, 2, [0, 0, 1, 1], positions);
    }
}
