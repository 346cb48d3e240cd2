namespace SkinLive.App.Profiling;

/// <summary>A fixed-capacity series of measurements (milliseconds) with order statistics; adding never allocates.</summary>
public sealed class Samples(int capacity)
{
    private readonly double[] _values = new double[capacity];

    public int Count { get; private set; }

    public void Add(double value)
    {
        if (Count < _values.Length)
        {
            _values[Count++] = value;
        }
    }

    public double Mean => Count == 0 ? double.NaN : _values.AsSpan(0, Count).ToArray().Average();

    public double Percentile(double p)
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = _values.AsSpan(0, Count).ToArray();
        Array.Sort(sorted);
        int index = Math.Clamp((int)Math.Ceiling(p / 100.0 * Count) - 1, 0, Count - 1);
        return sorted[index];
    }

    public void Clear() => Count = 0;
}
