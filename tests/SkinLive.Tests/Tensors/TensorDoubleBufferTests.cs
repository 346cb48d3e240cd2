using SkinLive.Tensors;

namespace SkinLive.Tests.Tensors;

public sealed class TensorDoubleBufferTests
{
    /// <summary>Ids written into tensors wrap here so every value is an exact float.</summary>
    private const long ExactFloatIds = 1 << 24;

    [Fact]
    public void Reader_never_sees_a_torn_tensor_over_100k_handoffs()
    {
        const int elements = 2048;
        const int handoffs = 100_000;
        using var buffer = new TensorDoubleBuffer(elements);
        using var done = new CancellationTokenSource();
        long torn = 0, reads = 0, lastId = -1, outOfOrder = 0;
        string failedAt = string.Empty;
        long written = 0;

        var reader = new Thread(() =>
        {
            while (reads < handoffs)
            {
                if (!buffer.TryBeginRead(TimeSpan.FromSeconds(5), CancellationToken.None, out int index, out TensorStamp stamp))
                {
                    failedAt = $"reader timed out after {reads} reads; published {buffer.Published}, written {written}";
                    break;
                }

                ReadOnlySpan<float> tensor = buffer.Read(index);
                float expected = stamp.FrameId % ExactFloatIds;
                for (int i = 0; i < tensor.Length; i++)
                {
                    if (tensor[i] != expected)
                    {
                        torn++;
                        break;
                    }
                }

                if (stamp.FrameId <= lastId)
                {
                    outOfOrder++;
                }

                lastId = stamp.FrameId;
                buffer.EndRead();
                reads++;
            }

            done.Cancel();
        });

        var writer = new Thread(() =>
        {
            // Runs until the reader has seen enough, however the scheduler shares the cores between the two.
            for (long id = 0; !done.IsCancellationRequested; id++)
            {
                buffer.BeginWrite().Fill(id % ExactFloatIds);
                buffer.EndWrite(new TensorStamp(id, id * 10, default));
                written++;
            }
        });

        reader.Start();
        writer.Start();
        Assert.True(reader.Join(TimeSpan.FromMinutes(2)), "reader did not finish");
        Assert.True(writer.Join(TimeSpan.FromMinutes(1)), "writer did not finish");
        Assert.True(handoffs == reads, failedAt);
        Assert.Equal(0, torn);
        Assert.Equal(0, outOfOrder);
        Assert.Equal(written, buffer.Published);
    }

    [Fact]
    public void Writer_keeps_publishing_while_the_reader_holds_a_tensor()
    {
        using var buffer = new TensorDoubleBuffer(16);
        buffer.BeginWrite().Fill(1);
        buffer.EndWrite(new TensorStamp(1, 0, default));
        Assert.True(buffer.TryBeginRead(out int held, out TensorStamp heldStamp));

        var writer = new Thread(() =>
        {
            for (int id = 2; id <= 1000; id++)
            {
                buffer.BeginWrite().Fill(id);
                buffer.EndWrite(new TensorStamp(id, 0, default));
            }
        });
        writer.Start();
        Assert.True(writer.Join(TimeSpan.FromSeconds(30)), "writer blocked while the reader held a buffer");

        Assert.Equal(1, heldStamp.FrameId);
        Assert.All(buffer.Read(held).ToArray(), v => Assert.Equal(1f, v));
        buffer.EndRead();
        Assert.True(buffer.TryBeginRead(out int newest, out TensorStamp newestStamp));
        Assert.Equal(1000, newestStamp.FrameId);
        Assert.All(buffer.Read(newest).ToArray(), v => Assert.Equal(1000f, v));
        buffer.EndRead();
        Assert.Equal(1000, buffer.Published);
        Assert.Equal(998, buffer.Dropped);
    }

    [Fact]
    public void Newest_complete_tensor_wins_and_replaced_ones_are_counted()
    {
        using var buffer = new TensorDoubleBuffer(4);
        for (int id = 1; id <= 3; id++)
        {
            buffer.BeginWrite().Fill(id);
            buffer.EndWrite(new TensorStamp(id, 0, default));
        }

        Assert.True(buffer.TryBeginRead(out int index, out TensorStamp stamp));
        Assert.Equal(3, stamp.FrameId);
        Assert.Equal(3f, buffer.Read(index)[0]);
        buffer.EndRead();
        Assert.False(buffer.TryBeginRead(out _, out _));
        Assert.Equal(2, buffer.Dropped);
    }

    [Fact]
    public void Abandoned_write_publishes_nothing()
    {
        using var buffer = new TensorDoubleBuffer(4);
        buffer.BeginWrite().Fill(7);
        buffer.EndWrite(new TensorStamp(7, 0, default), publish: false);
        Assert.False(buffer.TryBeginRead(out _, out _));
        Assert.Equal(0, buffer.Published);
    }
}
