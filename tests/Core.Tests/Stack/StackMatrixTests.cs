using NuGet.Versioning;
using TorchEnv.Core.Stack;
using static TorchEnv.Core.Tests.Stack.StackTestSpecs;

namespace TorchEnv.Core.Tests.Stack;

/// <summary>
/// The matrix against TorchSharp's history (stack-facts.md "Version matrix", torchsharp-full.md §5a, TorchSharp's
/// RELEASENOTES and pkg/ folder), row by row, and the platform rules that follow from it.
/// </summary>
public sealed class StackMatrixTests
{
    // Newest release of each row, libtorch package version, CUDA, cuDNN major, CPU platforms.
    public static TheoryData<string, string, string, int, string> Releases => new()
    {
        { "0.107.0", "2.10.0", "12.8", 9, "linux-x64 win-x64 win-arm64 osx-arm64" },
        { "0.106.0", "2.10.0", "12.8", 9, "linux-x64 win-x64 osx-arm64" },
        { "0.105.2", "2.7.1", "12.8", 9, "linux-x64 win-x64 osx-arm64" },
        { "0.105.1", "2.5.1", "12.1", 9, "linux-x64 win-x64 osx-arm64" },
        { "0.104.0", "2.4.0", "12.1", 9, "linux-x64 win-x64 osx-arm64" },
        { "0.102.8", "2.2.1.1", "12.1", 8, "linux-x64 win-x64 osx-x64 osx-arm64" },
        { "0.101.6", "2.1.0.1", "12.1", 8, "linux-x64 win-x64 osx-x64" },
        { "0.100.7", "2.0.1.1", "11.7", 8, "linux-x64 win-x64 osx-x64" },
        { "0.99.6", "1.13.0.1", "11.7", 8, "linux-x64 win-x64 osx-x64" },
    };

    [Fact]
    public void Rows_are_newest_first_and_do_not_overlap()
    {
        var rows = StackMatrix.Rows;

        Assert.Equal(9, rows.Count);
        for (var i = 1; i < rows.Count; i++)
        {
            Assert.True(rows[i - 1].TorchSharp.MinVersion > rows[i].TorchSharp.MaxVersion, rows[i].Label);
        }

        Assert.All(rows, r => Assert.Equal(["linux-x64", "win-x64"], r.CudaPlatforms));
        Assert.All(rows, r => Assert.True(r.IsKnown));
    }

    [Theory]
    [MemberData(nameof(Releases))]
    public void Each_release_plans_its_own_libtorch_for_cpu(string torchSharp, string libTorch, string cuda, int cudnn, string platforms)
    {
        var plan = Plan("linux-x64", $"torchsharp=={torchSharp}");

        var candidate = Assert.Single(plan.Candidates);
        Assert.Equal((NuGetVersion.Parse(libTorch), cuda, cudnn), (candidate.Row.LibTorch, candidate.Row.Cuda, candidate.Row.CudnnMajor));
        Assert.Equal(platforms.Split(' ').Order(), candidate.Row.Platforms.Order());
        Assert.Equal([$"TorchSharp [{torchSharp}, {torchSharp}]", $"libtorch-cpu-linux-x64 [{libTorch}, {libTorch}]"], Roots(candidate));
        Assert.Equal(ComputeDevice.Cpu, plan.Device);
    }

    [Theory]
    [MemberData(nameof(Releases))]
    public void Each_release_plans_its_cuda_packages_on_linux_and_windows(string torchSharp, string libTorch, string cuda, int cudnn, string platforms)
    {
        _ = platforms;
        var linux = Assert.Single(Plan("linux-x64", $"torchsharp=={torchSharp}", $"cuda={cuda}", $"cudnn={cudnn}").Candidates);
        var windows = Assert.Single(Plan("win-x64", $"torchsharp=={torchSharp}", $"cuda={cuda}").Candidates);

        Assert.Equal(
            [$"TorchSharp [{torchSharp}, {torchSharp}]", $"TorchSharp-cuda-linux [{torchSharp}, {torchSharp}]", $"libtorch-cuda-{cuda}-linux-x64 [{libTorch}, {libTorch}]"],
            Roots(linux));
        Assert.Equal(
            [$"TorchSharp [{torchSharp}, {torchSharp}]", $"TorchSharp-cuda-windows [{torchSharp}, {torchSharp}]", $"libtorch-cuda-{cuda}-win-x64 [{libTorch}, {libTorch}]"],
            Roots(windows));
    }

    [Theory]
    [InlineData("osx-arm64", "0.102.0", true)]
    [InlineData("osx-arm64", "0.101.6", false)]
    [InlineData("osx-x64", "0.102.8", true)]
    [InlineData("osx-x64", "0.103.0", false)]
    [InlineData("win-arm64", "0.107.0", true)]
    [InlineData("win-arm64", "0.106.0", false)]
    [InlineData("linux-x64", "0.99.0", true)]
    [InlineData("win-x64", "0.107.0", true)]
    public void Cpu_platforms_follow_the_releases_that_shipped_them(string platform, string torchSharp, bool built)
    {
        if (built)
        {
            Assert.Single(Plan(platform, $"torchsharp=={torchSharp}").Candidates);
        }
        else
        {
            var diagnostic = Fails(platform, $"torchsharp=={torchSharp}");
            Assert.Equal("TENV0104", diagnostic.Code);
            Assert.Contains($"no CPU build for {platform}", diagnostic.Message);
        }
    }

    [Fact]
    public void Win_arm64_error_names_the_release_that_builds_it()
    {
        var diagnostic = Fails("win-arm64", "torchsharp=0.106.0");

        Assert.Equal((2, 13), (diagnostic.Location!.Line, diagnostic.Location.Column));
        Assert.Contains("torchsharp==0.107.0", diagnostic.Fix);
    }

    [Fact]
    public void A_platform_no_release_builds_is_an_error_even_without_versions()
    {
        var diagnostic = Fails("linux-arm64", "cpu");

        Assert.Equal("TENV0104", diagnostic.Code);
        Assert.Contains("No TorchSharp release has a CPU build for linux-arm64", diagnostic.Fix);
    }

    [Theory]
    [InlineData("osx-arm64")]
    [InlineData("osx-x64")]
    [InlineData("win-arm64")]
    [InlineData("linux-arm64")]
    public void Cuda_only_exists_for_linux_x64_and_win_x64(string platform)
    {
        var diagnostic = Fails(platform, "torchsharp=0.107.*", "cuda=12.8");

        Assert.Equal(("TENV0100", 2, 13), (diagnostic.Code, diagnostic.Location!.Line, diagnostic.Location.Column));
        Assert.Contains($"no CUDA build of TorchSharp for {platform}", diagnostic.Message);
        Assert.Contains("variants: { cpu: { dependencies: [cpu], platforms: [" + platform + "] }", diagnostic.Fix);
    }
}
