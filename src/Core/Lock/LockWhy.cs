using NuGet.Versioning;

namespace TorchEnv.Core.Lock;

/// <summary>One step of a dependency chain: a locked package and the range its parent asked for.</summary>
/// <param name="Id">Package id.</param>
/// <param name="Version">Locked version (the provided version for a pruned package).</param>
/// <param name="Range">The range the previous step (or the root requirement) put on it.</param>
public sealed record WhyStep(string Id, string Version, string Range);

/// <summary>A chain from a spec line, through a root requirement, to the package.</summary>
/// <param name="Root">The root requirement (its <see cref="LockedRoot.Reason"/> names the spec line).</param>
/// <param name="Steps">The root package first, the asked-about package last.</param>
public sealed record WhyChain(LockedRoot Root, IReadOnlyList<WhyStep> Steps);

/// <summary>A range placed on the package by a root requirement or by another locked package.</summary>
/// <param name="Range">The range, NuGet's normalised form.</param>
/// <param name="FromId">The package whose nuspec asks for it; null for a root requirement.</param>
/// <param name="FromVersion">That package's locked version; null for a root.</param>
/// <param name="Reason">For a root: the spec line and stack-matrix step.</param>
public sealed record WhyConstraint(string Range, string? FromId, string? FromVersion, string? Reason);

/// <summary>Why a package is in one locked environment and why at this version.</summary>
/// <param name="Environment">The variant × platform.</param>
/// <param name="Package">The locked package; null when it is pruned (the framework provides it).</param>
/// <param name="Pruned">Set when the framework provides the package instead.</param>
/// <param name="Chains">Paths from the spec to it, shortest first (at most <see cref="LockWhy.MaxChains"/>).</param>
/// <param name="Constraints">Every range on it.</param>
/// <param name="Deciding">The range that chose the version: for a root the root's range (highest allowed), otherwise the
/// range with the highest lower bound (lowest version satisfying them all); null for a pruned package.</param>
public sealed record WhyResult(
    LockedEnvironment Environment,
    LockedPackage? Package,
    PrunedPackage? Pruned,
    IReadOnlyList<WhyChain> Chains,
    IReadOnlyList<WhyConstraint> Constraints,
    WhyConstraint? Deciding);

/// <summary>Explains a locked package (<c>torchenv why ID</c>): a pure function over the lock.</summary>
public static class LockWhy
{
    /// <summary>Most chains returned per environment (a diamond-rich graph can have very many).</summary>
    public const int MaxChains = 20;

    /// <summary>
    /// For every environment (or only the given variant and/or platform) that locks or prunes <paramref name="packageId"/>,
    /// the chains from the spec to it and the constraint that chose its version. Empty when no environment has it.
    /// </summary>
    public static IReadOnlyList<WhyResult> Explain(EnvironmentLock lockFile, string packageId, string? variant = null, string? platform = null)
    {
        var results = new List<WhyResult>();
        foreach (var environment in lockFile.Environments)
        {
            if ((variant is not null && !string.Equals(environment.Variant, variant, StringComparison.OrdinalIgnoreCase))
                || (platform is not null && !string.Equals(environment.Platform, platform, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var package = environment.Find(packageId);
            var pruned = package is null
                ? environment.Pruned.FirstOrDefault(p => string.Equals(p.Id, packageId, StringComparison.OrdinalIgnoreCase))
                : null;
            if (package is null && pruned is null)
            {
                continue;
            }

            var constraints = Constraints(environment, packageId);
            results.Add(new WhyResult(
                environment, package, pruned, Chains(environment, packageId, pruned), constraints,
                package is null ? null : Deciding(constraints)));
        }

        return results;
    }

    private static List<WhyConstraint> Constraints(LockedEnvironment environment, string id)
    {
        var constraints = environment.Roots
            .Where(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase))
            .Select(r => new WhyConstraint(r.Range, null, null, r.Reason))
            .ToList();
        foreach (var package in environment.Packages.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase))
        {
            foreach (var dependency in package.Dependencies.Where(d => string.Equals(d.Id, id, StringComparison.OrdinalIgnoreCase)))
            {
                constraints.Add(new WhyConstraint(dependency.Range, package.Id, package.Version, null));
            }
        }

        return constraints;
    }

    private static WhyConstraint? Deciding(List<WhyConstraint> constraints)
    {
        var root = constraints.FirstOrDefault(c => c.FromId is null);
        if (root is not null)
        {
            return root;
        }

        return constraints
            .OrderByDescending(c => VersionRange.TryParse(c.Range, out var r) ? r.MinVersion : null)
            .ThenBy(c => c.FromId, StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault();
    }

    private static List<WhyChain> Chains(LockedEnvironment environment, string target, PrunedPackage? pruned)
    {
        var chains = new List<WhyChain>();
        var reaching = Reaching(environment, target);
        foreach (var root in environment.Roots)
        {
            var rootPackage = environment.Find(root.Id);
            if (rootPackage is null || !reaching.Contains(rootPackage.Id))
            {
                continue;
            }

            var path = new List<WhyStep> { new(rootPackage.Id, rootPackage.Version, root.Range) };
            var onPath = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { rootPackage.Id };
            Walk(environment, target, pruned, root, path, onPath, reaching, chains);
        }

        return chains.OrderBy(c => c.Steps.Count).ThenBy(c => string.Join("/", c.Steps.Select(s => s.Id)), StringComparer.OrdinalIgnoreCase)
            .Take(MaxChains).ToList();
    }

    private static void Walk(
        LockedEnvironment environment, string target, PrunedPackage? pruned, LockedRoot root,
        List<WhyStep> path, HashSet<string> onPath, HashSet<string> reaching, List<WhyChain> chains)
    {
        if (chains.Count >= MaxChains * 4)
        {
            return; // enough to pick the shortest from
        }

        var last = path[^1];
        if (string.Equals(last.Id, target, StringComparison.OrdinalIgnoreCase))
        {
            chains.Add(new WhyChain(root, path.ToList()));
            return;
        }

        var package = environment.Find(last.Id);
        foreach (var dependency in package?.Dependencies ?? [])
        {
            if (onPath.Contains(dependency.Id) || !reaching.Contains(dependency.Id))
            {
                continue;
            }

            var next = environment.Find(dependency.Id);
            string? version = next?.Version;
            if (next is null && pruned is not null && string.Equals(dependency.Id, target, StringComparison.OrdinalIgnoreCase))
            {
                version = pruned.ProvidedVersion;
            }

            if (version is null)
            {
                continue;
            }

            path.Add(new WhyStep(next?.Id ?? dependency.Id, version, dependency.Range));
            onPath.Add(dependency.Id);
            Walk(environment, target, pruned, root, path, onPath, reaching, chains);
            onPath.Remove(dependency.Id);
            path.RemoveAt(path.Count - 1);
        }
    }

    /// <summary>The ids from which <paramref name="target"/> can be reached over locked dependency edges (target included).</summary>
    private static HashSet<string> Reaching(LockedEnvironment environment, string target)
    {
        var reaching = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { target };
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var package in environment.Packages)
            {
                if (!reaching.Contains(package.Id) && package.Dependencies.Any(d => reaching.Contains(d.Id)))
                {
                    reaching.Add(package.Id);
                    changed = true;
                }
            }
        }

        return reaching;
    }
}
