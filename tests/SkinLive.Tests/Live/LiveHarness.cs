using System.Diagnostics;
using SkinLive.App.Live;
using SkinLive.Capture;
using SkinLive.Gpu.Platform;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.Tests.Live;

/// <summary>What the screen said on one displayed frame, and how far the video had got.</summary>
internal sealed record Seen(double Seconds, string? Status, string? FullScreen, long Uploaded, SourceStatus Source, int FrameWidth, long ResultFrame);

/// <summary>
/// Runs a headless <see cref="LiveSession"/> (160x120) and records what it showed on every frame, until
/// <c>done</c> says so (or 60 s pass: a guard against hangs, not a timing assertion).
/// </summary>
internal static class LiveHarness
{
    public static (List<Seen> Frames, LiveSession Session) Run(IFrameSource source, LiveOptions options, Func<List<Seen>, bool> done, LiveInference? inference = null, TensorDoubleBuffer? tensors = null)
    {
        PreprocessSpec spec = inference?.Model.Preprocess ?? PreprocessSpec.ImageNet(32, 32);
        using TensorDoubleBuffer? owned = tensors is null ? new TensorDoubleBuffer(spec.ElementCount) : null;
        using var host = new HeadlessHost(160, 120);
        var session = new LiveSession(host, source, spec, tensors ?? owned!, options with { Seconds = 60 }, inference);
        var seen = new List<Seen>();
        var clock = Stopwatch.StartNew();
        session.FrameShown += pipeline =>
        {
            seen.Add(new Seen(clock.Elapsed.TotalSeconds, session.State.Status, session.State.FullScreenMessage, session.Loop.FramesUploaded, source.Status,
                pipeline.HasFrame ? pipeline.FrameWidth : 0, session.State.ResultFrame));
            if (done(seen))
            {
                host.Close();
            }
        };
        session.Run();
        return (seen, session);
    }

    /// <summary>Index of the first frame at or after <paramref name="from"/> that matches, or -1.</summary>
    public static int First(this List<Seen> frames, Func<Seen, bool> match, int from = 0)
    {
        for (int i = Math.Max(0, from); i < frames.Count; i++)
        {
            if (match(frames[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Recovery: the first frame after the fault's last showing whose video has moved on by <paramref name="newFrames"/>
    /// uploads with the fault's status gone; -1 when it never came.
    /// </summary>
    public static int Recovered(this List<Seen> frames, Func<Seen, bool> faultShown, int newFrames = 5)
    {
        int last = -1;
        for (int i = 0; i < frames.Count; i++)
        {
            if (faultShown(frames[i]))
            {
                last = i;
            }
        }

        if (last < 0)
        {
            return -1;
        }

        return frames.First(s => !faultShown(s) && s.Uploaded >= frames[last].Uploaded + newFrames, last + 1);
    }
}
