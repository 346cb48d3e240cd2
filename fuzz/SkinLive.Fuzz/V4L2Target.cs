using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SkinLive.Capture;
using SkinLive.Frames;
using SkinLive.Platform;

namespace SkinLive.Fuzz;

/// <summary>
/// V4L2 buffer handling with a fake driver: the input is what a driver could report (format, granted size and
/// stride, DQBUF's bytesused, the mapped length) followed by the buffer's bytes. It goes through the same steps as
/// a dequeued buffer in <see cref="V4L2Source"/>: clamp, wrap the mapping as a span, lay out, copy.
/// </summary>
internal static unsafe class V4L2Target
{
    private const int HeaderBytes = 15;

    private static readonly uint[] s_fourccs =
        [NativeV4L2.V4L2_PIX_FMT_YUYV, NativeV4L2.V4L2_PIX_FMT_UYVY, NativeV4L2.V4L2_PIX_FMT_NV12, NativeV4L2.V4L2_PIX_FMT_MJPEG];

    public static void Run(byte[] input)
    {
        if (input.Length < HeaderBytes)
        {
            return;
        }

        ReadOnlySpan<byte> header = input.AsSpan(0, HeaderBytes);
        uint fourcc = s_fourccs[header[0] % s_fourccs.Length];
        int width = BinaryPrimitives.ReadInt16LittleEndian(header[1..]);
        int height = BinaryPrimitives.ReadInt16LittleEndian(header[3..]);
        int bytesPerLine = BinaryPrimitives.ReadInt32LittleEndian(header[5..]);
        uint bytesUsed = BinaryPrimitives.ReadUInt32LittleEndian(header[9..]);
        int mappedLength = BinaryPrimitives.ReadUInt16LittleEndian(header[13..]);

        var granted = new V4L2Granted(fourcc, width, height, bytesPerLine, 0, 30);
        if (!V4L2FrameLayout.TryCreate(granted, out V4L2FrameLayout layout, out string? problem))
        {
            if (string.IsNullOrEmpty(problem))
            {
                throw new InvalidOperationException($"{width}x{height} stride {bytesPerLine} was refused without a reason.");
            }

            return;
        }

        byte[] mapping = GC.AllocateArray<byte>(mappedLength, pinned: true);
        input.AsSpan(HeaderBytes, Math.Min(input.Length - HeaderBytes, mappedLength)).CopyTo(mapping);
        var buffer = new V4L2Buffer(0, Marshal.UnsafeAddrOfPinnedArrayElement(mapping, 0), V4L2Buffer.ClampBytesUsed(bytesUsed, (ulong)mapping.Length), false);
        if (buffer.BytesUsed > mapping.Length)
        {
            throw new InvalidOperationException($"bytesused {bytesUsed} became {buffer.BytesUsed}, past the {mapping.Length}-byte mapping.");
        }

        var data = new ReadOnlySpan<byte>((void*)buffer.Data, buffer.BytesUsed);
        long packed = PixelFormats.FrameBytes(layout.Format, layout.Width, layout.Height);
        if (data.Length < layout.RequiredBytes && packed > mapping.Length)
        {
            // The copy would be refused by length alone; a frame this large is not worth allocating per input.
            return;
        }

        byte[] frame = new byte[packed];
        bool copied = layout.TryCopy(data, frame);
        if (copied != (data.Length >= layout.RequiredBytes))
        {
            throw new InvalidOperationException($"TryCopy returned {copied} for {data.Length} bytes of a layout needing {layout.RequiredBytes}.");
        }

        if (copied && !frame.AsSpan(0, layout.LumaRowBytes).SequenceEqual(data[..layout.LumaRowBytes]))
        {
            throw new InvalidOperationException("The first row was not copied as the driver laid it out.");
        }
    }
}
