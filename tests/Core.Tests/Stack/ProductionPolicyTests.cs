using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.Core.Tests.Spec;

namespace TorchEnv.Core.Tests.Stack;

/// <summary>
/// <c>policy: production</c>: a spec that reads may still break the policy; planning it fails with the code, at the line
/// and column of the fault, with the exact pin to write (taken from the stack matrix).
/// </summary>
public sealed class ProductionPolicyTests
{
    public static TheoryData<string, string, string, int, int, string> Cases => new()
    {
        { "production torchsharp range", "name: demo\npolicy: production\nplatforms: [linux-x64]\ndependencies:\n  - dotnet-sdk==10.0.401\n  - torchsharp=0.107.*\n", "TENV0050", 6, 5, "write 'torchsharp==0.107.0'" },
        { "production cuda major only", "name: demo\npolicy: production\nplatforms: [linux-x64]\ndependencies:\n  - dotnet-sdk==10.0.401\n  - torchsharp==0.107.0\n  - cuda=12\n", "TENV0050", 7, 5, "Write 'cuda=12.8'" },
        { "production cudnn major only", "name: demo\npolicy: production\nplatforms: [linux-x64]\ndependencies:\n  - dotnet-sdk==10.0.401\n  - torchsharp==0.107.0\n  - cuda=12.8\n  - cudnn=9\n", "TENV0050", 8, 5, "remove the cudnn line" },
        { "production sdk wildcard", "name: demo\npolicy: production\nplatforms: [linux-x64]\ndependencies:\n  - dotnet-sdk=10.0.*\n  - torchsharp==0.107.0\n", "TENV0050", 5, 5, "dotnet --version" },
        { "production libtorch prefix", "name: demo\npolicy: production\nplatforms: [linux-x64]\ndependencies:\n  - dotnet-sdk==10.0.401\n  - torchsharp==0.107.0\n  - libtorch=2.10\n", "TENV0050", 7, 5, "libtorch==2.10.0" },
        { "production torchvision unversioned", "name: demo\npolicy: production\nplatforms: [linux-x64]\ndependencies:\n  - dotnet-sdk==10.0.401\n  - torchsharp==0.107.0\n  - torchvision\n", "TENV0050", 7, 5, "torchvision==0.107.0" },
        { "production nuget range", "name: demo\npolicy: production\nplatforms: [linux-x64]\ndependencies:\n  - dotnet-sdk==10.0.401\n  - torchsharp==0.107.0\n  - nuget: [Spectre.Console>=0.57.2]\n", "TENV0050", 7, 13, "Spectre.Console==0.57.2" },
        { "production without sdk", "name: demo\npolicy: production\nplatforms: [linux-x64]\ndependencies:\n  - torchsharp==0.107.0\n", "TENV0051", 4, 1, "'- dotnet-sdk==10.0.100'" },
        { "production variant without torchsharp", "name: demo\npolicy: production\nplatforms: [linux-x64]\ndependencies: [dotnet-sdk==10.0.401]\nvariants:\n  cpu: {}\n", "TENV0051", 6, 3, "torchsharp==0.107.0" },
        { "production http channel", "name: demo\npolicy: production\nchannels: ['http://feed.example.com/v3/index.json']\nplatforms: [linux-x64]\ndependencies: [dotnet-sdk==10.0.401, torchsharp==0.107.0]\n", "TENV0052", 3, 12, "https://" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Planning_fails_with_code_location_and_pin(string name, string yaml, string code, int line, int column, string fragment)
    {
        var spec = SpecTestFiles.Parse(yaml);

        var exception = Assert.Throws<TorchEnvException>(() => StackPlanner.PlanAll(spec));
        SpecTestFiles.AssertReports(exception, name, code, line, column, fragment);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Planning_one_variant_and_platform_checks_the_policy_too(string name, string yaml, string code, int line, int column, string fragment)
    {
        _ = (line, column, fragment);
        var spec = SpecTestFiles.Parse(yaml);
        var variant = spec.DefaultVariant;

        var exception = Assert.Throws<TorchEnvException>(() => StackPlanner.Plan(spec, variant, variant.Platforms[0]));

        Assert.True(exception.Diagnostics.Any(d => d.Code == code), $"{name}: expected {code}, got:\n{exception.Message}");
    }

    [Fact]
    public void A_top_level_range_that_every_variant_overrides_still_breaks_the_policy()
    {
        const string yaml = """
            name: demo
            policy: production
            platforms: [linux-x64]
            dependencies: [dotnet-sdk==10.0.401, torchsharp=0.107.*]
            variants:
              cpu: { dependencies: [torchsharp==0.107.0] }
            """;
        var spec = SpecTestFiles.Parse(yaml);

        var diagnostic = Assert.Single(Assert.Throws<TorchEnvException>(() => StackPlanner.PlanAll(spec)).Diagnostics);

        Assert.Equal(("TENV0050", 4), (diagnostic.Code, diagnostic.Location!.Line));
    }

    [Fact]
    public void A_production_spec_that_pins_everything_plans()
    {
        Assert.NotEmpty(StackPlanner.PlanAll(SpecTestFiles.Parse(SpecTestFiles.Production)));
    }
}
