using TorchEnv.Core.Resolution;

namespace TorchEnv.Core.Tests.Resolution;

/// <summary>The CUDA runtime's major read from the bundled file names, for every CUDA row of the stack matrix.</summary>
public sealed class NativeStackInspectorTests
{
    [Theory]
    [InlineData("libtorch-cuda-12.8-linux-x64-part1", "runtimes/linux-x64/native/libcudart-c3a75b33.so.12", 12)]
    [InlineData("libtorch-cuda-11.7-linux-x64-part1", "runtimes/linux-x64/native/libcudart-e409450e.so.11.0", 11)]
    [InlineData("libtorch-cuda-12.1-win-x64-part1", "runtimes/win-x64/native/cudart64_12.dll", 12)]
    [InlineData("libtorch-cuda-11.7-win-x64-part1", "runtimes/win-x64/native/cudart64_110.dll", 11)]
    public void The_cudart_major_is_read_from_cuda_11_and_12_names(string package, string path, int major)
    {
        var found = NativeStackInspector.Inspect([new PackageFiles(package, "2.10.0", [path])]);

        Assert.Equal(major, found.CudartMajor);
        Assert.Equal($"{package}/{path}", found.CudartFile);
    }

    [Fact]
    public void A_library_that_is_not_the_cuda_runtime_is_not_taken_for_it()
    {
        var found = NativeStackInspector.Inspect([new PackageFiles("libtorch-cuda-11.7-linux-x64-part1", "1.13.0.1", ["runtimes/linux-x64/native/libcudart_static.a", "runtimes/linux-x64/native/libcudnn.so.8"])]);

        Assert.Null(found.CudartMajor);
        Assert.Equal(8, found.CudnnMajor);
    }
}
