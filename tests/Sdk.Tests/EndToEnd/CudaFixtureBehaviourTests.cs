using TorchEnv.TestSupport;
using TorchEnv.TestSupport.EndToEnd;

namespace TorchEnv.Sdk.Tests.EndToEnd;

/// <summary>
/// The CUDA fixture's packages behave like TorchSharp's real ones in a plain <c>dotnet build</c> (no TorchEnv): the
/// "-primary" packages restitch their files on build, swallow a failed join, and the head package refuses a second
/// TorchSharp runtime. Each test has its own global packages folder, because restitching changes it.
/// </summary>
public sealed class CudaFixtureBehaviourTests : IDisposable
{
    private const string Primary = "libtorch-cuda-12.8-linux-x64-part3-primary";
    private readonly TempDirectory _root = new("torchenv-cuda-fixture");

    public void Dispose() => _root.Dispose();

    private string Packages => _root.Combine("packages");

    private string JoinedFile => Path.Combine(Packages, Primary, "2.10.0", "runtimes", "linux-x64", "native", "libtorch_cuda.so");

    private DotNetResult Build(string extraReferences = "")
    {
        Prepare(extraReferences);
        return Dotnet("build", "-nologo");
    }

    private DotNetResult Dotnet(params string[] arguments) =>
        DotNetCli.Run(_root.Combine("app"), arguments, new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Packages });

    private void Prepare(string extraReferences = "")
    {
        CudaFixtureFeed.Build(new LocalFeed(_root.Combine("feed")), new CudaFixtureOptions { Windows = false });
        _root.WriteFile("app/NuGet.config", NuGetConfigText.For(Packages, ("fixture", _root.Combine("feed"))));
        _root.WriteFile("app/app.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="libtorch-cuda-12.8-linux-x64" Version="[2.10.0]" />
                {extraReferences}
              </ItemGroup>
            </Project>
            """);
        _root.WriteFile("Directory.Build.props", "<Project />");
        _root.WriteFile("Directory.Build.targets", "<Project />");
        _root.WriteFile("Directory.Packages.props", "<Project />");
    }

    [Fact]
    public void A_build_joins_every_split_file_checks_its_sha_and_deletes_the_fragments()
    {
        var build = Build();

        Assert.True(build.Succeeded, build.ToString());
        Assert.Equal(CudaFixtureFeed.DefaultContent("libtorch_cuda.so"), File.ReadAllBytes(JoinedFile));
        Assert.Empty(Directory.GetFiles(Packages, "*.fragment*", SearchOption.AllDirectories));
        Assert.Equal(CudaFixtureFeed.LinuxFragments.Count, CountOf(build.Output, FixturePackageBuildFiles.JoinMessage));

        // On every build: the target runs again and finds nothing left to join.
        var again = Dotnet("build", "-nologo");
        Assert.True(again.Succeeded, again.ToString());
        Assert.Equal(0, CountOf(again.Output, FixturePackageBuildFiles.JoinMessage));
    }

    [Fact]
    public void A_corrupted_fragment_is_only_printed_and_the_build_goes_on_with_the_half_file()
    {
        // Restore first, then damage one fragment in the packages folder, as a broken download would.
        Prepare();
        var restore = Dotnet("restore", "-nologo");
        Assert.True(restore.Succeeded, restore.ToString());
        var fragment = Path.Combine(Packages, "libtorch-cuda-12.8-linux-x64-part3-fragment2", "2.10.0", "fragments", "linux-x64", "native", "libtorch_cuda.so.fragment2");
        var bytes = File.ReadAllBytes(fragment);
        bytes[0] ^= 0xFF;
        File.WriteAllBytes(fragment, bytes);
        var before = File.ReadAllBytes(JoinedFile);

        var build = Dotnet("build", "-nologo", "--no-restore");

        Assert.True(build.Succeeded, build.ToString());
        Assert.Contains("has SHA", build.Output, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(JoinedFile));
        Assert.True(File.Exists(fragment));
    }

    [Fact]
    public void A_cpu_runtime_beside_the_cuda_one_fails_the_build()
    {
        var feed = new LocalFeed(_root.Combine("feed"));
        feed.Add("libtorch-cpu-fixture", "2.10.0", p => p
            .File("buildTransitive/netstandard2.0/libtorch-cpu-fixture.props", "<Project><PropertyGroup><TorchSharpCpuPackage>true</TorchSharpCpuPackage></PropertyGroup></Project>")
            .File("lib/netstandard2.0/_._", ""));

        var build = Build("""<PackageReference Include="libtorch-cpu-fixture" Version="[2.10.0]" />""");

        Assert.False(build.Succeeded, build.ToString());
        Assert.Contains("Two TorchSharp runtime packages have been referenced", build.Output, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part) =>
        text.Split('\n').Count(line => line.Contains(part, StringComparison.Ordinal));
}
