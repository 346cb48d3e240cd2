using System.Buffers.Binary;
using System.Text;

namespace SkinLive.App.Commands;

/// <summary>Writes NumPy <c>.npy</c> files (format 1.0, little-endian float32, C order), e.g. for parity checks in Python.</summary>
internal static class NpyWriter
{
    public static void WriteFloat32(string path, ReadOnlySpan<float> values, IReadOnlyList<long> shape)
    {
        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (count != values.Length)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {count} values, got {values.Length}.");
        }

        string dims = shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";

        // Magic (6) + version (2) + header length (2) + header, padded with spaces and ended by '\n' to a multiple of 64.
        int total = 10 + header.Length + 1;
        int padded = (total + 63) / 64 * 64;
        header = header.PadRight(header.Length + (padded - total)) + "\n";

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        Span<byte> prefix = stackalloc byte[10];
        prefix[0] = 0x93;
        "NUMPY"u8.CopyTo(prefix[1..]);
        prefix[6] = 1;
        prefix[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)header.Length);
        stream.Write(prefix);
        stream.Write(Encoding.ASCII.GetBytes(header));
        Span<byte> bytes = stackalloc byte[4];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, v);
            stream.Write(bytes);
        }
    }
}
