using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Tests.Spec;

/// <summary>Spec texts used by several test classes, and parsing helpers.</summary>
internal static class SpecTestFiles
{
    public const string FileName = "environment.yml";

    /// <summary>The example of DESIGN.md, verbatim.</summary>
    public const string DesignExample = """
        name: mnist_torchsharp_cpu          # <project>_<framework>_<device>
        channels: [nuget.org]               # NuGet sources, by name from NuGet.config or by URL
        policy: research                    # research: ranges allowed; production: every key component pinned exactly
        platforms: [linux-x64, win-x64, osx-arm64]
        dependencies:
          - dotnet-sdk=10.0.*               # pins the .NET SDK too (global.json)
          - torchsharp=0.107.*
          - cuda=12.8                       # or: cpu
          - cudnn=9
          - torchvision=0.107.0
          - nuget:                          # any other NuGet package, locked the same way
              - Spectre.Console=0.57.2
        """;

    /// <summary>A CPU variant for CI beside a CUDA variant for training machines.</summary>
    public const string CpuAndCudaVariants = """
        name: mnist_net10_multi
        channels: [nuget.org]
        platforms: [linux-x64, win-x64]
        dependencies:
          - dotnet-sdk=10.0.*
          - torchsharp=0.107.*
          - torchvision
        variants:
          cpu:
            dependencies: [cpu]
            platforms: [linux-x64, win-x64, osx-arm64]
          cuda:
            dependencies:
              - cuda=12.8
              - cudnn=9
        """;

    /// <summary>Everything pinned, HTTPS and folder sources only.</summary>
    public const string Production = """
        name: mnist_net10_cuda
        channels:
          - https://api.nuget.org/v3/index.json
          - ./vendor/packages
        policy: production
        platforms: [linux-x64]
        dependencies:
          - dotnet-sdk==10.0.401
          - torchsharp==0.107.0
          - cuda=12.8
          - cudnn==9.10.2
          - torchvision==0.107.0
          - libtorch==2.10.0
          - nuget:
              - Spectre.Console==0.57.2
        """;

    public static EnvironmentSpec Parse(string text) => EnvironmentSpecReader.Parse(text, FileName);

    public static TorchEnvException Fails(string text) =>
        Assert.Throws<TorchEnvException>(() => EnvironmentSpecReader.Parse(text, FileName));

    /// <summary>
    /// Asserts that <paramref name="exception"/> reports the error <paramref name="code"/> at line and column of the spec,
    /// with <paramref name="fragment"/> in its message or fix, and that every diagnostic it carries has a fix.
    /// </summary>
    public static void AssertReports(TorchEnvException exception, string name, string code, int line, int column, string fragment)
    {
        var diagnostic = exception.Diagnostics.FirstOrDefault(d => d.Code == code);
        Assert.True(diagnostic is not null, $"{name}: expected {code}, got:\n{exception.Message}");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal((FileName, line, column), (diagnostic.Location!.File, diagnostic.Location.Line, diagnostic.Location.Column));
        Assert.Contains(fragment, diagnostic.Message + " Fix: " + diagnostic.Fix, StringComparison.OrdinalIgnoreCase);
        Assert.All(exception.Diagnostics, d => Assert.False(string.IsNullOrWhiteSpace(d.Fix), $"{d.Code} has no fix"));
    }
}
