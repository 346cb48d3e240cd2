using SkinLive.App.Live;

namespace SkinLive.Tests.Live;

public sealed class WorkerThreadTests
{
    [Fact]
    public void A_job_runs_on_the_named_worker_and_another_is_refused_until_it_returns()
    {
        using var release = new ManualResetEventSlim();
        string? ranOn = null;
        int runs = 0;
        var worker = new WorkerThread("test worker");
        Action job = () =>
        {
            ranOn = Thread.CurrentThread.Name;
            Interlocked.Increment(ref runs);
            release.Wait();
        };

        Assert.True(worker.TryRun(job));
        Assert.True(worker.Busy);
        Assert.False(worker.TryRun(job));
        release.Set();
        Assert.True(SpinWait.SpinUntil(() => !worker.Busy, TimeSpan.FromSeconds(30)));
        Assert.True(worker.TryRun(job));
        worker.Dispose();

        Assert.Equal("test worker", ranOn);
        Assert.Equal(2, runs);
        Assert.False(worker.TryRun(job));
    }

    [Fact]
    public void Disposing_a_worker_that_never_ran_a_job_returns_at_once()
    {
        var worker = new WorkerThread("idle worker");
        worker.Dispose();
        Assert.False(worker.Busy);
    }
}
