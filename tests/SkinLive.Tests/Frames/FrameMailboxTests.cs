using SkinLive.Frames;

namespace SkinLive.Tests.Frames;

public sealed class FrameMailboxTests
{
    [Fact]
    public void The_latest_frame_wins_and_replaced_frames_are_counted_and_returned_to_the_pool()
    {
        var pool = new FramePool(3, PixelFormat.I420, 4, 4);
        using var mailbox = new FrameMailbox();
        for (int id = 0; id < 3; id++)
        {
            Frame frame = pool.TryRent(PixelFormat.I420, 4, 4, ColorSpec.Bt601Limited)!;
            frame.Id = id;
            mailbox.Post(frame);
        }

        Assert.Equal((3L, 2L), (mailbox.Posted, mailbox.Dropped));
        Assert.Equal(2, pool.FreeCount);
        Frame newest = mailbox.TryTake()!;
        Assert.Equal(2, newest.Id);
        Assert.Null(mailbox.TryTake());
        newest.Release();
        Assert.Equal(3, pool.FreeCount);
    }

    [Fact]
    public void Post_and_take_allocate_nothing_after_warm_up()
    {
        var pool = new FramePool(2, PixelFormat.Yuyv, 64, 48);
        using var mailbox = new FrameMailbox();
        void Cycle(int posts)
        {
            for (int i = 0; i < posts; i++)
            {
                mailbox.Post(pool.TryRent(PixelFormat.Yuyv, 64, 48, ColorSpec.Bt601Limited)!);
                if (i % 3 == 0)
                {
                    mailbox.TryTake()!.Release();
                }
            }
        }

        Cycle(100);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Cycle(10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(mailbox.Dropped > 6000, $"Only {mailbox.Dropped} drops were counted.");
    }
}
