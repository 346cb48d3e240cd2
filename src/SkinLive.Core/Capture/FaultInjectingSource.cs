using SkinLive.Faults;
using SkinLive.Frames;

namespace SkinLive.Capture;

/// <summary>
/// Wraps a real source and breaks it on purpose, as a <see cref="FaultPlan"/> says: throws, stalls, disconnects,
/// garbage, truncated or half-size frames, or a killed ffmpeg child. Frames are counted as they come out of the
/// inner source (from 0, across restarts, so a fault fires where it was asked to and not again). Everything else
/// passes through: frames are copied into this source's own pool, the inner status is mirrored (a failed inner
/// source fails this one, and a restart restarts it). Owns the inner source.
/// </summary>
public sealed class FaultInjectingSource : ThreadedFrameSource
{
    private static readonly FaultKind[] s_sourceKinds =
        [FaultKind.SourceThrow, FaultKind.Stall, FaultKind.Disconnect, FaultKind.Garbage, FaultKind.Truncated, FaultKind.Resize, FaultKind.FfmpegExit];

    private readonly IFrameSource _inner;
    private readonly FaultPlan _plan;
    private readonly Random _noise = new(1234);
    private long _index;

    public FaultInjectingSource(IFrameSource inner, FaultPlan plan, int poolSize)
        : base(new FramePool(poolSize, PixelFormat.Rgba8, 64, 64))
    {
        if (plan.Has(FaultKind.FfmpegExit) && inner is not FfmpegSource)
        {
            throw new SourceException("ffmpeg-exit needs a file: or ffmpeg: source (one with an ffmpeg child to end).");
        }

        _inner = inner;
        _plan = plan;
    }

    public static bool AppliesTo(FaultPlan plan) => plan.Has(s_sourceKinds);

    public override string Description => _inner.Description;

    public override double NominalFps => _inner.NominalFps;

    /// <summary>Source frames seen so far (the item index faults count in).</summary>
    public long FramesSeen => Interlocked.Read(ref _index);

    protected override void Run(CancellationToken stop)
    {
        _inner.Start();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Frame? frame = _inner.Mailbox.TryTake();
                if (frame is null)
                {
                    if (_inner.Status is SourceStatus.Faulted or SourceStatus.Ended)
                    {
                        SetStatus(_inner.Status, _inner.StatusMessage);
                        return;
                    }

                    if (_inner.Status == SourceStatus.Disconnected)
                    {
                        SetStatus(SourceStatus.Disconnected, _inner.StatusMessage);
                    }

                    stop.WaitHandle.WaitOne(2);
                    continue;
                }

                try
                {
                    Deliver(frame, Interlocked.Increment(ref _index) - 1);
                }
                finally
                {
                    frame.Release();
                }
            }
        }
        finally
        {
            _inner.Stop();
        }
    }

    protected override void DisposeResources() => _inner.Dispose();

    private void Deliver(Frame frame, long index)
    {
        Fault? fault = _plan.ActiveAt(index, s_sourceKinds);
        switch (fault?.Kind)
        {
            case FaultKind.SourceThrow:
                throw new IOException($"injected fault: the camera failed at frame {index}");
            case FaultKind.Stall:
                return;
            case FaultKind.Disconnect:
                SetStatus(SourceStatus.Disconnected, "injected fault: camera unplugged");
                return;
            case FaultKind.FfmpegExit:
                if (_inner is FfmpegSource ffmpeg && ffmpeg.ChildProcessId is > 0 and int pid)
                {
                    // As if the child crashed: the inner source sees its output end and says so.
                    using var child = System.Diagnostics.Process.GetProcessById(pid);
                    child.Kill();
                }

                break;
        }

        SetStatus(SourceStatus.Running, null);
        bool half = fault?.Kind == FaultKind.Resize;
        int width = half ? Math.Max(2, frame.Width / 2 & ~1) : frame.Width;
        int height = half ? Math.Max(2, frame.Height / 2 & ~1) : frame.Height;
        if (RentFrame(frame.Format, width, height, frame.Color) is not { } copy)
        {
            return;
        }

        if (half)
        {
            Crop(frame, copy);
        }
        else
        {
            frame.ReadOnlyData.CopyTo(copy.Data);
        }

        if (fault?.Kind == FaultKind.Garbage)
        {
            _noise.NextBytes(copy.Data);
        }
        else if (fault?.Kind == FaultKind.Truncated)
        {
            copy.Data[(copy.Length / 2)..].Clear();
        }

        copy.Truth = frame.Truth;
        Publish(copy, frame.CaptureTimestamp);
    }

    /// <summary>Copies the top-left of <paramref name="source"/> into the smaller <paramref name="target"/>, plane by plane.</summary>
    private static void Crop(Frame source, Frame target)
    {
        ReadOnlySpan<byte> from = source.ReadOnlyData;
        Span<byte> to = target.Data;
        if (source.Format is PixelFormat.I420 or PixelFormat.Nv12)
        {
            int offset = CropPlane(from, to, source.Width, target.Width, target.Height);
            int chromaRows = PixelFormats.ChromaHeight(target.Height);
            int sourceChroma = PixelFormats.ChromaWidth(source.Width), targetChroma = PixelFormats.ChromaWidth(target.Width);
            int sourceLuma = source.Width * source.Height;
            if (source.Format == PixelFormat.Nv12)
            {
                CropPlane(from[sourceLuma..], to[offset..], 2 * sourceChroma, 2 * targetChroma, chromaRows);
            }
            else
            {
                int sourcePlane = sourceChroma * PixelFormats.ChromaHeight(source.Height);
                int written = CropPlane(from[sourceLuma..], to[offset..], sourceChroma, targetChroma, chromaRows);
                CropPlane(from[(sourceLuma + sourcePlane)..], to[(offset + written)..], sourceChroma, targetChroma, chromaRows);
            }

            return;
        }

        // Packed formats: a row of a frame one pixel high is one row's bytes.
        CropPlane(from, to, PixelFormats.FrameBytes(source.Format, source.Width, 1), PixelFormats.FrameBytes(target.Format, target.Width, 1), target.Height);
    }

    private static int CropPlane(ReadOnlySpan<byte> from, Span<byte> to, int sourceStride, int targetStride, int rows)
    {
        for (int y = 0; y < rows; y++)
        {
            from.Slice(y * sourceStride, targetStride).CopyTo(to.Slice(y * targetStride, targetStride));
        }

        return rows * targetStride;
    }
}
