using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Stack;
using TorchEnv.Core.Tests.Spec;
using static TorchEnv.Core.Tests.Stack.StackTestSpecs;

namespace TorchEnv.Core.Tests.Stack;

/// <summary>Planning: candidates, roots and reasons, and impossible combinations with the versions that would work.</summary>
public sealed class StackPlannerTests
{
    [Fact]
    public void Candidates_are_every_allowed_row_newest_first()
    {
        var plan = Plan("linux-x64", "torchsharp=0.105.*");

        Assert.Equal(["0.105.2", "0.105.0–0.105.1"], plan.Candidates.Select(c => StackMatrix.Describe(c.Row.TorchSharp)));
        Assert.Equal(["[0.105.2, 0.105.2]", "[0.105.0, 0.105.1]"], plan.Candidates.Select(c => c.TorchSharp.ToNormalizedString()));
        Assert.Equal(["2.7.1", "2.5.1"], plan.Candidates.Select(c => c.Row.LibTorch.ToNormalizedString()));
    }

    [Fact]
    public void Without_torchsharp_every_row_for_the_platform_is_a_candidate()
    {
        Assert.Equal(9, Plan("linux-x64", "cpu").Candidates.Count);
        Assert.Equal(["0.107.0"], Plan("win-arm64").Candidates.Select(c => StackMatrix.Describe(c.Row.TorchSharp)));
        Assert.Equal(4, Plan("osx-x64").Candidates.Count);
    }

    [Fact]
    public void A_cuda_major_spans_rows_with_different_cuda_packages()
    {
        var plan = Plan("linux-x64", "torchsharp>=0.105", "cuda=12");

        Assert.Equal(
            ["libtorch-cuda-12.8-linux-x64", "libtorch-cuda-12.8-linux-x64", "libtorch-cuda-12.8-linux-x64", "libtorch-cuda-12.1-linux-x64"],
            plan.Candidates.Select(c => c.Roots[2].Id));
        Assert.Equal("12.8", plan.Cuda);
        Assert.Equal(ComputeDevice.Cuda, plan.Device);
    }

