using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Resolution;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Resolution;

public sealed class CudaLockTests(CudaFeedFixture fixture) : IClassFixture<CudaFeedFixture>
{
    [Fact]
    public async Task A_windows_cuda_lock_has_the_head_package_all_16_parts_and_the_stack_found_in_them()
    {
        var locked = await EnvironmentLocker.LockAsync(fixture.Spec(), [CudaFeedFixture.Plan("win-x64")], null, fixture.Options());

        var environment = Assert.Single(locked.Environments);
        var ids = environment.Packages.Select(p => p.Id).ToList();
        Assert.Contains("TorchSharp-cuda-windows", ids);
        Assert.Contains("libtorch-cuda-12.8-win-x64", ids);
        Assert.Equal(16, CudaFixtureFeed.PartIds("win-x64").Count);
        Assert.All(CudaFixtureFeed.PartIds("win-x64"), id => Assert.Contains(id, ids));
        Assert.Equal(("cuda", "12.8", "9", "2.10.0", "0.107.0"),
            (environment.Stack.Device, environment.Stack.Cuda, environment.Stack.Cudnn, environment.Stack.LibTorch, environment.Stack.TorchSharp));
        Assert.Equal("527.41", environment.Host.NvidiaDriver);
        Assert.Null(environment.Host.Glibc);
        // PyTorch 2.10's CUDA 12.8 build (the last with Volta): the GPUs the lock can run on, from the matrix row.
        Assert.Equal(["sm_70", "sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120"], environment.Stack.CudaArchitectures);
    }

    [Fact]
    public async Task The_linux_head_package_depends_on_its_24_parts()
    {
        var sources = PackageSourceSet.Load(fixture.Spec(), fixture.PackagesFolder);
        using var feed = new PackageFeed(sources, NuGet.Common.NullLogger.Instance);

        var metadata = await feed.GetMetadataAsync(new NuGet.Packaging.Core.PackageIdentity("libtorch-cuda-12.8-linux-x64", NuGet.Versioning.NuGetVersion.Parse("2.10.0")), default);

        var dependencies = PackageMetadata.DependenciesFor(metadata!.DependencyGroups, NuGet.Frameworks.NuGetFramework.Parse("net10.0"));
        Assert.Equal(24, dependencies.Count);
        Assert.Equal(CudaFixtureFeed.PartIds("linux-x64"), dependencies.Select(d => d.Id));
    }

    [Fact]
    public async Task A_spec_asking_for_cudnn_8_when_the_packages_bundle_9_is_an_error_at_the_cudnn_line()
    {
        var error = await Assert.ThrowsAsync<TorchEnvException>(() => EnvironmentLocker.LockAsync(
            fixture.Spec(cudnn: "8"), [CudaFeedFixture.Plan("win-x64", cudnn: "[8.0.0, 9.0.0)")], null, fixture.Options()));

        var diagnostic = Assert.Single(error.Diagnostics);
        Assert.Equal("TENV0209", diagnostic.Code);
        Assert.Contains("bundle cuDNN 9", diagnostic.Message);
        Assert.Contains("cudnn64_9.dll", diagnostic.Message);
        Assert.Equal(8, diagnostic.Location!.Line);
    }

    [Fact]
    public async Task Packages_that_bundle_cudnn_8_contradict_a_spec_asking_for_9()
    {
        var error = await Assert.ThrowsAsync<TorchEnvException>(() => EnvironmentLocker.LockAsync(
            fixture.Spec(feed: "../feed-cudnn8"), [CudaFeedFixture.Plan("win-x64")], null, fixture.Options(fixture.Scratch("packages"))));

        Assert.Equal("TENV0209", error.Diagnostic.Code);
        Assert.Contains("bundle cuDNN 8", error.Diagnostic.Message);
    }

    [Fact]
    public async Task A_spec_asking_for_another_cuda_than_the_packages_is_an_error()
    {
        var plan = CudaFeedFixture.Plan("win-x64", cuda: "12.1");

        var error = await Assert.ThrowsAsync<TorchEnvException>(() => EnvironmentLocker.LockAsync(fixture.Spec(cuda: "12.1"), [plan], null, fixture.Options()));

        Assert.Equal("TENV0210", error.Diagnostic.Code);
        Assert.Contains("CUDA 12.8 (libtorch-cuda-12.8-win-x64)", error.Diagnostic.Message);
        Assert.Equal(7, error.Diagnostic.Location!.Line);
    }

    [Fact]
    public async Task A_cuda_lock_passes_its_own_check_and_deep_verify()
    {
        var plans = new[] { CudaFeedFixture.Plan("win-x64") };
        var locked = await EnvironmentLocker.LockAsync(fixture.Spec(), plans, null, fixture.Options());
        var path = System.IO.Path.Combine(fixture.Scratch("lock"), LockFileWriter.DefaultFileName);
        LockFileWriter.Write(path, locked);

        var check = await RelockCheck.CheckAsync(fixture.Spec(), plans, path, fixture.Options());
        var verify = LockVerifier.Verify(locked, "cuda", "win-x64", path, fixture.PackagesFolder, new VerifyOptions { Deep = true });

        Assert.Empty(check);
        Assert.Empty(verify);
    }

    [Fact]
    public async Task A_linux_cuda_lock_scans_the_native_files_of_all_24_parts_for_host_requirements()
    {
        var locked = await EnvironmentLocker.LockAsync(fixture.Spec(), [CudaFeedFixture.Plan("linux-x64")], null, fixture.Options());

        var environment = Assert.Single(locked.Environments);
        Assert.All(CudaFixtureFeed.PartIds("linux-x64"), id => Assert.NotNull(environment.Find(id)));
        Assert.Equal(("12.8", "9"), (environment.Stack.Cuda, environment.Stack.Cudnn));
        Assert.Equal(("2.29", "3.4.26", "1.3.11", "525.60.13"),
            (environment.Host.Glibc, environment.Host.Glibcxx, environment.Host.Cxxabi, environment.Host.NvidiaDriver));
        var glibc = environment.Host.Needs.Where(n => n.Version == "GLIBC_2.29").ToList();
        Assert.Contains(glibc, n => n.Package == "libtorch-cuda-12.8-linux-x64-part3-primary" && n.File == "runtimes/linux-x64/native/libtorch_cuda.so");
        Assert.Contains(glibc, n => n.Package == "libtorch-cuda-12.8-linux-x64-part1" && n.File == "runtimes/linux-x64/native/libtorch.so");
        Assert.DoesNotContain(environment.Host.Needs, n => n.File.StartsWith("fragments/", StringComparison.Ordinal));
    }
}
