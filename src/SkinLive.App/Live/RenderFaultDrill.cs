using System.Diagnostics;
using SkinLive.App.Live.Outputs;
using SkinLive.Faults;

namespace SkinLive.App.Live;

/// <summary>
/// <c>--inject-fault render-throw@N</c> and <c>recorder-exit@N</c>: a render stage of its own, in the frame only when
/// the plan has one of these faults, that throws on the render thread or ends the recording's encoder at displayed
/// frame N.
/// </summary>
public sealed class RenderFaultDrill(FaultPlan plan, RecordingOutput? recording)
{
    public static bool AppliesTo(FaultPlan? plan) => plan is not null && plan.Has(FaultKind.RenderThrow, FaultKind.RecorderExit);

    public void OnFrame(long displayed)
    {
        if (plan.ActiveAt(displayed, FaultKind.RenderThrow, FaultKind.RecorderExit) is not { } fault)
        {
            return;
        }

        if (fault.Kind == FaultKind.RenderThrow)
        {
            throw new InvalidOperationException($"injected fault at displayed frame {displayed}");
        }

        if (recording?.EncoderProcessId is { } pid)
        {
            using var encoder = Process.GetProcessById(pid);
            encoder.Kill();
        }
    }
}
