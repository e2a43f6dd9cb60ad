using NuGet.Common;
using NuGet.Frameworks;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;

namespace TorchEnv.Core.Tests.Resolution;

public sealed class DependencyResolverTests(ResolverFeedFixture fixture) : IClassFixture<ResolverFeedFixture>
{
    private static readonly NuGetFramework Net10 = NuGetFramework.Parse("net10.0");

    private async Task<Dictionary<string, string>> Resolve(
        IEnumerable<(string Id, string Range)> roots,
        IReadOnlyDictionary<string, NuGetVersion>? preferences = null,
        IReadOnlyDictionary<string, NuGetVersion>? provided = null,
        NuGetFramework? framework = null,
        string? packagesFolder = null)
    {
        var graph = await ResolveGraph(roots, preferences, provided, framework, packagesFolder);
        return graph.Packages.ToDictionary(p => p.Identity.Id, p => p.Identity.Version.ToNormalizedString());
    }

    private async Task<ResolvedGraph> ResolveGraph(
        IEnumerable<(string Id, string Range)> roots,
        IReadOnlyDictionary<string, NuGetVersion>? preferences = null,
        IReadOnlyDictionary<string, NuGetVersion>? provided = null,
        NuGetFramework? framework = null,
        string? packagesFolder = null)
    {
        var sources = PackageSourceSet.Load(fixture.SpecPath, [new ChannelSpec(fixture.Feed.Folder, new SourceLocation(fixture.SpecPath, 2, 1))],
            packagesFolder ?? fixture.NewPackagesFolder());
        using var feed = new PackageFeed(sources, NullLogger.Instance);
        var request = new ResolutionRequest(
            roots.Select(r => new PackageRequirement(r.Id, VersionRange.Parse(r.Range), $"{r.Id} (environment.yml:9)")).ToList(),
            framework ?? Net10,
            preferences ?? new Dictionary<string, NuGetVersion>(),
            provided ?? new Dictionary<string, NuGetVersion>());
        return await new DependencyResolver(feed).ResolveAsync(request, CancellationToken.None);
    }

    [Fact]
    public async Task A_root_gets_the_highest_version_its_range_allows()
    {
        var versions = await Resolve([("App.Core", "[1.0.0, 2.0.0)")]);

        Assert.Equal("1.1.0", versions["App.Core"]);
    }

    [Fact]
    public async Task A_transitive_dependency_gets_the_lowest_version_that_satisfies_every_range()
    {
        // App.Core 1.1.0 wants Shared >= 1.0.0, App.Extra wants Shared >= 1.2.0: 1.2.0, not the newest 2.0.0.
        var versions = await Resolve([("App.Core", "[1.0.0, 2.0.0)"), ("App.Extra", "1.0.0")]);

        Assert.Equal("1.2.0", versions["Shared"]);
        Assert.Equal("1.0.0", versions["Leaf"]);
    }

    [Fact]
    public async Task A_dependency_range_whose_lower_bound_is_missing_gets_the_next_available_version()
    {
        // No source has Shared 1.1.0; [1.1.0, ) takes 1.2.0 as restore does (NU1603), not the newest.
        var versions = await Resolve([("WantsShared11", "1.0.0")]);

        Assert.Equal("1.2.0", versions["Shared"]);
    }

    [Fact]
    public async Task A_preferred_version_is_kept_while_it_satisfies_every_constraint()
    {
        var preferences = new Dictionary<string, NuGetVersion>(StringComparer.OrdinalIgnoreCase)
        {
            ["App.Core"] = NuGetVersion.Parse("1.0.0"),
            ["Shared"] = NuGetVersion.Parse("1.3.0"),
        };

        var versions = await Resolve([("App.Core", "[1.0.0, 2.0.0)"), ("App.Extra", "1.0.0")], preferences);

        Assert.Equal("1.0.0", versions["App.Core"]);
        Assert.Equal("1.3.0", versions["Shared"]);
    }

