using NuGet.Versioning;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Spec.MatchSpecs;

namespace TorchEnv.Core.Tests.Spec;

/// <summary>The conda match spec → NuGet version range table (docs/environment-yml.md shows the same table).</summary>
public sealed class CondaVersionSpecTests
{
    public static TheoryData<string, string> Mappings => new()
    {
        // conda's fuzzy "=": fewer parts than a full version means "starts with".
        { "torchsharp=1.2", "[1.2.0, 1.3.0)" },
        { "torchsharp=1", "[1.0.0, 2.0.0)" },
        { "torchsharp=0.107.*", "[0.107.0, 0.108.0)" },
        { "torchsharp=1.2.*", "[1.2.0, 1.3.0)" },
        { "torchsharp=1.*", "[1.0.0, 2.0.0)" },
        { "torchsharp 1.2.*", "[1.2.0, 1.3.0)" },
        { "torchsharp 1.2*", "[1.2.0, 1.3.0)" },
        { "torchsharp=*", "(, )" },
        { "torchsharp", "(, )" },
        // Every part given: exact (NuGet packages here use three-part versions).
        { "torchsharp=1.2.3", "[1.2.3]" },
        { "torchsharp==1.2.3", "[1.2.3]" },
        { "torchsharp==1.2", "[1.2.0]" },
        { "torchsharp 1.2.3", "[1.2.3]" },
        { "libtorch=1.13.0.1", "[1.13.0.1]" },
        { "libtorch=2.2.1.*", "[2.2.1, 2.2.2)" },
        { "Spectre.Console=0.57.2", "[0.57.2]" },
        { "Spectre.Console=1.0.0-beta.1", "[1.0.0-beta.1]" },
        { "Spectre.Console==1.0-rc", "[1.0.0-rc]" },
        // Comparisons, combined with ",".
        { "torchsharp>=1.2,<2", "[1.2.0, 2.0.0)" },
        { "torchsharp >=1.2,<2", "[1.2.0, 2.0.0)" },
        { "torchsharp>=1.2, <2", "[1.2.0, 2.0.0)" },
        { "torchsharp>= 1.2", "[1.2.0, )" },
        { "torchsharp>1", "(1.0.0, )" },
        { "torchsharp<=2", "(, 2.0.0]" },
        { "torchsharp<2", "(, 2.0.0)" },
        { "torchsharp>=0.105,<0.108,>0.106", "(0.106.0, 0.108.0)" },
        { "torchsharp>=1.2,<=1.2", "[1.2.0]" },
        // Compatible release (PEP 440's ~=).
        { "torchsharp~=1.2", "[1.2.0, 2.0.0)" },
        { "torchsharp~=1.2.3", "[1.2.3, 1.3.0)" },
        // CUDA versions have two parts: cuda=12.8 is exact, cuda=12 is any 12.x.
        { "cuda=12.8", "[12.8]" },
        { "cuda 12.8", "[12.8]" },
        { "cuda=12", "[12.0, 13.0)" },
        { "cuda=12.*", "[12.0, 13.0)" },
        { "cuda>=11.7,<12.2", "[11.7.0, 12.2.0)" },
        { "cudnn=9", "[9.0.0, 10.0.0)" },
        { "dotnet-sdk=10.0.*", "[10.0.0, 10.1.0)" },
        { "dotnet-sdk=10.0", "[10.0.0, 10.1.0)" },
        { "dotnet-sdk=10.0.401", "[10.0.401]" },
    };

    [Theory]
    [MemberData(nameof(Mappings))]
    public void Maps_conda_match_spec_onto_nuget_range(string matchSpec, string expected)
    {
        var parsed = Parse(matchSpec);

        Assert.Null(parsed.Version.Error);
        Assert.Equal(VersionRange.Parse(expected), parsed.Version.Range);
        Assert.Equal(VersionRange.Parse(expected).ToNormalizedString(), parsed.Version.Range!.ToNormalizedString());
    }

    [Theory]
    [InlineData("torchsharp=0.107.*", "0.107.*")]
    [InlineData("torchsharp=0.107.0", "0.107.0")]
    [InlineData("torchsharp==0.107.0", "==0.107.0")]
    [InlineData("torchsharp >=0.105,<0.108", ">=0.105,<0.108")]
    [InlineData("torchsharp 0.107.*", "0.107.*")]
    [InlineData("cpu", null)]
    public void Keeps_the_version_text_as_written(string matchSpec, string? versionText) =>
        Assert.Equal(versionText, Parse(matchSpec).Version.VersionText);

    [Theory]
    [InlineData("torchsharp!=1.2", "NotEqual", 10)]
    [InlineData("torchsharp=1.2|1.4", "Or", 14)]
    [InlineData("torchsharp=1.2=cpu_0", "BuildString", 15)]
    [InlineData("torchsharp==1.2.3=cpu_0", "BuildString", 18)]
    [InlineData("torchsharp 1.2 py_0", "BuildString", 15)]
    [InlineData("torchsharp=1.x", "InvalidVersion", 11)]
    [InlineData("torchsharp=", "InvalidVersion", 11)]
    [InlineData("torchsharp>=1.2.*", "MisplacedWildcard", 12)]
    [InlineData("torchsharp==1.2.*", "MisplacedWildcard", 12)]
    [InlineData("torchsharp~=1.*", "MisplacedWildcard", 12)]
    [InlineData("torchsharp~=1", "CompatibleNeedsTwoParts", 10)]
    [InlineData("torchsharp>=2,<1", "EmptyRange", 10)]
    [InlineData("torchsharp>=1.2,,<2", "EmptyConstraint", 16)]
    [InlineData("torchsharp@1.2", "Syntax", 10)]
    [InlineData("torchsharp[version='1.2']", "BracketForm", 10)]
    [InlineData("conda-forge::torchsharp", "ChannelPrefix", 0)]
    [InlineData(">=1.2", "Syntax", 0)]
    public void Rejects_what_nuget_ranges_cannot_express(string matchSpec, string kind, int offset)
    {
        var error = Parse(matchSpec).Version.Error;

        Assert.NotNull(error);
        Assert.Equal((kind, offset), (error.Kind.ToString(), error.Offset));
    }

    private static ParsedMatchSpec Parse(string matchSpec) =>
        CondaMatchSpec.Parse(matchSpec, name => KnownDependencies.Find(name) is { } kind ? KnownDependencies.FullParts(kind) : 3);
}
