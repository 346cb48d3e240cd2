using SkinLive.Frames;

namespace SkinLive.Localization;

/// <summary>
/// Turns per-frame detections into a steady box: shows a lesion only after <see cref="LocalizerOptions.AppearFrames"/>
/// consistent detections, keeps it through <see cref="LocalizerOptions.DisappearFrames"/> - 1 misses, smooths matching
/// detections with a motion-adaptive exponential average, and jumps to a new place only once it is confirmed.
/// </summary>
internal sealed class BoxTracker
{
    private readonly LocalizerOptions _options;
    private RectangleF _pending;
    private int _pendingHits;
    private int _misses;

    public BoxTracker(LocalizerOptions options)
    {
        _options = options;
    }

    public bool Active { get; private set; }

    public RectangleF Box { get; private set; }

    public long BoxFrameId { get; private set; } = -1;

    /// <summary>True when the last update moved the box (so the lesion's measured properties belong to it).</summary>
    public bool Updated { get; private set; }

    public void Reset()
    {
        Active = false;
        Box = default;
        BoxFrameId = -1;
        _pendingHits = 0;
        _misses = 0;
        Updated = false;
    }

    public void Miss()
    {
        Updated = false;
        _pendingHits = 0;
        if (Active && ++_misses >= _options.DisappearFrames)
        {
            Active = false;
            Box = default;
        }
    }

    public void Hit(RectangleF detection, long frameId)
    {
        Updated = false;
        if (Active && detection.IntersectionOverUnion(Box) >= _options.MatchIoU)
        {
            Box = Smooth(Box, detection);
            _misses = 0;
            _pendingHits = 0;
            Take(frameId);
            return;
        }

        _pendingHits = _pendingHits > 0 && detection.IntersectionOverUnion(_pending) >= _options.MatchIoU ? _pendingHits + 1 : 1;
        _pending = detection;
        if (_pendingHits >= _options.AppearFrames)
        {
            Active = true;
            Box = detection;
            _misses = 0;
            _pendingHits = 0;
            Take(frameId);
        }
        else if (Active && ++_misses >= _options.DisappearFrames)
        {
            Active = false;
            Box = default;
        }
    }

    private void Take(long frameId)
    {
        BoxFrameId = frameId;
        Updated = true;
    }

    /// <summary>Per coordinate (centre, size) the weight of the new value grows with how far it moved, relative to the box size.</summary>
    private RectangleF Smooth(RectangleF current, RectangleF detection)
    {
        float cx = current.X + (current.Width / 2), cy = current.Y + (current.Height / 2);
        float nx = detection.X + (detection.Width / 2), ny = detection.Y + (detection.Height / 2);
        float w = Follow(current.Width, detection.Width, current.Width);
        float h = Follow(current.Height, detection.Height, current.Height);
        cx = Follow(cx, nx, current.Width);
        cy = Follow(cy, ny, current.Height);
        return new RectangleF(cx - (w / 2), cy - (h / 2), w, h);
    }

    private float Follow(float current, float target, float scale)
    {
        float move = MathF.Abs(target - current) / Math.Max(scale, 1e-6f);
        float weight = Math.Min(1f, _options.SmoothingMin + ((1 - _options.SmoothingMin) * move / _options.FastMotion));
        return current + (weight * (target - current));
    }
}