    [Fact]
    public async Task A_preferred_version_that_no_longer_satisfies_a_range_is_replaced()
    {
        var preferences = new Dictionary<string, NuGetVersion>(StringComparer.OrdinalIgnoreCase) { ["Shared"] = NuGetVersion.Parse("1.0.0") };

        var versions = await Resolve([("App.Core", "[1.0.0, 2.0.0)"), ("App.Extra", "1.0.0")], preferences);

        Assert.Equal("1.2.0", versions["Shared"]);
    }

    [Fact]
    public async Task Dependencies_come_from_the_nearest_framework_group()
    {
        var onNet10 = await Resolve([("Multi", "1.0.0")]);
        var onNetStandard = await Resolve([("Multi", "1.0.0")], framework: NuGetFramework.Parse("netstandard2.1"));

        Assert.Equal(["Leaf", "Multi"], onNet10.Keys.Order());
        Assert.Equal("1.1.0", onNet10["Leaf"]);
        Assert.Equal(["Leaf", "Multi", "Shared"], onNetStandard.Keys.Order());
    }

    [Fact]
    public async Task A_dependency_the_framework_provides_is_pruned_and_recorded()
    {
        var provided = new Dictionary<string, NuGetVersion>(StringComparer.OrdinalIgnoreCase) { ["Provided.Memory"] = NuGetVersion.Parse("5.0.0") };

        var graph = await ResolveGraph([("UsesMemory", "1.0.0")], provided: provided);

        Assert.Equal(["UsesMemory"], graph.Packages.Select(p => p.Identity.Id));
        Assert.Equal("Provided.Memory", Assert.Single(graph.Pruned).Id);
        Assert.Equal("5.0.0", graph.Pruned[0].ProvidedVersion);
        Assert.Equal("Provided.Memory", Assert.Single(graph.Packages[0].Dependencies).Id);
    }

    [Fact]
    public async Task A_root_is_never_pruned()
    {
        var provided = new Dictionary<string, NuGetVersion>(StringComparer.OrdinalIgnoreCase) { ["Provided.Memory"] = NuGetVersion.Parse("5.0.0") };

        var versions = await Resolve([("Provided.Memory", "4.5.5"), ("UsesMemory", "1.0.0")], provided: provided);

        Assert.Equal("4.5.5", versions["Provided.Memory"]);
    }

    [Fact]
    public async Task Conflicting_ranges_are_an_error_that_lists_every_constraint()
    {
        var error = await Assert.ThrowsAsync<TorchEnvException>(() => Resolve([("App.Extra", "1.0.0"), ("Conflicting", "1.0.0")]));

        Assert.Equal("TENV0205", error.Diagnostic.Code);
        Assert.Contains("'Leaf'", error.Diagnostic.Message);
        Assert.Contains("[1.0.0, 2.0.0) from App.Extra 1.0.0", error.Diagnostic.Message.Replace("(>= 1.0.0 && < 2.0.0)", "[1.0.0, 2.0.0)"));
        Assert.Contains("Available: 1.0.0, 1.1.0, 2.5.0", error.Diagnostic.Message);
    }

    [Fact]
    public async Task An_unknown_package_is_an_error()
    {
        var error = await Assert.ThrowsAsync<TorchEnvException>(() => Resolve([("Does.Not.Exist", "1.0.0")]));

        Assert.Equal("TENV0204", error.Diagnostic.Code);
        Assert.Contains("Does.Not.Exist", error.Diagnostic.Message);
    }

    [Fact]
    public async Task Prerelease_versions_are_chosen_only_when_a_range_asks_for_one()
    {
        var stable = await Assert.ThrowsAsync<TorchEnvException>(() => Resolve([("Preview", "1.0.0")]));
        var preview = await Resolve([("Preview", "1.0.0-beta.1")]);

        Assert.Equal("TENV0205", stable.Diagnostic.Code);
        Assert.Equal("1.0.0-beta.1", preview["Preview"]);
    }
}
