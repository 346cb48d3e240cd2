using SkinLive.Preprocessing;

namespace SkinLive.Tests.Preprocessing;

public sealed class PreprocessBackendRuleTests
{
    [Theory]
    [InlineData("llvmpipe (LLVM 15.0.6, 256 bits)")]
    [InlineData("softpipe")]
    [InlineData("Software Rasterizer")]
    [InlineData("Mesa X11 swrast")]
    [InlineData("zink Vulkan 1.3(llvmpipe (LLVM 15.0.6, 256 bits) (MESA_LLVMPIPE))")]
    [InlineData("lavapipe")]
    [InlineData("Google SwiftShader")]
    [InlineData("ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)")]
    [InlineData("ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)")]
    [InlineData("GDI Generic")]
    [InlineData("Apple Software Renderer")]
    public void Software_rasterizers_get_the_cpu_backend(string renderer)
    {
        Assert.True(PreprocessBackendRule.IsSoftwareRenderer(renderer));
        Assert.Equal(PreprocessBackend.Cpu, PreprocessBackendRule.Resolve(PreprocessBackend.Auto, renderer));
        Assert.Equal(PreprocessBackend.Gpu, PreprocessBackendRule.Resolve(PreprocessBackend.Gpu, renderer));
    }

    [Theory]
    [InlineData("NVIDIA GeForce RTX 3060/PCIe/SSE2")]
    [InlineData("NVIDIA H200/PCIe/SSE2")]
    [InlineData("Mesa Intel(R) UHD Graphics 620 (KBL GT2)")]
    [InlineData("AMD Radeon RX 6700 XT (navi22, LLVM 15.0.6, DRM 3.49, 6.1.0-13-amd64)")]
    [InlineData("Mali-G52")]
    [InlineData("V3D 4.2")]
    [InlineData("ANGLE (NVIDIA, NVIDIA GeForce GTX 1080 Direct3D11 vs_5_0 ps_5_0, D3D11)")]
    [InlineData("virgl (NVIDIA GeForce GTX 1080)")]
    public void Hardware_renderers_get_the_gpu_backend(string renderer)
    {
        Assert.False(PreprocessBackendRule.IsSoftwareRenderer(renderer));
        Assert.Equal(PreprocessBackend.Gpu, PreprocessBackendRule.Resolve(PreprocessBackend.Auto, renderer));
        Assert.Equal(PreprocessBackend.Cpu, PreprocessBackendRule.Resolve(PreprocessBackend.Cpu, renderer));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Without_a_gl_renderer_auto_means_cpu(string? renderer)
    {
        Assert.False(PreprocessBackendRule.IsSoftwareRenderer(renderer));
        Assert.Equal(PreprocessBackend.Cpu, PreprocessBackendRule.Resolve(PreprocessBackend.Auto, renderer));
        Assert.Equal(PreprocessBackend.Gpu, PreprocessBackendRule.Resolve(PreprocessBackend.Gpu, renderer));
    }

    [Fact]
    public void An_undefined_choice_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PreprocessBackendRule.Resolve((PreprocessBackend)7, "llvmpipe"));
}
