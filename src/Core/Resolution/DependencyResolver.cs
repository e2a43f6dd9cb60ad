using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Stack;
using TorchEnv.Core.Versioning;

namespace TorchEnv.Core.Resolution;

/// <summary>What to resolve: the roots of one plan candidate, the framework, preferred versions and pruned ids.</summary>
/// <param name="Roots">Root requirements (the stack candidate's roots).</param>
/// <param name="Framework">Framework whose nearest dependency group applies.</param>
/// <param name="Preferences">Versions to keep when they still satisfy every constraint (from the previous lock), by id.</param>
/// <param name="FrameworkProvided">Packages the framework provides, by id, with the highest version provided (restore's pruning).</param>
internal sealed record ResolutionRequest(
    IReadOnlyList<PackageRequirement> Roots,
    NuGetFramework Framework,
    IReadOnlyDictionary<string, NuGetVersion> Preferences,
    IReadOnlyDictionary<string, NuGetVersion> FrameworkProvided);

/// <summary>A package of a resolved closure.</summary>
/// <param name="Identity">Id (nuspec casing) and chosen version.</param>
/// <param name="Dependencies">The nuspec's dependencies for the framework (nearest group), pruned ones included.</param>
/// <param name="IsRoot">True for a root requirement.</param>
internal sealed record ResolvedPackage(PackageIdentity Identity, IReadOnlyList<PackageDependency> Dependencies, bool IsRoot);

/// <summary>The closure of a plan: packages ordered by id, and the dependencies left out because the framework provides them.</summary>
internal sealed record ResolvedGraph(IReadOnlyList<ResolvedPackage> Packages, IReadOnlyList<PrunedPackage> Pruned);

/// <summary>
/// Chooses one version per package id so that every range in the closure is satisfied at once.
/// <list type="bullet">
/// <item>A root gets the <b>highest</b> available version its constraints allow (what the user asked for, as conda and uv do).</item>
/// <item>Any other package gets the <b>lowest</b> available version that satisfies every range on it (NuGet's
/// "lowest applicable version"; when all ranges hold at once NuGet's nearest-wins never has to pick, so the results agree).</item>
/// <item>A preferred (previously locked) version is kept while it satisfies every constraint, like uv's preferences.</item>
/// <item>A dependency whose lowest acceptable version the framework already provides is pruned, as restore does for net10.0+.</item>
/// </list>
/// The constraints depend on the versions chosen, so the choice is repeated until nothing changes (a fixed point).
/// </summary>
internal sealed class DependencyResolver(IPackageMetadataProvider provider)
{
    /// <summary>Upper bound on rounds; real graphs settle in about their depth plus a few.</summary>
    private const int MaxRounds = 100;

    private sealed record Constraint(VersionRange Range, PackageIdentity? From, string? Reason);

    public async Task<ResolvedGraph> ResolveAsync(ResolutionRequest request, CancellationToken cancellationToken)
    {
        var roots = new HashSet<string>(request.Roots.Select(r => r.Id), StringComparer.OrdinalIgnoreCase);
        var selected = new Dictionary<string, NuGetVersion>(StringComparer.OrdinalIgnoreCase);
        for (var round = 0; round < MaxRounds; round++)
        {
            var walk = await WalkAsync(request, roots, selected, cancellationToken).ConfigureAwait(false);
            var next = new Dictionary<string, NuGetVersion>(StringComparer.OrdinalIgnoreCase);
            foreach (var id in walk.Order)
            {
                next[id] = await ChooseAsync(id, walk.Constraints[id], roots.Contains(id), request, cancellationToken).ConfigureAwait(false);
            }

            if (next.Count == selected.Count && next.All(p => selected.TryGetValue(p.Key, out var v) && v == p.Value))
            {
                return await BuildAsync(request, roots, selected, walk.Pruned, cancellationToken).ConfigureAwait(false);
            }

            selected = next;
        }

        throw new TorchEnvException(ResolutionMessages.NoFixedPoint(request.Roots.Select(r => r.Id).ToList(), MaxRounds));
    }

    private sealed record Walk(
        List<string> Order, Dictionary<string, List<Constraint>> Constraints, Dictionary<string, NuGetVersion> Pruned);

