using System.Diagnostics;
using SkinLive.Inference.Metrics;
using SkinLive.Inference.Runtime;
using SkinLive.Tensors;

namespace SkinLive.Tests.Inference;

public class InferenceWorkerTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Slow_model_classifies_only_the_newest_tensor_and_accounts_for_every_one()
    {
        using var tensors = new TensorDoubleBuffer(3 * 32 * 32);
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("slow.onnx"), new ClassifierOptions { IntraOpThreads = 1, WarmUpRuns = 1 }, tensors.Buffers);
        using var worker = new InferenceWorker(classifier, tensors);
        worker.Start();

        Publish(tensors, 1);
        Assert.True(WaitFor(() => worker.Results.Latest.FrameId == 1 || worker.Results.TryAcquire() is { FrameId: 1 }));

        // Ten tensors in a burst: the worker is busy with the first for a whole slow run while the others land.
        const int last = 11;
        for (int id = 2; id <= last; id++)
        {
            Publish(tensors, id);
        }

        Assert.True(WaitFor(() => (worker.Results.TryAcquire() ?? worker.Results.Latest).FrameId == last));
        worker.Stop();

        Assert.Equal(WorkerState.Stopped, worker.State);
        Assert.Equal(last, tensors.Published);
        Assert.Equal(tensors.Published, worker.Runs + tensors.Dropped);
        Assert.True(worker.Runs < last, $"worker ran {worker.Runs} times for {last} tensors; older tensors should have been dropped");
        Assert.True(worker.Results.Latest.IsValid);
    }

    [Fact]
    public void Results_carry_stamp_probabilities_and_top_k()
    {
        using var tensors = new TensorDoubleBuffer(3 * 32 * 32);
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("tiny.onnx"), new ClassifierOptions { IntraOpThreads = 1 }, tensors.Buffers);
        using var worker = new InferenceWorker(classifier, tensors, topK: 3);
        worker.Start();
        var roi = new RectangleStamp(0.1f, 0.2f, 0.5f, 0.4f);
        InferenceFixtures.FillPattern(tensors.BeginWrite());
        tensors.EndWrite(new TensorStamp(42, 123456, roi));
        ClassificationResult? result = null;
        Assert.True(WaitFor(() => (result = worker.Results.TryAcquire()) is not null));
        worker.Stop();

        Assert.Equal(42, result!.FrameId);
        Assert.Equal(123456, result.CaptureTimestamp);
        Assert.Equal(roi, result.Roi);
        Assert.Equal(1, result.Sequence);
        Assert.True(result.IsValid);
        Assert.True(result.InferenceMilliseconds > 0);

        var expectedLogits = new float[7];
        var expected = new float[7];
        using (OnnxClassifier direct = OnnxClassifier.Load(InferenceFixtures.File("tiny.onnx"), new ClassifierOptions { IntraOpThreads = 1 }))
        {
            InferenceFixtures.FillPattern(direct.Input(0));
            direct.Run(0);
            direct.Output.CopyTo(expectedLogits);
        }

        ClassScores.Softmax(expectedLogits, expected);
        Assert.Equal(1f, result.Probabilities.ToArray().Sum(), 1e-5f);
        for (int c = 0; c < 7; c++)
        {
            Assert.Equal(expected[c], result.Probabilities[c], 1e-6f);
        }

        int[] order = [.. Enumerable.Range(0, 7).OrderByDescending(c => expected[c])];
        Assert.Equal(order[..3], result.TopK.ToArray());
        Assert.Equal(order[0], result.TopClass);
    }

    [Fact]
    public void Nan_model_publishes_invalid_results_and_keeps_running()
    {
        using var tensors = new TensorDoubleBuffer(3 * 32 * 32);
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("nan_output.onnx"), new ClassifierOptions { IntraOpThreads = 1 }, tensors.Buffers);
        using var worker = new InferenceWorker(classifier, tensors);
        worker.Start();
        Publish(tensors, 1);
        Assert.True(WaitFor(() => worker.Results.TryAcquire() is not null));
        Publish(tensors, 2);
        ClassificationResult? second = null;
        Assert.True(WaitFor(() => (second = worker.Results.TryAcquire()) is not null));
        worker.Stop();

        Assert.False(second!.IsValid);
        Assert.Equal(2, second.FrameId);
        Assert.Equal(2, worker.InvalidResults);
        Assert.Null(worker.Error);
    }

    [Fact]
    public void Model_failing_at_run_time_faults_the_worker_with_a_sentence_instead_of_crashing()
    {
        using var tensors = new TensorDoubleBuffer(3 * 32 * 32);
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("fails_at_runtime.onnx"), new ClassifierOptions { IntraOpThreads = 1 }, tensors.Buffers);
        using var worker = new InferenceWorker(classifier, tensors);
        worker.Start();
        Publish(tensors, 1);
        Assert.True(WaitFor(() => worker.Results.TryAcquire() is not null));

        tensors.BeginWrite().Fill(1f);
        tensors.EndWrite(new TensorStamp(2, Stopwatch.GetTimestamp(), default));
        Assert.True(WaitFor(() => worker.State == WorkerState.Faulted));
        worker.Stop();

        Assert.Equal(WorkerState.Faulted, worker.State);
        Assert.StartsWith("Model skinlive-test-fails-at-runtime failed at run time:", worker.Error);
        Assert.DoesNotContain('\n', worker.Error!);
        Assert.Equal(1, worker.Runs);
        Assert.Equal(1, worker.Results.Latest.FrameId);
    }

    [Fact]
    public void Worker_that_waits_for_every_tensor_allocates_nothing_per_frame()
    {
        using var tensors = new TensorDoubleBuffer(3 * 32 * 32);
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("tiny.onnx"), new ClassifierOptions { IntraOpThreads = 1 }, tensors.Buffers);
        using var worker = new InferenceWorker(classifier, tensors);
        worker.Start();
        long allocatedAfterWarmUp = 0;
        for (int frame = 1; frame <= 300; frame++)
        {
            // Wait for each result so the worker blocks on the buffer's signal before every tensor.
            Publish(tensors, frame);
            Assert.True(WaitFor(() => worker.Results.TryAcquire() is not null));
            if (frame == 100)
            {
                allocatedAfterWarmUp = worker.AllocatedBytesSinceFirstResult;
            }
        }

        worker.Stop();
        Assert.Equal(300, worker.Runs);
        Assert.Equal(allocatedAfterWarmUp, worker.AllocatedBytesSinceFirstResult);
    }

    [Fact]
    public void Stop_returns_while_waiting_for_tensors()
    {
        using var tensors = new TensorDoubleBuffer(3 * 32 * 32);
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("tiny.onnx"), new ClassifierOptions { IntraOpThreads = 1 }, tensors.Buffers);
        var worker = new InferenceWorker(classifier, tensors);
        worker.Start();
        Assert.Equal(WorkerState.Starting, worker.State);
        worker.Dispose();
        Assert.Equal(WorkerState.Stopped, worker.State);
        Assert.Equal(0, worker.Runs);
    }

    [Fact]
    public void Classifier_over_foreign_buffers_is_refused()
    {
        using var tensors = new TensorDoubleBuffer(3 * 32 * 32);
        using OnnxClassifier classifier = OnnxClassifier.Load(InferenceFixtures.File("tiny.onnx"), new ClassifierOptions { IntraOpThreads = 1 });
        Assert.Throws<ArgumentException>(() => new InferenceWorker(classifier, tensors));
    }

    [Fact]
    public void Result_slot_hands_over_the_newest_and_counts_overwritten_ones()
    {
        var slot = new ResultSlot(3, 1);
        Assert.Null(slot.TryAcquire());
        Fill(slot, 1);
        Fill(slot, 2);
        ClassificationResult? got = slot.TryAcquire();
        Assert.Equal(2, got!.FrameId);
        Assert.Equal(1, slot.Overwritten);
        Assert.Null(slot.TryAcquire());

        // The held result stays unchanged while the writer publishes twice more.
        Fill(slot, 3);
        Fill(slot, 4);
        Assert.Equal(2, got.FrameId);
        Assert.Equal(4, slot.TryAcquire()!.FrameId);
    }

    private static void Fill(ResultSlot slot, long frame)
    {
        slot.WriteTarget.Fill(frame, new TensorStamp(frame, frame, default), [0f, 1f, 2f], logits: true, valid: true, 1.0);
        slot.Publish();
    }

    private static void Publish(TensorDoubleBuffer tensors, long frame)
    {
        InferenceFixtures.FillPattern(tensors.BeginWrite());
        tensors.EndWrite(new TensorStamp(frame, Stopwatch.GetTimestamp(), default));
    }

    private static bool WaitFor(Func<bool> condition) => SpinWait.SpinUntil(condition, s_patience);
}
