using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Resolution;

/// <summary>
/// A local feed of tiny packages whose graph exercises the resolver's rules, and an isolated global packages folder
/// (fake packages must never reach the real one). Built once per test class.
/// </summary>
public sealed class ResolverFeedFixture : IDisposable
{
    private readonly TempDirectory _root = new("torchenv-resolver");

    public ResolverFeedFixture()
    {
        Feed = new LocalFeed(_root.Combine("feed"));
        SpecPath = _root.WriteFile("project/environment.yml", "# hand-built plans; the text is not read\n");

        // Root candidates: the highest in range wins.
        Feed.Add("App.Core", "1.0.0", p => p.DependsOn("Shared", "1.0.0"));
        Feed.Add("App.Core", "1.1.0", p => p.DependsOn("Shared", "1.0.0"));
        Feed.Add("App.Core", "2.0.0", p => p.DependsOn("Shared", "2.0.0"));
        Feed.Add("App.Extra", "1.0.0", p => p.DependsOn("Shared", "1.2.0").DependsOn("Leaf", "[1.0.0, 2.0.0)"));

        // Transitive: the lowest version satisfying every range.
        foreach (var v in new[] { "1.0.0", "1.2.0", "1.3.0", "1.5.0", "2.0.0" })
        {
            Feed.Add("Shared", v, p => p.DependsOn("Leaf", "1.0.0"));
        }

        foreach (var v in new[] { "1.0.0", "1.1.0", "2.5.0" })
        {
            Feed.Add("Leaf", v);
        }

        Feed.Add("WantsShared11", "1.0.0", p => p.DependsOn("Shared", "1.1.0"));

        // Framework groups: net8.0 group vs netstandard2.0 group.
        Feed.Add("Multi", "1.0.0", p => p
            .DependsOn("Leaf", "1.1.0", "net8.0")
            .DependsOn("Shared", "1.0.0", "netstandard2.0"));

        // A dependency the framework provides (restore prunes it on net10.0).
        Feed.Add("Provided.Memory", "4.5.5");
        Feed.Add("UsesMemory", "1.0.0", p => p.DependsOn("Provided.Memory", "4.5.5"));

        // A conflict: no Leaf is both < 2.0.0 (App.Extra) and >= 2.5.0 (Conflicting).
        Feed.Add("Conflicting", "1.0.0", p => p.DependsOn("Leaf", "2.5.0"));

        // Prerelease only.
        Feed.Add("Preview", "1.0.0-beta.1");
    }

    public LocalFeed Feed { get; }

    public string SpecPath { get; }

    /// <summary>A fresh, empty global packages folder for one test.</summary>
    public string NewPackagesFolder() => _root.Combine("packages-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => _root.Dispose();
}
