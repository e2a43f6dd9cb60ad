using System.Text.RegularExpressions;
using TorchEnv.TestSupport;

namespace TorchEnv.Sdk.Tests.EndToEnd;

/// <summary>
/// A CUDA-variant project built and run on this CPU machine, against the CUDA fixture (TorchSharp's real 0.107.0 with
/// its real libLibTorchSharp.so, and the libtorch-cuda packages' real ids and layout with tiny fake libraries).
/// What "runs" can honestly mean here: the program starts; the fake libtorch defines none of the symbols
/// libLibTorchSharp.so needs, so TorchSharp's native load fails (in its type initializer, on its CPU path, before any
/// CUDA fallback), and <c>TorchEnvironment.Verify()</c> reports, coded and without a stack trace, that the native backend
/// did not load with the dynamic loader's own reason (TENV0670) and that CUDA 12.8 is therefore not available (TENV0674);
/// the program exits with 2, the code TorchEnv's training template documents for a failed stack check. The CUDA kernels
/// themselves are never exercised here; on a GPU machine with the real packages the same program reports OK.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class CudaVariantEndToEndTests(SdkEndToEndFixture fixture)
{
    [Fact]
    public void A_cuda_variant_project_builds_joining_its_split_files_and_runs_with_verify_saying_cuda_is_not_available()
    {
        var workspace = new CudaWorkspace(fixture, "cuda-run");
        workspace.AddProject();

        var build = workspace.Dotnet("build", "-nologo");
        var again = workspace.Dotnet("build", "-nologo", "--no-restore", "-v:d");
        var run = workspace.Dotnet("run", "--no-build");

        // The build joined every split file itself, before TorchSharp's own restitch target, and checked it.
        Assert.True(build.Succeeded, build.ToString());
        Assert.Equal(CudaFixtureFeed.LinuxFragments.Count, CudaWorkspace.Lines(build.Output, "TorchEnv: joined "));
        Assert.Equal(0, CudaWorkspace.Lines(build.Output, FixturePackageBuildFiles.JoinMessage));
        Assert.Equal(CudaFixtureFeed.DefaultContent("libtorch_cuda.so"), File.ReadAllBytes(workspace.LibTorchCuda));
        Assert.Empty(Directory.GetFiles(workspace.Packages, "*.fragment*", SearchOption.AllDirectories));
        Assert.Contains("warning TENV0312", build.Output, StringComparison.Ordinal);
        Assert.True(again.Succeeded, again.ToString());
        Assert.Contains("Skipping target \"TorchEnvRestitchSplitFiles\" because all output files are up-to-date", again.Output, StringComparison.Ordinal);

        // The program ran and said why CUDA is not there, with codes, without a stack trace.
        Assert.Equal(2, run.ExitCode);
        Assert.Matches(@"TorchEnv e2e_net10_cuda \(variant cuda, linux-x64, lock sha256:[0-9a-f]+\): MISMATCH", run.StandardOutput);
        Assert.Matches(@"CUDA\s+locked 12\.8\s+loaded NOT available", run.StandardOutput);
        Assert.Contains("TENV0670", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("TENV0674", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("uses CUDA 12.8, but CUDA is not available: TorchSharp would silently run on the CPU (TorchSharp's native backend did not load (TENV0670))", run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex(@"^\s+at \S+\(", RegexOptions.Multiline), run.Output);
        Assert.DoesNotContain("Trace from LoadNativeBackend", run.Output, StringComparison.Ordinal);

        Assert.Contains("runtimes/linux-x64/native/libLibTorchSharp.so directly: ", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("libLibTorchSharp.so: undefined symbol: ", run.StandardOutput, StringComparison.Ordinal);

        // TorchSharp's fallback loader (when a regular load fails) copies the NuGet cache's natives into bin/…/cuda-12.8/,
        // skipping files already there, and loads libLibTorchSharp.so from it: the build put its patched copy and the
        // shim there first, so the patched copy is the one it loads, not the package's file it would have copied.
        var output = workspace.Root.PathOf("bin/Debug/net10.0/");
        var fallback = Path.Combine(output, "cuda-12.8");
        var patched = Directory.GetFiles(workspace.Root.PathOf("obj"), "libLibTorchSharp.so", SearchOption.AllDirectories).Single();
        var packageCopy = Path.Combine(workspace.Packages, "torchsharp/0.107.0/runtimes/linux-x64/native/libLibTorchSharp.so");
        Assert.Equal(File.ReadAllBytes(patched), File.ReadAllBytes(Path.Combine(fallback, "libLibTorchSharp.so")));
        Assert.NotEqual(File.ReadAllBytes(packageCopy), File.ReadAllBytes(Path.Combine(fallback, "libLibTorchSharp.so")));
        Assert.True(File.Exists(Path.Combine(fallback, "libtorchenv_stdcxx_compat.so")));
        Assert.Equal(File.ReadAllBytes(patched), File.ReadAllBytes(Path.Combine(output, "runtimes/linux-x64/native/libLibTorchSharp.so")));
    }
}
