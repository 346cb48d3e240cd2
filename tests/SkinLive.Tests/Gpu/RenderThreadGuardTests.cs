using SkinLive.Gpu.Pipeline;
using SkinLive.Gpu.Platform;

namespace SkinLive.Tests.Gpu;

public sealed class RenderThreadGuardTests
{
    [Fact]
    public void The_owning_thread_passes_and_another_thread_is_refused_with_a_sentence_naming_both()
    {
        var guard = new RenderThreadGuard("the test object");
        guard.Check();
        Exception? refused = OnAnotherThread(guard.Check);
        var exception = Assert.IsType<InvalidOperationException>(refused);
        Assert.StartsWith("the test object was used on thread ", exception.Message, StringComparison.Ordinal);
        Assert.EndsWith($"not on its render thread {Environment.CurrentManagedThreadId}.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GL_owning_types_refuse_a_call_from_a_worker()
    {
        using var host = new HeadlessHost(32, 32);
        var sync = new GlSync(host.Context.Gl);
        using var readback = new AsyncReadback(host.Context.Gl, sync, new DiscardingSink(), 32, 32, ringSize: 2, ReadbackFormat.Rgba8);
        Assert.IsType<InvalidOperationException>(OnAnotherThread(() => readback.Poll(1)));
        Assert.IsType<InvalidOperationException>(OnAnotherThread(() => host.ReadPixels()));
        Assert.Equal(0, readback.Poll(1));
    }

    private static Exception? OnAnotherThread(Action action)
    {
        Exception? caught = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                caught = ex;
            }
        });
        thread.Start();
        thread.Join();
        return caught;
    }

    private sealed class DiscardingSink : IReadbackSink
    {
        public void Receive(ReadOnlySpan<byte> data, in SkinLive.Tensors.TensorStamp stamp)
        {
        }
    }
}
