using System.Text.RegularExpressions;
using TorchEnv.Core.IO;
using TorchEnv.Core.Native;
using TorchEnv.TestSupport;
using TorchEnv.TestSupport.EndToEnd;

namespace TorchEnv.Sdk.Tests.EndToEnd;

/// <summary>
/// A CUDA-variant project on the packed SDK against the CUDA fixture, whose "-primary" packages carry a restitch target
/// that behaves like TorchSharp's: the build joins the split files itself before that target and before its ELF scan,
/// and a file that cannot be made whole is a coded error at the package's line in the lock, never TENV0301 on half a file.
/// The successful join is shown by <see cref="CudaVariantEndToEndTests"/>, which builds and runs such a project.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class CudaRestitchEndToEndTests(SdkEndToEndFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    [Fact]
    public void A_corrupted_fragment_fails_the_build_with_the_fragment_named()
    {
        var workspace = new CudaWorkspace(fixture, "cuda-corrupt");
        workspace.AddProject();
        var restore = workspace.Dotnet("restore");
        Assert.True(restore.Succeeded, restore.ToString());
        var fragment = workspace.LibTorchCudaFragment(2);
        var bytes = File.ReadAllBytes(fragment);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(fragment, bytes);

        var build = workspace.Dotnet("build", "-nologo", "--no-restore");

        Assert.False(build.Succeeded, build.ToString());
        var error = Assert.Single(LockError().Matches(build.StandardOutput).DistinctBy(m => m.Value));
        Assert.Equal("TENV0330", error.Groups["code"].Value);
        Assert.Equal(LineOf(workspace, "libtorch-cuda-12.8-linux-x64-part3-primary"), int.Parse(error.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("libtorch-cuda-12.8-linux-x64-part3-fragment2/fragments/linux-x64/native/libtorch_cuda.so.fragment2: its bytes differ", build.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("TENV0301", build.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(fragment));
    }

    [Fact]
    public void A_read_only_global_packages_folder_fails_the_build_with_the_folder_named()
    {
        var workspace = new CudaWorkspace(fixture, "cuda-readonly");
        workspace.AddProject();
        var restore = workspace.Dotnet("restore");
        Assert.True(restore.Succeeded, restore.ToString());

        DotNetResult build;
        using (ReadOnlyFolder.Make(workspace.Packages))
        {
            build = workspace.Dotnet("build", "-nologo", "--no-restore");
        }

        Assert.False(build.Succeeded, build.ToString());
        Assert.Contains("error TENV0332", build.Output, StringComparison.Ordinal);
        Assert.Contains($"the global packages folder {workspace.Packages} is read-only", build.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("TENV0301", build.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(workspace.LibTorchCudaFragment(1)));
    }

    [Fact]
    public void Two_projects_built_at_once_wait_at_one_guard_and_join_each_file_once()
    {
        var workspace = new CudaWorkspace(fixture, "cuda-parallel");
        workspace.AddProject("first");
        workspace.AddProject("second");
        Assert.True(workspace.Dotnet("new", "sln", "-n", "all", "--format", "sln").Succeeded);
        Assert.True(workspace.Dotnet("sln", "all.sln", "add", "first/first.csproj", "second/second.csproj").Succeeded);
        var restore = workspace.Dotnet("restore", "all.sln");
        Assert.True(restore.Succeeded, restore.ToString());
        var variables = fixture.Variables.ToDictionary(v => v.Key, v => v.Value);
        variables["NUGET_PACKAGES"] = workspace.Packages;

        // The test holds the guard until both projects' builds (two MSBuild nodes) say they wait at it, so their joins
        // meet there for certain; then one joins every file and the other finds them joined.
        using var build = WatchedProcess.Start(workspace.Root.Directory, variables, null, "build", "all.sln", "-nologo", "--no-restore", "-m:2", "-v:n");
        using (ExclusiveFileLock.Acquire(SplitFileRestitcher.GuardPath(workspace.Packages), Timeout))
        {
            Assert.True(build.WaitForLines("Waiting for another build that is joining CUDA files", 2, Timeout), build.ToString());
        }

        Assert.True(build.WaitForExit(Timeout), build.ToString());
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Equal(CudaFixtureFeed.LinuxFragments.Count, CudaWorkspace.Lines(build.Output, "TorchEnv: joined "));
        Assert.Equal(1, CudaWorkspace.Lines(build.Output, "TorchEnv: joined libtorch-cuda-12.8-linux-x64-part3-primary/runtimes/linux-x64/native/libtorch_cuda.so "));
        Assert.Equal(0, CudaWorkspace.Lines(build.Output, FixturePackageBuildFiles.JoinMessage));
        Assert.Equal(CudaFixtureFeed.DefaultContent("libtorch_cuda.so"), File.ReadAllBytes(workspace.LibTorchCuda));
        Assert.False(File.Exists(SplitFileRestitcher.GuardPath(workspace.Packages)));
    }

    private static int LineOf(CudaWorkspace workspace, string id) =>
        Array.FindIndex(File.ReadAllLines(workspace.Root.PathOf("environment.lock.yml")), l => l.Trim() == $"- id: {id}") + 1;

    [GeneratedRegex(@"environment\.lock\.yml\((?<line>\d+),\d+\): TorchEnv error (?<code>TENV\d{4})")]
    private static partial Regex LockError();
}
