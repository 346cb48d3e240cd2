namespace SkinLive.Gpu.Platform;

/// <summary>
/// Checks that an object is used on the thread that owns it, as Chromium's ThreadChecker does: GL objects belong to
/// the thread whose context is current, and the live view's per-frame calls must never come from a worker. It binds
/// to the thread that creates it. Unlike ThreadChecker it is on in Release builds too: the check is one integer
/// compare per call (nothing against a frame's milliseconds), and the tests build Release, so they run with it on.
/// </summary>
public sealed class RenderThreadGuard
{
    private readonly string _owner;
    private readonly int _threadId = Environment.CurrentManagedThreadId;

    /// <param name="owner">What is guarded, for the message.</param>
    public RenderThreadGuard(string owner) => _owner = owner;

    /// <summary>Throws <see cref="InvalidOperationException"/> when called from another thread than the owner's.</summary>
    public void Check()
    {
        if (Environment.CurrentManagedThreadId != _threadId)
        {
            throw new InvalidOperationException($"{_owner} was used on thread {Environment.CurrentManagedThreadId} ('{Thread.CurrentThread.Name}'), not on its render thread {_threadId}.");
        }
    }
}
