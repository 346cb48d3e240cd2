namespace SkinLive.App.Live;

/// <summary>
/// Managed bytes the render thread allocates per frame after warm-up. Warm-up ends 60 frames after the first camera
/// frame (per-stream buffers are sized on it). Render thread, once per frame.
/// </summary>
public sealed class RenderAllocationMeter
{
    private const int WarmUpFrames = 60;
    private long _allocatedAtWarmUp = -1;
    private long _framesAtWarmUp;
    private long _firstUploadFrame = -1;

    /// <summary>NaN until a frame after warm-up has been counted.</summary>
    public double BytesPerFrame { get; private set; } = double.NaN;

    /// <param name="uploads">Camera frames uploaded so far.</param>
    /// <param name="frames">Frames the host has presented (turns that skipped an unchanged present do not count).</param>
    public void Observe(long uploads, long frames)
    {
        if (_firstUploadFrame < 0 && uploads > 0)
        {
            _firstUploadFrame = frames;
        }

        if (_allocatedAtWarmUp < 0 && _firstUploadFrame >= 0 && frames - _firstUploadFrame >= WarmUpFrames)
        {
            _allocatedAtWarmUp = GC.GetAllocatedBytesForCurrentThread();
            _framesAtWarmUp = frames;
        }
        else if (_allocatedAtWarmUp >= 0 && frames > _framesAtWarmUp)
        {
            BytesPerFrame = (double)(GC.GetAllocatedBytesForCurrentThread() - _allocatedAtWarmUp) / (frames - _framesAtWarmUp);
        }
    }
}
