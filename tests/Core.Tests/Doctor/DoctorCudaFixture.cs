using TorchEnv.Core.Doctor;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Tests.Lock;
using TorchEnv.Core.Tests.Resolution;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Doctor;

/// <summary>
/// A CUDA lock for linux-x64 against the fixture feed (the real CUDA package layout with tiny files; libtorch_cpu.so
/// exports the autocast functions like the real one), installed into its own global packages folder as restore leaves
/// it: the big files still split into "-primary" and "-fragmentN" packages.
/// </summary>
public sealed class DoctorCudaFixture : IAsyncLifetime
{
    private readonly TempDirectory _root = new("torchenv-doctor-cuda");

    public string PackagesFolder => _root.Combine("packages");

    public string LockPath => _root.Combine("project", LockFileWriter.DefaultFileName);

    public EnvironmentLock Lock { get; private set; } = null!;

    public DotnetInstallation Dotnet { get; private set; } = null!;

    public static byte[] Natives(string fileName) => fileName == "libtorch_cpu.so"
        ? LibTorchCpuWithAutocast()
        : CudaFixtureFeed.DefaultContent(fileName);

    public static byte[] LibTorchCpuWithAutocast()
    {
        var elf = new TinyElfBuilder("libtorch_cpu.so").Need("libc.so.6", "GLIBC_2.2.5").Need("libc.so.6", "GLIBC_2.29")
            .Need("libstdc++.so.6", "GLIBCXX_3.4.26").Need("libstdc++.so.6", "CXXABI_1.3.11");
        foreach (var mangled in Core.Doctor.Doctor.AutocastExports)
        {
            elf.Export(mangled);
        }

        return elf.Build();
    }

    public async Task InitializeAsync()
    {
        var feed = new LocalFeed(_root.Combine("feed"));
        LockFeedFixture.BuildFeed(feed);
        CudaFixtureFeed.Build(feed, new CudaFixtureOptions { Windows = false, NativeContent = Natives });
        Dotnet = LockFeedFixture.BuildDotnet(_root.Combine("dotnet"));
        var specPath = _root.WriteFile("project/environment.yml", "# hand-built plans\n");
        var spec = TestPlans.Spec(specPath, "demo_torchsharp_cuda", ["../feed"],
            TestPlans.Variant(specPath, "cuda", ["linux-x64"],
                TestPlans.Dependency(specPath, DependencyKind.TorchSharp, "torchsharp", "[0.107.0]", 6),
                TestPlans.Dependency(specPath, DependencyKind.Cuda, "cuda", null, 7) with { Text = "cuda=12.8" }));
        Lock = await EnvironmentLocker.LockAsync(spec, [CudaFeedFixture.Plan("linux-x64")], null,
            new LockOptions { GlobalPackagesFolder = PackagesFolder, Dotnet = Dotnet, ToolVersion = "0.1.0-test", Install = LockInstallScope.All });
        LockFileWriter.Write(LockPath, Lock);
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A copy of the packages folder (tests that restitch must not change the shared one).</summary>
    public string CopyPackages(TempDirectory into) => Ops.TestFolders.CopyTree(PackagesFolder, into.Combine("packages"));

    /// <summary>Does in <paramref name="packages"/> what TorchSharp's restitch target does on the first build.</summary>
    public static int Restitch(string packages)
    {
        var joined = 0;
        foreach (var sha in Directory.EnumerateFiles(packages, "*.sha", SearchOption.AllDirectories))
        {
            var primaryFile = sha[..^4];
            var versionFolder = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(primaryFile))))!;
            var primaryId = Path.GetFileName(Path.GetDirectoryName(versionFolder))!;
            var name = Path.GetFileName(primaryFile);
            using (var output = File.Open(primaryFile, FileMode.Append))
            {
                for (var n = 1; ; n++)
                {
                    var fragment = Path.Combine(packages, primaryId.Replace("-primary", $"-fragment{n}"), "2.10.0", "fragments", "linux-x64", "native", $"{name}.fragment{n}");
                    if (!File.Exists(fragment))
                    {
                        break;
                    }

                    using (var input = File.OpenRead(fragment))
                    {
                        input.CopyTo(output);
                    }

                    File.Delete(fragment);
                }
            }

            joined++;
        }

        return joined;
    }
}