    [Fact]
    public void The_design_example_plans_cuda_on_linux_and_windows_and_fails_on_macos()
    {
        var spec = SpecTestFiles.Parse(SpecTestFiles.DesignExample);

        var linux = StackPlanner.Plan(spec, spec.DefaultVariant, "linux-x64");
        var diagnostic = Assert.Single(Assert.Throws<TorchEnvException>(() => StackPlanner.PlanAll(spec)).Diagnostics);

        Assert.Equal(
            [
                "TorchSharp [0.107.0, 0.107.0]",
                "TorchSharp-cuda-linux [0.107.0, 0.107.0]",
                "libtorch-cuda-12.8-linux-x64 [2.10.0, 2.10.0]",
                "TorchVision [0.107.0, 0.107.0]",
                "Spectre.Console [0.57.2, 0.57.2]",
            ],
            Roots(Assert.Single(linux.Candidates)));
        Assert.Equal(("TENV0100", 4, 33), (diagnostic.Code, diagnostic.Location!.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void Reasons_cite_the_spec_line_and_the_matrix_row()
    {
        var spec = SpecTestFiles.Parse(SpecTestFiles.DesignExample);
        var roots = StackPlanner.Plan(spec, spec.DefaultVariant, "win-x64").Candidates[0].Roots;

        Assert.Equal("torchsharp=0.107.* (environment.yml:7) → stack matrix TorchSharp 0.107.0 ↔ libtorch 2.10.0 ↔ CUDA 12.8 ↔ cuDNN 9", roots[0].Reason);
        Assert.Contains("cuda=12.8 (environment.yml:8) + torchsharp=0.107.* (environment.yml:7)", roots[2].Reason);
        Assert.Contains("CUDA build for win-x64", roots[2].Reason);
        Assert.Equal("torchvision=0.107.0 (environment.yml:10) → TorchVision follows TorchSharp 0.107.0", roots[3].Reason);
        Assert.Equal("nuget: Spectre.Console=0.57.2 (environment.yml:12)", roots[4].Reason);
    }

    [Fact]
    public void Torchvision_without_version_follows_torchsharp()
    {
        var plan = Plan("linux-x64", "torchsharp=0.105.*", "torchvision");

        Assert.Equal(["[0.105.2, 0.105.2]", "[0.105.0, 0.105.1]"], plan.Candidates.Select(c => c.Roots.Single(r => r.Id == "TorchVision").Range.ToNormalizedString()));
    }

    [Fact]
    public void Libtorch_may_name_the_library_version_of_a_four_part_package()
    {
        var candidate = Assert.Single(Plan("osx-arm64", "libtorch=2.2.1").Candidates);

        Assert.Equal("libtorch-cpu-osx-arm64 [2.2.1.1, 2.2.1.1]", Roots(candidate)[1]);
        Assert.Equal("[0.102.0, 0.102.8]", candidate.TorchSharp.ToNormalizedString());
    }

    [Fact]
    public void Plan_carries_framework_versions_and_hash()
    {
        var plan = Plan("linux-x64", "dotnet-sdk=8.0.*", "torchsharp=0.107.*", "cuda=12.8", "cudnn=9");

        Assert.Equal(("cuda", "linux-x64", "net8.0"), (plan.Variant, plan.Platform, plan.Framework.GetShortFolderName()));
        Assert.Equal(VersionRange.Parse("[0.107.0, 0.108.0)"), plan.TorchSharp);
        Assert.Equal(VersionRange.Parse("[9.0.0, 10.0.0)"), plan.Cudnn);
        Assert.Equal(VersionRange.Parse("[8.0.0, 8.1.0)"), plan.DotnetSdk);
        Assert.Matches("^sha256:[0-9a-f]{64}$", plan.SpecHash);
    }

    [Fact]
    public void Cuda_11_8_with_torchsharp_0_107_says_which_versions_work()
    {
        var diagnostic = Fails("linux-x64", "torchsharp=0.107.*", "cuda=11.8");

        Assert.Equal(("TENV0101", 5, 5), (diagnostic.Code, diagnostic.Location!.Line, diagnostic.Location.Column));
        Assert.Contains("TorchSharp 0.107.0 uses CUDA 12.8", diagnostic.Message);
        Assert.Contains("No TorchSharp release is built with a CUDA matching 'cuda=11.8'", diagnostic.Message);
        Assert.Contains("Write cuda=12.8", diagnostic.Fix);
        Assert.Contains("CUDA 11.7: torchsharp=0.100.*, torchsharp=0.99.*", diagnostic.Fix);
    }

    [Fact]
    public void Cuda_11_7_with_torchsharp_0_107_points_at_the_11_7_releases()
    {
        var diagnostic = Fails("linux-x64", "torchsharp=0.107.*", "cuda=11.7");

        Assert.Equal("TENV0101", diagnostic.Code);
        Assert.Contains("For CUDA 11.7 use torchsharp=0.100.* or torchsharp=0.99.*", diagnostic.Fix);
    }

    [Fact]
    public void A_cudnn_no_allowed_row_bundles_is_an_error()
    {
        var diagnostic = Fails("linux-x64", "torchsharp=0.107.*", "cuda=12.8", "cudnn=8");

        Assert.Equal(("TENV0102", 6, 5), (diagnostic.Code, diagnostic.Location!.Line, diagnostic.Location.Column));
        Assert.Contains("bundle cuDNN 9", diagnostic.Message);
        Assert.Contains("cuDNN 8: torchsharp=0.102.*", diagnostic.Fix);
    }

    [Fact]
    public void An_unknown_torchsharp_is_an_error_listing_known_releases()
    {
        var diagnostic = Fails("linux-x64", "torchsharp==0.108.0");

        Assert.Equal(("TENV0103", 4, 5), (diagnostic.Code, diagnostic.Location!.Line, diagnostic.Location.Column));
        Assert.Contains("0.99.0–0.99.6", diagnostic.Message);
        Assert.Contains("libtorch==", diagnostic.Fix);
    }

    [Fact]
    public void An_unknown_torchsharp_is_accepted_with_an_exact_libtorch()
    {
        var plan = Plan("linux-x64", "torchsharp==0.108.0", "libtorch==2.11.0", "cuda=12.9");

        var candidate = Assert.Single(plan.Candidates);
        Assert.False(candidate.Row.IsKnown);
        Assert.Equal(
            ["TorchSharp [0.108.0, 0.108.0]", "TorchSharp-cuda-linux [0.108.0, 0.108.0]", "libtorch-cuda-12.9-linux-x64 [2.11.0, 2.11.0]"],
            Roots(candidate));
        Assert.Contains("not in the stack matrix", candidate.Roots[0].Reason);
    }

    [Theory]
    [InlineData("libtorch=2.11")]
    [InlineData("libtorch>=2.10")]
    public void An_unknown_torchsharp_needs_libtorch_pinned_exactly(string libTorch)
    {
        var diagnostic = Fails("linux-x64", "torchsharp==0.108.0", libTorch);

        Assert.Equal(("TENV0107", 5), (diagnostic.Code, diagnostic.Location!.Line));
        Assert.Contains("libtorch==", diagnostic.Fix);
    }

    [Fact]
    public void A_libtorch_that_does_not_match_torchsharp_is_an_error()
    {
        var diagnostic = Fails("linux-x64", "torchsharp=0.107.*", "libtorch=2.7.1");

        Assert.Equal(("TENV0105", 5), (diagnostic.Code, diagnostic.Location!.Line));
        Assert.Contains("TorchSharp 0.107.0 is built against libtorch 2.10.0", diagnostic.Message);
        Assert.Contains("libtorch==2.10.0", diagnostic.Fix);
    }

    [Fact]
    public void A_torchvision_that_does_not_follow_torchsharp_is_an_error()
    {
        var diagnostic = Fails("linux-x64", "torchsharp=0.107.*", "torchvision=0.106.0");

        Assert.Equal(("TENV0106", 5), (diagnostic.Code, diagnostic.Location!.Line));
    }

    [Fact]
    public void PlanAll_plans_variants_in_order_and_platforms_as_written()
    {
        var plans = StackPlanner.PlanAll(SpecTestFiles.Parse(SpecTestFiles.CpuAndCudaVariants));

        Assert.Equal(
            ["cpu/linux-x64", "cpu/win-x64", "cpu/osx-arm64", "cuda/linux-x64", "cuda/win-x64"],
            plans.Select(p => $"{p.Variant}/{p.Platform}"));
        Assert.Equal("libtorch-cpu-osx-arm64", plans[2].Candidates[0].Roots[1].Id);
        Assert.Equal("TorchSharp-cuda-windows", plans[4].Candidates[0].Roots[1].Id);
    }

    [Fact]
    public void PlanAll_reports_every_impossible_pair_at_once()
    {
        var spec = StackTestSpecs.Spec("osx-arm64, win-arm64, osx-x64", "torchsharp=0.106.0");

        var diagnostics = Assert.Throws<TorchEnvException>(() => StackPlanner.PlanAll(spec)).Diagnostics;

        Assert.Equal([("TENV0104", 24), ("TENV0104", 35)], diagnostics.Select(d => (d.Code, d.Location!.Column)));
    }

    [Fact]
    public void Planning_a_platform_outside_the_variant_is_a_programming_error()
    {
        var spec = StackTestSpecs.Spec("linux-x64", "cpu");

        Assert.Throws<ArgumentException>(() => StackPlanner.Plan(spec, spec.DefaultVariant, "win-x64"));
    }
}
