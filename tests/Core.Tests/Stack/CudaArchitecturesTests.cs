using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Tests.Stack;

public sealed class CudaArchitecturesTests
{
    private static readonly string[] Torch210Cu128 = ["sm_70", "sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120"];

    [Theory]
    [InlineData("8.0", true)]   // A100: its own cubin
    [InlineData("8.9", true)]   // RTX 4090 / L4: runs the sm_86 cubin (same major, lower minor)
    [InlineData("7.0", true)]   // V100: 2.10 is the last libtorch whose CUDA 12.8 build has sm_70
    [InlineData("6.1", false)]  // GTX 1080 / Tesla P40: no Pascal kernels and no PTX to compile
    [InlineData("12.1", true)]  // the sm_120 cubin
    [InlineData("11.0", false)] // no sm_11x cubin and no PTX
    public void A_gpu_is_supported_by_a_cubin_of_its_major_with_no_higher_minor(string gpu, bool supported) =>
        Assert.Equal(supported, CudaArchitectures.Supports(Torch210Cu128, ComputeCapability.TryParse(gpu)!.Value));

    [Fact]
    public void Ptx_runs_on_every_gpu_of_its_capability_or_newer()
    {
        string[] withPtx = ["sm_75", "sm_80", "compute_120"];

        Assert.True(CudaArchitectures.Supports(withPtx, new ComputeCapability(13, 0)));
        Assert.False(CudaArchitectures.Supports(withPtx, new ComputeCapability(7, 0)));
    }

    [Fact]
    public void The_matrix_gives_every_cuda_row_architectures_and_the_newest_rows_drop_old_gpus()
    {
        Assert.All(StackMatrix.Rows, row => Assert.NotEmpty(row.CudaArchitectures));
        var pascal = new ComputeCapability(6, 1);

        var rowsForPascal = StackMatrix.Rows.Where(r => CudaArchitectures.Supports(r.CudaArchitectures, pascal)).Select(r => StackMatrix.Describe(r.TorchSharp)).ToList();

        Assert.Equal(["0.105.0–0.105.1", "0.103.0–0.104.0", "0.102.0–0.102.8", "0.101.0–0.101.6", "0.100.0–0.100.7", "0.99.0–0.99.6"], rowsForPascal);
    }

    [Theory]
    [InlineData("8.0", 8, 0)]
    [InlineData("12.0", 12, 0)]
    [InlineData("sm_86", 8, 6)]
    [InlineData(" 7.5 ", 7, 5)]
    public void Compute_capabilities_read_as_nvidia_smi_and_nvcc_write_them(string text, int major, int minor) =>
        Assert.Equal(new ComputeCapability(major, minor), ComputeCapability.TryParse(text));

    [Theory]
    [InlineData("[N/A]")]
    [InlineData("")]
    [InlineData("8")]
    public void Anything_else_is_no_compute_capability(string text) => Assert.Null(ComputeCapability.TryParse(text));
}
