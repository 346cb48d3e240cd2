using CsCheck;
using SkinLive.Frames;
using SkinLive.Inference.Runtime;
using SkinLive.Tensors;

namespace SkinLive.Tests.Properties;

/// <summary>
/// The three thread hand-offs under random interleavings of their producer and consumer operations: first as
/// random sequences checked after every step against what the types document, then with a real producer and
/// consumer thread racing through a random number of items.
/// </summary>
public sealed class HandOffProperties
{
    private static readonly Gen<int[]> Operations = Gen.Int[0, 3].Array[1, 200];

    [Fact]
    public void Frame_mailbox_holds_at_most_the_newest_frame_and_releases_every_replaced_one() =>
        // Two frames at least: a producer rents the next frame while the mailbox still holds the previous one.
        Gen.Select(Operations, Gen.Int[2, 4]).Sample((operations, poolSize) =>
        {
            var pool = new FramePool(poolSize, PixelFormat.Rgb24, 2, 2);
            using var mailbox = new FrameMailbox();
            long posted = 0, taken = 0, lastPostedId = -1, lastTakenId = -1;
            bool occupied = false;
            foreach (int operation in operations)
            {
                if (operation < 2)
                {
                    Frame? frame = pool.TryRent(PixelFormat.Rgb24, 2, 2, default);
                    Assert.True(frame is not null, $"the pool of {poolSize} ran dry: the mailbox kept a frame it replaced");
                    frame.Id = ++lastPostedId;
                    mailbox.Post(frame);
                    posted++;
                    occupied = true;
                }
                else
                {
                    Frame? frame = mailbox.TryTake();
                    Assert.Equal(occupied, frame is not null);
                    if (frame is not null)
                    {
                        Assert.Equal(lastPostedId, frame.Id);
                        Assert.True(frame.Id > lastTakenId);
                        lastTakenId = frame.Id;
                        taken++;
                        frame.Release();
                    }

                    occupied = false;
                }

                Assert.Equal(posted, mailbox.Posted);
                Assert.Equal(posted - taken - (occupied ? 1 : 0), mailbox.Dropped);
                Assert.Equal(poolSize - (occupied ? 1 : 0), pool.FreeCount);
            }
        }, iter: 300);

    [Fact]
    public void Frame_mailbox_under_a_racing_producer_and_consumer_hands_over_newer_frames_only_and_loses_none() =>
        Gen.Int[1, 3000].Sample(count =>
        {
            var pool = new FramePool(3, PixelFormat.Rgb24, 2, 2);
            using var mailbox = new FrameMailbox();
            var producer = Task.Run(() =>
            {
                for (int id = 0; id < count;)
                {
                    if (pool.TryRent(PixelFormat.Rgb24, 2, 2, default) is Frame frame)
                    {
                        frame.Id = id++;
                        mailbox.Post(frame);
                    }
                }
            });

            long taken = 0, lastId = -1;
            while (!producer.IsCompleted || mailbox.Posted < count)
            {
                if (mailbox.TryTake() is Frame frame)
                {
                    Assert.True(frame.Id > lastId, $"frame {frame.Id} came after frame {lastId}");
                    lastId = frame.Id;
                    taken++;
                    frame.Release();
                }
            }

            producer.Wait();
            if (mailbox.TryTake() is Frame last)
            {
                Assert.True(last.Id > lastId);
                taken++;
                last.Release();
            }

            Assert.Equal(count, mailbox.Posted);
            Assert.Equal(count, taken + mailbox.Dropped);
            Assert.Equal(3, pool.FreeCount);
        }, iter: 20, threads: 1);

