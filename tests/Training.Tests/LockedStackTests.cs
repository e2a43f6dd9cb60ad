using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.TestSupport.EndToEnd;

namespace TorchEnv.Training.Tests;

/// <summary>
/// The proof of dogfooding: this test project builds on the packed TorchEnv.Sdk, so the <c>TorchEnvironment</c> class
/// the SDK generated from the committed lock is compiled into it, and the TorchSharp every other test here uses is the
/// locked one, loaded through the libLibTorchSharp.so the SDK put into the output (patched for this host's libstdc++
/// when the host lacks GLIBCXX_3.4.32, as Debian 12 does).
/// </summary>
[Trait("Category", "Integration")]
[Collection(TorchCollection.Name)]
public sealed class LockedStackTests
{
    private const string LibTorchSharpFile = "libLibTorchSharp.so";

    [Fact]
    public void The_tests_run_on_the_locked_TorchSharp_and_libtorch_through_the_LibTorchSharp_copy_in_the_output()
    {
        var report = TorchEnvironment.VerifyOrThrow();

        // The generated constants are the committed lock's stack.
        var lockFile = Path.Combine(RepositoryLayout.Root, "tests", "Training.Tests", "environment.lock.yml");
        var entry = LockFileReader.Read(lockFile).Find("cpu", "linux-x64");
        Assert.NotNull(entry);
        Assert.Equal((entry.Stack.TorchSharp, entry.Stack.LibTorch), (TorchEnvironment.TorchSharpVersion, TorchEnvironment.LibTorchVersion));
        Assert.Equal(("0.107.0", "2.10.0"), (TorchEnvironment.TorchSharpVersion, TorchEnvironment.LibTorchVersion));

        // What the process loaded, as Verify() saw it: the locked versions, from this test's output folder.
        Assert.True(report.IsOk, report.ToString());
        Assert.Empty(report.Findings);
        var output = AppContext.BaseDirectory;
        var nativeFolder = Path.Combine(output, "runtimes", "linux-x64", "native");
        Assert.Equal("0.107.0", Fact(report, "TorchSharp").Loaded);
        Assert.Equal("2.10.0", Fact(report, "libtorch").Loaded);
        Assert.Equal(Path.Combine(nativeFolder, "libtorch_cpu.so"), Fact(report, "libtorch").Location);
        var expected = Path.Combine(nativeFolder, LibTorchSharpFile);
        Assert.Equal(expected, Fact(report, "LibTorchSharp").Location);

        // ... and as the kernel mapped it: that very file, not a copy TorchSharp's fallback loader made in bin/…/cpu/.
        var mapped = MappedFiles();
        Assert.Equal(expected, Assert.Single(mapped, path => Path.GetFileName(path) == LibTorchSharpFile));

        var shim = Path.Combine(nativeFolder, LibStdCxxCompatPatcher.DefaultShimFileName);
        if (HostAbi.Detect().Defines(HostAbi.LibStdCxxName, "GLIBCXX_3.4.32"))
        {
            // A host with a new enough libstdc++ runs TorchSharp's own file: no patch, no shim.
            Assert.False(LibStdCxxCompatPatcher.IsPatched(expected), $"{expected} is patched on a host that does not need it.");
            Assert.DoesNotContain(mapped, path => Path.GetFileName(path) == LibStdCxxCompatPatcher.DefaultShimFileName);
        }
        else
        {
            // Debian 12 / Ubuntu 22.04: the compatibility step's patched copy, which pulls in the shim beside it.
            Assert.True(LibStdCxxCompatPatcher.IsPatched(expected), $"{expected} is TorchSharp's unpatched file, which this host's libstdc++ cannot load.");
            Assert.Contains(shim, mapped);
        }
    }

    private static TorchEnvironmentFact Fact(TorchEnvironmentReport report, string component) =>
        report.Facts.SingleOrDefault(f => f.Component == component)
        ?? throw new Xunit.Sdk.XunitException($"Verify() reported no {component} row:\n{report}");

    /// <summary>Every file mapped into this process (<c>/proc/self/maps</c>), once each.</summary>
    private static List<string> MappedFiles() =>
        File.ReadLines("/proc/self/maps")
            .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0 ? line[slash..].Trim() : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
