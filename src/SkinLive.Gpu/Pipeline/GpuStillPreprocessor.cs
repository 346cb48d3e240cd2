using SkinLive.Frames;
using SkinLive.Gpu.Platform;
using SkinLive.Preprocessing;
using SkinLive.Tensors;

namespace SkinLive.Gpu.Pipeline;

/// <summary>
/// The GPU preprocessing path for still images (classify --gpu, parity checks): its own headless context and
/// pipeline, one synchronous tensor per call. Create, use and dispose on one thread.
/// </summary>
public sealed class GpuStillPreprocessor : IDisposable
{
    private readonly EglHeadlessContext _context;
    private readonly TensorDoubleBuffer _tensors;
    private readonly GpuFramePipeline _pipeline;

    public GpuStillPreprocessor(PreprocessSpec spec)
    {
        _context = EglHeadlessContext.Create();
        _tensors = new TensorDoubleBuffer(spec.ElementCount);
        try
        {
            _pipeline = new GpuFramePipeline(_context, spec, _tensors) { LocalizationEnabled = false };
        }
        catch
        {
            _tensors.Dispose();
            _context.Dispose();
            throw;
        }
    }

    public GlCapabilities Capabilities => _context.Capabilities;

    /// <summary>Writes the tensor of <paramref name="roi"/> (normalized) of <paramref name="frame"/> into <paramref name="tensor"/>.</summary>
    public TensorStamp Process(Frame frame, RectangleF roi, Span<float> tensor) => _pipeline.ProcessNow(frame, roi, _tensors, tensor);

    public void Dispose()
    {
        _pipeline.Dispose();
        _tensors.Dispose();
        _context.Dispose();
    }
}
