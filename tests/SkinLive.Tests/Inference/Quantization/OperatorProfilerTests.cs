using SkinLive.Inference.Quantization;

namespace SkinLive.Tests.Inference.Quantization;

public class OperatorProfilerTests
{
    [Theory]
    [InlineData("/features/features.4/block/block.0/block.0.0/Conv", "/features/features.4/")]
    [InlineData("/features/features.10/block/block.1/Mul", "/features/features.10/")]
    [InlineData("/classifier/classifier.0/Gemm", "/classifier/classifier.0/")]
    [InlineData("/stem/Conv", "/stem/")]
    [InlineData("/Flatten", "/Flatten")]
    [InlineData("ReorderOutput_token_3", null)]
    public void Block_is_the_path_up_to_the_first_numbered_module(string node, string? block) =>
        Assert.Equal(block, OperatorProfiler.BlockOf(node));

    [Fact]
    public void Parse_takes_the_median_kernel_time_per_node_and_skips_fences_and_sessions()
    {
        const string json = """
            [
              {"cat": "Session", "name": "model_run", "dur": 900},
              {"cat": "Node", "name": "/a/a.1/Conv_fence_before", "dur": 0, "args": {"op_name": "Conv"}},
              {"cat": "Node", "name": "/a/a.1/Conv_kernel_time", "dur": 50, "args": {"op_name": "QLinearConv"}},
              {"cat": "Node", "name": "HardSigmoid_7_kernel_time", "dur": 4, "args": {"op_name": "HardSigmoid"}},
              {"cat": "Node", "name": "/a/a.1/Conv_kernel_time", "dur": 10, "args": {"op_name": "QLinearConv"}},
              {"cat": "Node", "name": "HardSigmoid_7_kernel_time", "dur": 6, "args": {"op_name": "HardSigmoid"}},
              {"cat": "Node", "name": "/a/a.1/Conv_kernel_time", "dur": 12, "args": {"op_name": "QLinearConv"}}
            ]
            """;
        IReadOnlyList<OperatorTime> times = OperatorProfiler.Parse(json);
        Assert.Equal([new OperatorTime("/a/a.1/Conv", "QLinearConv", 12), new OperatorTime("HardSigmoid_7", "HardSigmoid", 5)], times);

        // The unnamed node ORT made up runs after the conv and is charged to its block.
        Assert.Equal(["/a/a.1/", "/a/a.1/"], OperatorProfiler.Blocks(times));
    }
}