    [Fact]
    public void Tensor_double_buffer_never_lets_a_tensor_change_while_it_is_read_and_reads_only_the_newest() =>
        Operations.Sample(operations =>
        {
            const int Elements = 8;
            using var tensors = new TensorDoubleBuffer(Elements);
            long nextId = 1, lastPublished = 0, lastRead = 0, published = 0, reads = 0;
            int writing = -1, reading = -1;

            // The newest published tensor is readable until it is read or the writer, kept off the reader's
            // buffer, has to reuse the buffer holding it.
            int newestIndex = -1;
            foreach (int operation in operations)
            {
                switch (operation)
                {
                    case 0 when writing < 0:
                        writing = tensors.BeginWriteIndex();
                        Assert.NotEqual(reading, writing);
                        if (writing == newestIndex)
                        {
                            newestIndex = -1;
                        }

                        break;
                    case 0:
                        Assert.Throws<InvalidOperationException>(() => tensors.BeginWriteIndex());
                        break;
                    case 1 when writing >= 0:
                        bool publish = nextId % 3 != 0;
                        long id = nextId++;
                        Array.Fill(tensors.Buffers[writing], id);
                        tensors.EndWrite(new TensorStamp(id, id, default), publish);
                        if (publish)
                        {
                            lastPublished = id;
                            published++;
                            newestIndex = writing;
                        }

                        writing = -1;
                        break;
                    case 1:
                        Assert.Throws<InvalidOperationException>(() => tensors.EndWrite(default));
                        break;
                    case 2 when reading < 0:
                        bool got = tensors.TryBeginRead(out int index, out TensorStamp stamp);
                        Assert.Equal(newestIndex >= 0, got);
                        if (got)
                        {
                            Assert.Equal(newestIndex, index);
                            Assert.Equal(lastPublished, stamp.FrameId);
                            Assert.True(stamp.FrameId > lastRead, $"tensor {stamp.FrameId} was read twice or after a newer one");
                            Assert.NotEqual(writing, index);
                            reading = index;
                            lastRead = stamp.FrameId;
                            reads++;
                            newestIndex = -1;
                        }

                        break;
                    case 2:
                        Assert.Throws<InvalidOperationException>(() => tensors.TryBeginRead(out _, out _));
                        break;
                    default:
                        if (reading >= 0)
                        {
                            tensors.EndRead();
                            reading = -1;
                        }
                        else
                        {
                            Assert.Throws<InvalidOperationException>(tensors.EndRead);
                        }

                        break;
                }

                if (reading >= 0)
                {
                    Assert.All(tensors.Read(reading).ToArray(), value => Assert.Equal((float)lastRead, value));
                }
            }

            // Drain: every published tensor was either read once or counted as dropped.
            if (writing >= 0)
            {
                tensors.EndWrite(default, publish: false);
            }

            if (reading >= 0)
            {
                tensors.EndRead();
            }

            if (tensors.TryBeginRead(out _, out _))
            {
                reads++;
                tensors.EndRead();
            }

            Assert.Equal(published, tensors.Published);
            Assert.Equal(published, reads + tensors.Dropped);
        }, iter: 300);

    [Fact]
    public void Tensor_double_buffer_under_a_racing_writer_and_reader_hands_over_whole_tensors_in_order() =>
        Gen.Int[1, 2000].Sample(count =>
        {
            const int Elements = 64;
            using var tensors = new TensorDoubleBuffer(Elements);
            var writer = Task.Run(() =>
            {
                for (long id = 1; id <= count; id++)
                {
                    tensors.BeginWrite().Fill(id);
                    tensors.EndWrite(new TensorStamp(id, id, default));
                }
            });

            long reads = 0, lastId = 0;
            while (!writer.IsCompleted || tensors.Published < count)
            {
                if (tensors.TryBeginRead(out int index, out TensorStamp stamp))
                {
                    Assert.True(stamp.FrameId > lastId, $"tensor {stamp.FrameId} came after tensor {lastId}");
                    Assert.All(tensors.Read(index).ToArray(), value => Assert.Equal((float)stamp.FrameId, value));
                    lastId = stamp.FrameId;
                    reads++;
                    tensors.EndRead();
                }
            }

            writer.Wait();
            if (tensors.TryBeginRead(out _, out _))
            {
                reads++;
                tensors.EndRead();
            }

            Assert.Equal(count, tensors.Published);
            Assert.Equal(count, reads + tensors.Dropped);
        }, iter: 20, threads: 1);

    [Fact]
    public void Result_slot_hands_the_newest_result_once_and_never_changes_the_one_the_reader_holds() =>
        Operations.Sample(operations =>
        {
            var slot = new ResultSlot(classCount: 3, topK: 2);
            long sequence = 0, acquires = 0, lastAcquired = 0;
            bool fresh = false;
            ClassificationResult? held = null;
            foreach (int operation in operations)
            {
                if (operation < 2)
                {
                    slot.WriteTarget.Fill(++sequence, new TensorStamp(sequence, sequence, default), [1f, 2f, 3f], logits: true, valid: true, 1.0);
                    slot.Publish();
                    fresh = true;
                }
                else
                {
                    ClassificationResult? result = slot.TryAcquire();
                    Assert.Equal(fresh, result is not null);
                    if (result is not null)
                    {
                        Assert.Equal(sequence, result.Sequence);
                        Assert.Same(result, slot.Latest);
                        held = result;
                        lastAcquired = sequence;
                        acquires++;
                    }

                    fresh = false;
                }

                if (held is not null)
                {
                    Assert.Equal(lastAcquired, held.Sequence);
                    Assert.Equal(lastAcquired, held.FrameId);
                }

                Assert.Equal(sequence - acquires - (fresh ? 1 : 0), slot.Overwritten);
            }
        }, iter: 300);
}
