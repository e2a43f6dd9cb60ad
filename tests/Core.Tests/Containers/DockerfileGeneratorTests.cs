using System.Text.RegularExpressions;
using TorchEnv.Core.Containers;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Tests.Lock;
using TorchEnv.Core.Tests.Ops;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Containers;

public sealed partial class DockerfileGeneratorTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-dockerfile");
    private readonly DotnetInstallation _dotnet;

    public DockerfileGeneratorTests()
    {
        _dotnet = LockFeedFixture.BuildDotnet(_temp.Combine("dotnet"));
        _temp.WriteFile("dotnet/sdk/10.0.401/Microsoft.NETCoreSdk.BundledVersions.props",
            "<Project><PropertyGroup><BundledNETCoreAppPackageVersion>10.0.12</BundledNETCoreAppPackageVersion></PropertyGroup></Project>");
        _temp.WriteFile("app/src/Mnist/Mnist.csproj", """
            <Project Sdk="TorchEnv.Sdk/0.1.0">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <AssemblyName>mnist-train</AssemblyName>
              </PropertyGroup>
            </Project>
            """);
    }

    public void Dispose() => _temp.Dispose();

    private DockerfilePlan Plan(EnvironmentLock lockFile, string? variant = null, string? project = null)
    {
        var lockPath = _temp.WriteFile("app/environment.lock.yml", LockFileWriter.Serialize(lockFile));
        return DockerfileGenerator.Plan(new DockerfileRequest { Lock = lockFile, LockPath = lockPath, Variant = variant, Project = project, Dotnet = _dotnet });
    }

    private static IReadOnlyList<string> Instructions(string dockerfile, string keyword) =>
        dockerfile.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n').Where(l => l.StartsWith(keyword + " ", StringComparison.Ordinal)).ToList();

    /// <summary>The distribution behind an image reference, found in the catalog independently of the plan.</summary>
    private static LinuxDistribution DistributionOf(string reference)
    {
        var cuda = ContainerImageCatalog.CudaImages.FirstOrDefault(i => i.Reference == reference);
        if (cuda is not null)
        {
            return cuda.Distribution;
        }

        return LinuxDistributions.All.Single(d => reference.EndsWith("-" + d.Codename, StringComparison.Ordinal));
    }

    /// <summary>Each requirement of the lock, checked against the image's OS by comparing version numbers.</summary>
    private static void AssertProvides(LinuxDistribution os, HostRequirements host)
    {
        Assert.True(SymbolVersion.Compare("GLIBC_" + os.Glibc, "GLIBC_" + host.Glibc) >= 0, $"{os.Name} glibc {os.Glibc} < {host.Glibc}");
        Assert.True(SymbolVersion.Compare("GLIBCXX_" + os.Glibcxx, "GLIBCXX_" + host.Glibcxx) >= 0, $"{os.Name} GLIBCXX {os.Glibcxx} < {host.Glibcxx}");
        Assert.True(SymbolVersion.Compare("CXXABI_" + os.Cxxabi, "CXXABI_" + host.Cxxabi) >= 0, $"{os.Name} CXXABI {os.Cxxabi} < {host.Cxxabi}");
    }

    private static void AssertLockedNonRootBuild(string dockerfile, LockedEnvironment environment)
    {
        var runs = Instructions(dockerfile, "RUN");
        var restore = Assert.Single(runs, r => r.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.Contains("-p:TorchEnvLockedMode=true", restore);
        Assert.Contains($"-p:TorchEnvVariant={environment.Variant}", restore);
        Assert.Contains($"-r {environment.Platform}", restore);
        var publish = Assert.Single(runs, r => r.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.Contains("--no-restore", publish);
        Assert.Contains("-p:TorchEnvLockedMode=true", publish);

        var froms = Instructions(dockerfile, "FROM");
        Assert.Equal(2, froms.Count);
        var lastStage = dockerfile[dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        var user = Assert.Single(Instructions(lastStage.TrimStart('\n'), "USER"));
        Assert.DoesNotMatch(@"^USER (root|0)(:|\s|$)", user);
        Assert.Matches(@"ENTRYPOINT \[""\./mnist-train""\]", lastStage);
    }

    [Fact]
    public void A_cpu_lock_of_torchsharp_0_107_runs_on_ubuntu_24_04_with_every_pin_and_a_locked_non_root_build()
    {
        var environment = OpsLocks.Cpu();
        var plan = Plan(OpsLocks.Lock("mnist_torchsharp_cpu", environment, OpsLocks.Cpu("win-x64")));
        var text = plan.Dockerfile;

        var froms = Instructions(text, "FROM");
        Assert.Equal("FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build", froms[0]);
        Assert.Equal("FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/runtime-deps:10.0.12-noble AS runtime", froms[1]);
        AssertProvides(DistributionOf(plan.Runtime.Chosen.Reference), environment.Host);
        Assert.Equal(LinuxDistributions.Ubuntu2404, plan.Runtime.Chosen.Distribution);

        // Every pinned version of the stack is in the file.
        foreach (var pinned in new[] { "torchsharp=\"0.107.0\"", "libtorch=\"2.10.0\"", "dotnet-sdk=\"10.0.401\"", "dotnet-runtime=\"10.0.12\"", "requires.glibcxx=\"3.4.32\"" })
        {
            Assert.Contains("io.torchenv." + pinned, text);
        }

        Assert.Matches(@"io\.torchenv\.lock=""sha256:[0-9a-f]{64}""", text);
        AssertLockedNonRootBuild(text, environment);
        Assert.Contains("RUN --mount=type=cache,id=torchenv-nuget,target=/root/.nuget/packages", text);
        Assert.DoesNotContain("nvidia", text);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void With_the_dotnet_8_images_debian_12_and_ubuntu_22_04_are_passed_over_for_their_libstdcxx()
    {
        var environment = OpsLocks.Cpu(dotnetSdk: "8.0.404");
        var plan = Plan(OpsLocks.Lock("mnist_torchsharp_cpu", environment));

        Assert.Equal(["Debian 12", "Ubuntu 22.04"], plan.Runtime.Rejected.Select(r => r.Distribution.Name));
        Assert.All(plan.Runtime.Rejected, r => Assert.Contains("GLIBCXX 3.4.32 (has 3.4.30)", r.Lacks));
        Assert.Equal("mcr.microsoft.com/dotnet/runtime-deps:8.0-noble", plan.Runtime.Chosen.Reference);
        Assert.Contains("FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/sdk:8.0.404-noble AS build", plan.Dockerfile);
        Assert.Contains("#   not mcr.microsoft.com/dotnet/runtime-deps:8.0-bookworm-slim: Debian 12 lacks GLIBCXX 3.4.32 (has 3.4.30)", plan.Dockerfile);
        // SDK 8.0.404 is not installed in the fake installation: the runtime tag floats, and the user is told.
        Assert.Equal(ContainerMessages.RuntimeVersionUnknownDescriptor.Code, Assert.Single(plan.Warnings).Code);
    }

    [Fact]
    public void A_lock_whose_natives_need_only_glibcxx_3_4_26_takes_the_first_image_debian_12()
    {
        var host = new HostRequirements { Glibc = "2.29", Glibcxx = "3.4.26", Cxxabi = "1.3.11" };
        var plan = Plan(OpsLocks.Lock("old_torchsharp_cpu", OpsLocks.Cpu(dotnetSdk: "8.0.404", host: host, torchSharp: "0.106.0")));

        Assert.Equal(LinuxDistributions.Debian12, plan.Runtime.Chosen.Distribution);
        Assert.Empty(plan.Runtime.Rejected);
    }

    [Fact]
    public void A_cuda_lock_runs_on_the_nvidia_cuda_12_8_image_of_ubuntu_24_04_with_dotnet_dependencies_and_a_non_root_user()
    {
        var environment = OpsLocks.Cuda();
        var plan = Plan(OpsLocks.Lock("mnist_torchsharp_cuda", environment));
        var text = plan.Dockerfile;

        var runtime = Instructions(text, "FROM")[1];
        Assert.Equal("FROM --platform=linux/amd64 nvidia/cuda:12.8.1-base-ubuntu24.04 AS runtime", runtime);
        var cudaTag = Regex.Match(runtime, @"nvidia/cuda:(\d+\.\d+)\.\d+-").Groups[1].Value;
        Assert.Equal(environment.Stack.Cuda, cudaTag);
        AssertProvides(DistributionOf(plan.Runtime.Chosen.Reference), environment.Host);
        Assert.Equal("nvidia/cuda:12.8.1-base-ubuntu22.04", Assert.Single(plan.Runtime.Rejected).Reference);
        Assert.Contains("mcr.microsoft.com/dotnet/sdk:10.0.401-noble AS build", text);
        Assert.Contains("apt-get install -y --no-install-recommends ca-certificates libc6 libgcc-s1 libicu74 libssl3t64 libstdc++6 tzdata", text);
        Assert.Contains("useradd --no-log-init --uid=1654", text);
        foreach (var pinned in new[] { "cuda=\"12.8\"", "cudnn=\"9\"", "torchsharp=\"0.107.0\"", "libtorch=\"2.10.0\"", "dotnet-sdk=\"10.0.401\"", "requires.nvidia-driver=\"525.60.13\"" })
        {
            Assert.Contains("io.torchenv." + pinned, text);
        }

        Assert.Contains("docker run --rm --gpus all mnist_torchsharp_cuda", text);
        AssertLockedNonRootBuild(text, environment);
    }

    [Fact]
    public void The_variant_option_picks_the_cuda_entry_of_a_two_variant_lock_and_the_default_is_the_first()
    {
        var lockFile = OpsLocks.Lock("mnist_net10_multi", OpsLocks.Cpu(), OpsLocks.Cuda());

        Assert.Equal("cpu", Plan(lockFile).Environment.Variant);
        Assert.Equal("cuda", Plan(lockFile, variant: "cuda").Environment.Variant);
    }

    [Fact]
    public void A_variant_without_a_linux_platform_is_an_error_naming_its_platforms()
    {
        var error = Assert.Throws<TorchEnvException>(() => Plan(OpsLocks.Lock("w_torchsharp_cpu", OpsLocks.Cpu("win-x64"))));

        Assert.Equal(ContainerMessages.NoLinuxPlatformDescriptor.Code, error.Diagnostic.Code);
        Assert.Contains("win-x64 only", error.Diagnostic.Message);
    }

    [Fact]
    public void A_host_requirement_beyond_every_image_is_an_error_listing_what_each_lacks()
    {
        var host = new HostRequirements { Glibc = "2.42", Glibcxx = "3.4.34", Cxxabi = "1.3.16" };

        var error = Assert.Throws<TorchEnvException>(() => Plan(OpsLocks.Lock("x_torchsharp_cpu", OpsLocks.Cpu(host: host))));

        Assert.Equal(ContainerMessages.NoBaseImageDescriptor.Code, error.Diagnostic.Code);
        Assert.Contains("runtime-deps:10.0.12-noble lacks GLIBC 2.42 (has 2.39), GLIBCXX 3.4.34 (has 3.4.33), CXXABI 1.3.16 (has 1.3.15)", error.Diagnostic.Message);
    }

    [Fact]
    public void Two_executable_projects_need_the_project_option()
    {
        _temp.WriteFile("app/tools/Other/Other.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>");

        var error = Assert.Throws<TorchEnvException>(() => Plan(OpsLocks.Lock("m_torchsharp_cpu", OpsLocks.Cpu())));
        var chosen = Plan(OpsLocks.Lock("m_torchsharp_cpu", OpsLocks.Cpu()), project: _temp.Combine("app", "tools", "Other", "Other.csproj"));

        Assert.Equal(ContainerMessages.EntryProjectDescriptor.Code, error.Diagnostic.Code);
        Assert.Contains("src/Mnist/Mnist.csproj", error.Diagnostic.Message);
        Assert.Contains("dotnet restore \"tools/Other/Other.csproj\"", chosen.Dockerfile);
        Assert.Contains("ENTRYPOINT [\"./Other\"]", chosen.Dockerfile);
    }

    [Fact]
    public void A_local_feed_outside_the_build_context_is_a_warning()
    {
        var environment = OpsLocks.Cpu(packages: [OpsLocks.Package("TorchSharp", "0.107.0", source: "../feed"), OpsLocks.Package("libtorch-cpu-linux-x64", "2.10.0", source: "./vendor")]);

        var warning = Assert.Single(Plan(OpsLocks.Lock("m_torchsharp_cpu", environment)).Warnings);

        Assert.Equal(ContainerMessages.SourceOutsideContextDescriptor.Code, warning.Code);
        Assert.Contains("'../feed'", warning.Message);
    }

    [Fact]
    public void Write_puts_both_files_beside_the_lock_and_refuses_to_overwrite_without_force()
    {
        var plan = Plan(OpsLocks.Lock("mnist_torchsharp_cpu", OpsLocks.Cpu()));

        DockerfileGenerator.Write(plan, force: false);
        File.WriteAllText(plan.DockerfilePath, "# edited by hand\n");
        var error = Assert.Throws<TorchEnvException>(() => DockerfileGenerator.Write(plan, force: false));

        Assert.Equal(_temp.Combine("app", "Dockerfile"), plan.DockerfilePath);
        Assert.Contains("**/obj/", File.ReadAllText(_temp.Combine("app", ".dockerignore")));
        Assert.Equal("TENV0590", error.Diagnostic.Code);
        Assert.Equal("# edited by hand\n", File.ReadAllText(plan.DockerfilePath));
        DockerfileGenerator.Write(plan, force: true);
        Assert.Equal(plan.Dockerfile, File.ReadAllText(plan.DockerfilePath));
    }
}
