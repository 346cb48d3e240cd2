using SkinLive.App.Live;

namespace SkinLive.Tests.Live;

public sealed class BackgroundSwitchTests
{
    [Fact]
    public void The_next_one_is_prepared_off_the_calling_thread_and_taken_once()
    {
        int caller = Environment.CurrentManagedThreadId;
        int preparedOn = caller;
        using var ready = new ManualResetEventSlim();
        using var next = new BackgroundSwitch<string>("test switch", () =>
        {
            preparedOn = Environment.CurrentManagedThreadId;
            ready.Wait();
            return new Switched<string>("b", "b-name", null);
        }, _ => { });

        next.Request();
        Assert.True(next.Switching);
        Assert.False(next.TryTake(out _));
        ready.Set();
        Switched<string> taken = default;
        Assert.True(SpinWait.SpinUntil(() => next.TryTake(out taken), TimeSpan.FromSeconds(30)));

        Assert.Equal(new Switched<string>("b", "b-name", null), taken);
        Assert.NotEqual(caller, preparedOn);
        Assert.False(next.Switching);
        Assert.False(next.TryTake(out _));
    }

    [Fact]
    public void A_request_during_a_switch_is_ignored()
    {
        int prepared = 0;
        using var ready = new ManualResetEventSlim();
        using var next = new BackgroundSwitch<string>("test switch", () =>
        {
            Interlocked.Increment(ref prepared);
            ready.Wait();
            return new Switched<string>(null, "a", "nothing else");
        }, _ => { });

        next.Request();
        next.Request();
        ready.Set();
        Switched<string> taken = default;
        Assert.True(SpinWait.SpinUntil(() => next.TryTake(out taken), TimeSpan.FromSeconds(30)));
        Assert.Equal("nothing else", taken.Error);
        Assert.Equal(1, prepared);
    }

    [Fact]
    public void A_retired_one_is_closed_on_the_worker_and_a_request_made_meanwhile_still_runs()
    {
        int caller = Environment.CurrentManagedThreadId;
        using var closing = new ManualResetEventSlim();
        var closedOn = new List<(string, int)>();
        int prepared = 0;
        using var next = new BackgroundSwitch<string>("test switch", () => new Switched<string>($"v{Interlocked.Increment(ref prepared)}", "n", null), old =>
        {
            closing.Wait();
            lock (closedOn)
            {
                closedOn.Add((old, Environment.CurrentManagedThreadId));
            }
        });

        next.Request();
        Assert.True(SpinWait.SpinUntil(() => next.TryTake(out _), TimeSpan.FromSeconds(30)));
        next.Retire("old");
        next.Request();
        closing.Set();
        Switched<string> second = default;
        Assert.True(SpinWait.SpinUntil(() => next.TryTake(out second), TimeSpan.FromSeconds(30)));

        Assert.Equal("v2", second.Value);
        (string closed, int thread) = Assert.Single(closedOn);
        Assert.Equal("old", closed);
        Assert.NotEqual(caller, thread);
    }

    [Fact]
    public void Disposing_finishes_the_switch_under_way_and_closes_what_was_never_taken()
    {
        var closed = new List<string>();
        var next = new BackgroundSwitch<string>("test switch", () => new Switched<string>("untaken", "n", null), closed.Add);
        next.Request();
        next.Dispose();
        Assert.Equal(["untaken"], closed);
    }
}
