using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace SkinLive.Tests.App;

/// <summary>Minimal .npy (format 1.0/2.0) reader for little-endian float32 C-order arrays, independent of the writer.</summary>
internal static partial class NpyReader
{
    public static (long[] Shape, float[] Values) ReadFloat32(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int start = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(bytes, start, headerLength);
        int dataStart = start + headerLength;
        Assert.Equal(0, dataStart % 64);
        Assert.EndsWith("\n", header);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'fortran_order': False", header);
        string dims = ShapePattern().Match(header).Groups[1].Value;
        long[] shape = [.. dims.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse)];
        long count = shape.Aggregate(1L, (a, d) => a * d);
        Assert.Equal(count * 4, bytes.Length - dataStart);
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(dataStart + (i * 4)));
        }

        return (shape, values);
    }

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