    /// <summary>Breadth-first from the roots over the currently chosen versions, collecting every range on every id.</summary>
    private async Task<Walk> WalkAsync(
        ResolutionRequest request, HashSet<string> roots, Dictionary<string, NuGetVersion> selected, CancellationToken cancellationToken)
    {
        var order = new List<string>();
        var constraints = new Dictionary<string, List<Constraint>>(StringComparer.OrdinalIgnoreCase);
        var pruned = new Dictionary<string, NuGetVersion>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>();

        void Add(string id, Constraint constraint)
        {
            if (!constraints.TryGetValue(id, out var list))
            {
                constraints[id] = list = [];
                order.Add(id);
                queue.Enqueue(id);
            }

            list.Add(constraint);
        }

        foreach (var root in request.Roots)
        {
            Add(root.Id, new Constraint(root.Range, null, root.Reason));
        }

        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            if (!selected.TryGetValue(id, out var version))
            {
                continue; // chosen in this round; its dependencies join in the next one
            }

            var metadata = await MetadataAsync(new PackageIdentity(id, version), cancellationToken).ConfigureAwait(false);
            foreach (var dependency in metadata.DependenciesFor(request.Framework))
            {
                if (!roots.Contains(dependency.Id)
                    && request.FrameworkProvided.TryGetValue(dependency.Id, out var provided)
                    && (dependency.VersionRange.MinVersion ?? new NuGetVersion(0, 0, 0)) <= provided)
                {
                    pruned[dependency.Id] = provided;
                    continue;
                }

                Add(dependency.Id, new Constraint(dependency.VersionRange, metadata.Identity, null));
            }
        }

        return new Walk(order, constraints, pruned);
    }

    private async Task<NuGetVersion> ChooseAsync(
        string id, List<Constraint> constraints, bool isRoot, ResolutionRequest request, CancellationToken cancellationToken)
    {
        bool AllowedByAll(NuGetVersion v) => constraints.All(c => VersionRanges.Allows(c.Range, v));

        if (request.Preferences.TryGetValue(id, out var preferred) && AllowedByAll(preferred))
        {
            return preferred;
        }

        // Offline shortcut that cannot change the answer: the lowest acceptable version is an inclusive lower bound that
        // is already installed (so it exists), exactly as restore prefers the global packages folder.
        var lowest = LowestBound(constraints);
        if (lowest is not null && AllowedByAll(lowest) && provider.IsInstalled(new PackageIdentity(id, lowest))
            && (!isRoot || constraints.Any(c => c.From is null && VersionRanges.IsExact(c.Range))))
        {
            return lowest;
        }

        var versions = await provider.GetVersionsAsync(id, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            throw new TorchEnvException(ResolutionMessages.PackageNotFound(id, Describe(constraints)));
        }

        var allowPrerelease = constraints.Any(c => c.Range.MinVersion?.IsPrerelease == true);
        var candidates = versions.Where(v => (allowPrerelease || !v.IsPrerelease) && AllowedByAll(v)).ToList();
        if (candidates.Count == 0)
        {
            throw new TorchEnvException(ResolutionMessages.NoVersionSatisfies(id, Describe(constraints), versions));
        }

        return isRoot ? candidates.Max()! : candidates.Min()!;
    }

    private static NuGetVersion? LowestBound(List<Constraint> constraints)
    {
        NuGetVersion? lowest = null;
        foreach (var constraint in constraints)
        {
            var min = constraint.Range.MinVersion;
            if (min is null || !constraint.Range.IsMinInclusive || constraint.Range.IsFloating)
            {
                return null;
            }

            if (lowest is null || min > lowest)
            {
                lowest = min;
            }
        }

        return lowest;
    }

    private static IReadOnlyList<string> Describe(List<Constraint> constraints) =>
        constraints.Select(c => c.From is null
                ? $"{c.Range.PrettyPrint()} from {c.Reason}"
                : $"{c.Range.PrettyPrint()} from {c.From.Id} {c.From.Version.ToNormalizedString()}")
            .ToList();

    private async Task<PackageMetadata> MetadataAsync(PackageIdentity identity, CancellationToken cancellationToken) =>
        await provider.GetMetadataAsync(identity, cancellationToken).ConfigureAwait(false)
        ?? throw new TorchEnvException(ResolutionMessages.PackageNotFound(identity.Id, [identity.Version.ToNormalizedString()]));

    private async Task<ResolvedGraph> BuildAsync(
        ResolutionRequest request,
        HashSet<string> roots,
        Dictionary<string, NuGetVersion> selected,
        Dictionary<string, NuGetVersion> pruned,
        CancellationToken cancellationToken)
    {
        var packages = new List<ResolvedPackage>();
        foreach (var (id, version) in selected)
        {
            var metadata = await MetadataAsync(new PackageIdentity(id, version), cancellationToken).ConfigureAwait(false);
            packages.Add(new ResolvedPackage(metadata.Identity, metadata.DependenciesFor(request.Framework), roots.Contains(id)));
        }

        packages.Sort((a, b) => string.Compare(a.Identity.Id, b.Identity.Id, StringComparison.OrdinalIgnoreCase));
        var prunedList = pruned
            .Where(p => !selected.ContainsKey(p.Key))
            .OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
            .Select(p => new PrunedPackage(p.Key, p.Value.ToNormalizedString()))
            .ToList();
        return new ResolvedGraph(packages, prunedList);
    }
}
