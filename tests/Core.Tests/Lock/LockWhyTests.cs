using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Tests.Lock;

public sealed class LockWhyTests(LockFeedFixture fixture) : IClassFixture<LockFeedFixture>
{
    [Fact]
    public void A_transitive_package_shows_every_chain_from_the_spec_and_the_range_that_chose_its_version()
    {
        var result = Assert.Single(LockWhy.Explain(fixture.Lock, "google.protobuf", platform: "win-x64"));

        Assert.Equal("3.25.1", result.Package!.Version);
        Assert.Equal(
            [
                "Extra.Lib 1.0.0 → Google.Protobuf 3.25.1",
                "TorchSharp 0.107.0 → Google.Protobuf 3.25.1",
                "TorchVision 0.107.0 → TorchSharp 0.107.0 → Google.Protobuf 3.25.1",
            ],
            result.Chains.Select(c => string.Join(" → ", c.Steps.Select(s => $"{s.Id} {s.Version}"))));
        Assert.Contains("environment.yml:9", result.Chains[0].Root.Reason);
        Assert.Equal(
            [("[3.25.1, )", "Extra.Lib"), ("[3.21.9, )", "TorchSharp")],
            result.Constraints.Select(c => (c.Range, c.FromId)));
        Assert.Equal(("[3.25.1, )", "Extra.Lib", "1.0.0"), (result.Deciding!.Range, result.Deciding.FromId, result.Deciding.FromVersion));
    }

    [Fact]
    public void A_root_is_decided_by_its_spec_line()
    {
        var results = LockWhy.Explain(fixture.Lock, "TorchSharp");

        Assert.Equal(2, results.Count); // both platforms
        var result = results[0];
        Assert.Null(result.Deciding!.FromId);
        Assert.Equal("[0.107.0, 0.107.0]", result.Deciding.Range);
        Assert.Contains("torchsharp=", result.Deciding.Reason);
        Assert.Equal(2, result.Constraints.Count); // the root, and TorchVision's [0.107.0, )
    }

    [Fact]
    public void A_pruned_package_is_explained_as_provided_by_the_framework()
    {
        var result = Assert.Single(LockWhy.Explain(fixture.Lock, "System.Memory", "cpu", "osx-arm64"));

        Assert.Null(result.Package);
        Assert.Equal("5.0.0", result.Pruned!.ProvidedVersion);
        Assert.Null(result.Deciding);
        Assert.Contains(result.Chains, c => c.Steps[^1].Id == "System.Memory" && c.Steps[^2].Id == "TorchSharp");
    }

    [Fact]
    public void An_unknown_package_has_no_explanation()
    {
        Assert.Empty(LockWhy.Explain(fixture.Lock, "Not.There"));
    }
}
