using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.Core.Tests.Spec;

namespace TorchEnv.Core.Tests.Stack;

/// <summary>
/// The spec hash makes a lock stale exactly when something that can change its entry changed: formatting, comments,
/// key order, the name and other variants or platforms must not change it; versions, channels, policy, framework and
/// platform must.
/// </summary>
public sealed class SpecHashTests
{
    private const string Baseline = """
        name: mnist_net10_cuda
        channels: [nuget.org, ./vendor]
        platforms: [linux-x64, win-x64]
        dependencies:
          - dotnet-sdk=10.0.*
          - torchsharp=0.107.*
          - cuda=12.8
          - cudnn=9
          - nuget: [Spectre.Console=0.57.2, Humanizer=2.14.1]
        """;

    // The same environment for cuda × linux-x64, written differently.
    public static TheoryData<string, string> Equivalent => new()
    {
        {
            "reformatted, reordered, commented, renamed",
            """
            # training machines
            dependencies:
              - nuget:
                  - Humanizer=2.14.1          # sorted differently
                  - "Spectre.Console=0.57.2"
              - cudnn=9
              - cuda=12.8
              - 'torchsharp=0.107.*'
              - dotnet-sdk=10.0.*
            platforms:
              - linux-x64
              - win-x64
            name: another_name
            channels:
              - nuget.org
              - ./vendor
            """
        },
        {
            "other platforms and an explicit default policy",
            """
            name: mnist_net10_cuda
            policy: research
            channels: [nuget.org, ./vendor]
            platforms: [win-x64, linux-x64]
            dependencies: [dotnet-sdk=10.0.*, torchsharp=0.107.*, cuda=12.8, cudnn=9, {nuget: [Spectre.Console=0.57.2, Humanizer=2.14.1]}]
            """
        },
        {
            "equivalent version spellings and id casing",
            """
            name: mnist_net10_cuda
            channels: [nuget.org, ./vendor]
            platforms: [linux-x64]
            framework: net10.0
            dependencies:
              - dotnet-sdk 10.0.*
              - torchsharp>=0.107,<0.108
              - cuda==12.8
              - cudnn=9.*
              - nuget: [spectre.console==0.57.2, HUMANIZER 2.14.1]
            """
        },
        {
            "as a variant beside another variant",
            """
            name: mnist
            channels: [nuget.org, ./vendor]
            platforms: [linux-x64]
            dependencies:
              - dotnet-sdk=10.0.*
              - torchsharp=0.107.*
              - nuget: [Spectre.Console=0.57.2, Humanizer=2.14.1]
            variants:
              cpu:
                dependencies: [cpu]
                platforms: [linux-x64, osx-arm64]
              cuda:
                dependencies: [cuda=12.8, cudnn=9]
            """
        },
    };

    // One relevant change each.
    public static TheoryData<string, string, string> Changes => new()
    {
        { "torchsharp version", "torchsharp=0.107.*", "torchsharp=0.106.*" },
        { "cuda range", "cuda=12.8", "cuda=12" },
        { "sdk version", "dotnet-sdk=10.0.*", "dotnet-sdk==10.0.401" },
        { "nuget version", "Humanizer=2.14.1", "Humanizer=2.14.0" },
        { "nuget package added", "Humanizer=2.14.1]", "Humanizer=2.14.1, Serilog=4.0.0]" },
        { "channel order", "channels: [nuget.org, ./vendor]", "channels: [./vendor, nuget.org]" },
        { "channel removed", "channels: [nuget.org, ./vendor]", "channels: [nuget.org]" },
        { "framework", "name: mnist_net10_cuda", "name: mnist_net10_cuda\nframework: net9.0" },
        { "cudnn constraint removed", "  - cudnn=9\n", "" },
    };

    [Fact]
    public void Hash_is_sha256_in_lower_case_hex()
    {
        Assert.Matches("^sha256:[0-9a-f]{64}$", Hash(Baseline));
    }

    [Theory]
    [MemberData(nameof(Equivalent))]
    public void Hash_ignores_what_cannot_change_the_lock_entry(string why, string yaml)
    {
        Assert.True(Hash(Baseline) == Hash(yaml), why);
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public void Hash_changes_with_every_relevant_value(string why, string find, string replace)
    {
        Assert.Contains(find, Baseline);

        Assert.True(Hash(Baseline) != Hash(Baseline.Replace(find, replace)), why);
    }

    [Fact]
    public void Hash_changes_with_the_policy()
    {
        var research = SpecTestFiles.Production.Replace("policy: production", "policy: research");

        Assert.NotEqual(Hash(SpecTestFiles.Production), Hash(research));
    }

    [Fact]
    public void Hash_differs_per_platform_and_per_variant()
    {
        var spec = SpecTestFiles.Parse(SpecTestFiles.CpuAndCudaVariants);
        var hashes = StackPlanner.PlanAll(spec).Select(p => p.SpecHash).ToList();

        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact]
    public void An_explicit_cpu_line_restates_the_default_device()
    {
        const string implicitCpu = "name: a\nplatforms: [linux-x64]\ndependencies: [torchsharp=0.107.*]\n";
        const string explicitCpu = "name: a\nplatforms: [linux-x64]\ndependencies: [torchsharp=0.107.*, cpu]\n";

        Assert.Equal(Hash(implicitCpu, "cpu"), Hash(explicitCpu, "cpu"));
    }

    private static string Hash(string yaml, string variant = "cuda", string platform = "linux-x64")
    {
        var spec = SpecTestFiles.Parse(yaml);
        return StackPlanner.Plan(spec, spec.FindVariant(variant)!, platform).SpecHash;
    }
}
