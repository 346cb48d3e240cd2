using Silk.NET.OpenGL;

namespace SkinLive.Gpu.Platform;

/// <summary>
/// The only door to GL calls that can block the render thread (fence waits, glFinish). Pipeline code polls
/// fences through <see cref="IsSignaled"/>; anything that waits is counted so tests can prove the loop never does.
/// </summary>
public sealed class GlSync(GL gl)
{
    private readonly GlObjectCounts _objects = GlObjectCounts.Of(gl);
    private long _blockingWaits;
    private long _finishes;

    /// <summary>Fence waits with a non-zero timeout issued so far.</summary>
    public long BlockingWaits => Interlocked.Read(ref _blockingWaits);

    /// <summary>glFinish calls issued so far.</summary>
    public long Finishes => Interlocked.Read(ref _finishes);

    public nint Fence()
    {
        _objects.Created(GlObjectKind.Sync);
        return gl.FenceSync(SyncCondition.SyncGpuCommandsComplete, SyncBehaviorFlags.None);
    }

    /// <summary>Polls a fence without waiting (timeout 0); the first poll also flushes so the fence can ever signal.</summary>
    public bool IsSignaled(nint fence, bool flush)
    {
        GLEnum status = ClientWaitSync(fence, flush ? SyncObjectMask.Bit : 0, 0);
        return status is GLEnum.AlreadySignaled or GLEnum.ConditionSatisfied;
    }

    public GLEnum ClientWaitSync(nint fence, SyncObjectMask flags, ulong timeoutNanoseconds)
    {
        if (timeoutNanoseconds != 0)
        {
            Interlocked.Increment(ref _blockingWaits);
        }

        return gl.ClientWaitSync(fence, flags, timeoutNanoseconds);
    }

    /// <summary>Blocks until the GPU is idle. Only for shutdown, snapshots and tests, never the frame loop.</summary>
    public void Finish()
    {
        Interlocked.Increment(ref _finishes);
        gl.Finish();
    }

    public void Delete(nint fence)
    {
        _objects.Deleted(GlObjectKind.Sync);
        gl.DeleteSync(fence);
    }
}
