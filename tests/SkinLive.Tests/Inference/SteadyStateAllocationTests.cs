using System.Diagnostics;
using SkinLive.Inference.Runtime;
using SkinLive.Tensors;

namespace SkinLive.Tests.Inference;

public class SteadyStateAllocationTests
{
    private const int Runs = 1000;

    [Fact]
    public void Thousand_runs_over_the_double_buffer_allocate_nothing()
    {
        using var tensors = new TensorDoubleBuffer(3 * 32 * 32);
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("tiny.onnx"), new ClassifierOptions { IntraOpThreads = 1 }, tensors.Buffers);
        InferenceFixtures.FillPattern(tensors.Buffers[0]);
        InferenceFixtures.FillPattern(tensors.Buffers[1]);
        for (int i = 0; i < 20; i++)
        {
            classifier.Run(i & 1);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Runs; i++)
        {
            classifier.Run(i & 1);
        }

        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
    }

    [Fact]
    public void Worker_path_hand_off_run_softmax_and_publish_allocates_nothing()
    {
        using var tensors = new TensorDoubleBuffer(3 * 32 * 32);
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("tiny.onnx"), new ClassifierOptions { IntraOpThreads = 1 }, tensors.Buffers);
        using var worker = new InferenceWorker(classifier, tensors);
        long frame = 0;
        void Cycle()
        {
            InferenceFixtures.FillPattern(tensors.BeginWrite());
            tensors.EndWrite(new TensorStamp(++frame, Stopwatch.GetTimestamp(), default));
            Assert.True(worker.TryProcessNext(TimeSpan.Zero, CancellationToken.None));
            Assert.NotNull(worker.Results.TryAcquire());
        }

        for (int i = 0; i < 20; i++)
        {
            Cycle();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Runs; i++)
        {
            Cycle();
        }

        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
        Assert.Equal(frame, worker.Results.Latest.FrameId);
        Assert.Equal(Runs + 20, worker.Runs);
    }
}
