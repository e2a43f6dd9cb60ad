namespace TorchEnv.Core.Lock;

/// <summary>How a variant × platform differs between two locks.</summary>
public enum EnvironmentChangeKind
{
    /// <summary>Only in the new lock.</summary>
    Added,

    /// <summary>Only in the old lock.</summary>
    Removed,

    /// <summary>In both, with differences.</summary>
    Changed,
}

/// <summary>How a package differs between two locks.</summary>
public enum PackageChangeKind
{
    /// <summary>Only in the new lock.</summary>
    Added,

    /// <summary>Only in the old lock.</summary>
    Removed,

    /// <summary>Newer version in the new lock.</summary>
    Upgraded,

    /// <summary>Older version in the new lock.</summary>
    Downgraded,

    /// <summary>Same version, but its hash, source or dependencies differ.</summary>
    Changed,
}

/// <summary>One package difference.</summary>
/// <param name="Id">Package id.</param>
/// <param name="Kind">What changed.</param>
/// <param name="OldVersion">Version in the old lock, null when added.</param>
/// <param name="NewVersion">Version in the new lock, null when removed.</param>
/// <param name="Details">For <see cref="PackageChangeKind.Changed"/> (and version changes), which fields differ: <c>sha512</c>, <c>source</c>, <c>dependencies</c>.</param>
public sealed record PackageChange(string Id, PackageChangeKind Kind, string? OldVersion, string? NewVersion, IReadOnlyList<string> Details);

/// <summary>A difference in an environment-level field (spec hash, framework, stack, host requirements, roots, pruned).</summary>
/// <param name="Field">Field path as in the lock file, e.g. <c>stack.cudnn</c>, <c>host.glibcxx</c>.</param>
/// <param name="Old">Old value (null when absent).</param>
/// <param name="New">New value (null when absent).</param>
public sealed record FieldChange(string Field, string? Old, string? New);

/// <summary>The differences of one variant × platform.</summary>
/// <param name="Variant">Variant name.</param>
/// <param name="Platform">Runtime identifier.</param>
/// <param name="Kind">Added, removed or changed.</param>
/// <param name="Packages">Package differences, ordered by id.</param>
/// <param name="Fields">Environment-level field differences, in lock-file order.</param>
public sealed record EnvironmentDiff(
    string Variant, string Platform, EnvironmentChangeKind Kind, IReadOnlyList<PackageChange> Packages, IReadOnlyList<FieldChange> Fields)
{
    /// <summary>The variant × platform key, e.g. <c>cpu/linux-x64</c>.</summary>
    public string Key => Variant + "/" + Platform;

    /// <summary>One line per difference, for messages and plain-text output.</summary>
    public IEnumerable<string> Describe()
    {
        if (Kind != EnvironmentChangeKind.Changed)
        {
            yield return $"{Key} {(Kind == EnvironmentChangeKind.Added ? "added" : "removed")}";
        }

        foreach (var field in Fields)
        {
            yield return $"{Key} {field.Field}: {field.Old ?? "(none)"} → {field.New ?? "(none)"}";
        }

        foreach (var package in Packages)
        {
            yield return package.Kind switch
            {
                PackageChangeKind.Added => $"{Key} + {package.Id} {package.NewVersion}",
                PackageChangeKind.Removed => $"{Key} - {package.Id} {package.OldVersion}",
                PackageChangeKind.Changed => $"{Key} ~ {package.Id} {package.NewVersion} ({string.Join(", ", package.Details)})",
                _ => $"{Key} ~ {package.Id} {package.OldVersion} → {package.NewVersion}",
            };
        }
    }
}

/// <summary>Compares two locks per variant × platform (<c>torchenv diff OLD NEW</c>). A pure function of the two locks.</summary>
public static class LockDiff
{
    /// <summary>
    /// The differences from <paramref name="old"/> to <paramref name="new"/>, ordered as the new lock orders its
    /// environments (removed ones last). Unchanged environments are left out, so an empty list means "no difference"
    /// (the tool version is informational and not compared).
    /// </summary>
    public static IReadOnlyList<EnvironmentDiff> Compare(EnvironmentLock? old, EnvironmentLock @new)
    {
        var result = new List<EnvironmentDiff>();
        foreach (var environment in @new.Environments)
        {
            var before = old?.Find(environment.Variant, environment.Platform);
            if (before is null)
            {
                result.Add(new EnvironmentDiff(environment.Variant, environment.Platform, EnvironmentChangeKind.Added,
                    environment.Packages.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
                        .Select(p => new PackageChange(p.Id, PackageChangeKind.Added, null, p.Version, [])).ToList(), []));
                continue;
            }

            var packages = ComparePackages(before, environment);
            var fields = CompareFields(before, environment);
            if (packages.Count > 0 || fields.Count > 0)
            {
                result.Add(new EnvironmentDiff(environment.Variant, environment.Platform, EnvironmentChangeKind.Changed, packages, fields));
            }
        }

        foreach (var environment in old?.Environments ?? [])
        {
            if (@new.Find(environment.Variant, environment.Platform) is null)
            {
                result.Add(new EnvironmentDiff(environment.Variant, environment.Platform, EnvironmentChangeKind.Removed,
                    environment.Packages.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase)
                        .Select(p => new PackageChange(p.Id, PackageChangeKind.Removed, p.Version, null, [])).ToList(), []));
            }
        }

        return result;
    }

    private static List<PackageChange> ComparePackages(LockedEnvironment old, LockedEnvironment @new)
    {
        var changes = new List<PackageChange>();
        var ids = old.Packages.Select(p => p.Id).Concat(@new.Packages.Select(p => p.Id))
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase);
        foreach (var id in ids)
        {
            var before = old.Find(id);
            var after = @new.Find(id);
            if (before is null)
            {
                changes.Add(new PackageChange(after!.Id, PackageChangeKind.Added, null, after.Version, []));
                continue;
            }

            if (after is null)
            {
                changes.Add(new PackageChange(before.Id, PackageChangeKind.Removed, before.Version, null, []));
                continue;
            }

            var details = new List<string>();
            if (!string.Equals(before.Sha512, after.Sha512, StringComparison.Ordinal))
            {
                details.Add("sha512");
            }

            if (!string.Equals(before.Source, after.Source, StringComparison.Ordinal))
            {
                details.Add("source");
            }

            if (!Dependencies(before).SequenceEqual(Dependencies(after)))
            {
                details.Add("dependencies");
            }

            var versionChanged = !string.Equals(before.Version, after.Version, StringComparison.OrdinalIgnoreCase);
            if (!versionChanged && details.Count == 0)
            {
                continue;
            }

            var kind = !versionChanged
                ? PackageChangeKind.Changed
                : NuGet.Versioning.NuGetVersion.TryParse(before.Version, out var b) && NuGet.Versioning.NuGetVersion.TryParse(after.Version, out var a) && a < b
                    ? PackageChangeKind.Downgraded
                    : PackageChangeKind.Upgraded;
            changes.Add(new PackageChange(after.Id, kind, before.Version, after.Version, versionChanged ? [] : details));
        }

        return changes;
    }

    private static IEnumerable<string> Dependencies(LockedPackage package) =>
        package.Dependencies.Select(d => d.Id.ToLowerInvariant() + " " + d.Range).Order(StringComparer.Ordinal);

    private static List<FieldChange> CompareFields(LockedEnvironment old, LockedEnvironment @new)
    {
        var changes = new List<FieldChange>();
        void Field(string name, string? before, string? after)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(name, before, after));
            }
        }

        Field("spec-hash", old.SpecHash, @new.SpecHash);
        Field("framework", old.Framework, @new.Framework);
        Field("stack.torchsharp", old.Stack.TorchSharp, @new.Stack.TorchSharp);
        Field("stack.libtorch", old.Stack.LibTorch, @new.Stack.LibTorch);
        Field("stack.device", old.Stack.Device, @new.Stack.Device);
        Field("stack.cuda", old.Stack.Cuda, @new.Stack.Cuda);
        Field("stack.cudnn", old.Stack.Cudnn, @new.Stack.Cudnn);
        Field("stack.cuda-architectures", Join(old.Stack.CudaArchitectures), Join(@new.Stack.CudaArchitectures));
        Field("stack.dotnet-sdk", old.Stack.DotnetSdk, @new.Stack.DotnetSdk);
        Field("stack.torchvision", old.Stack.TorchVision, @new.Stack.TorchVision);
        Field("host.glibc", old.Host.Glibc, @new.Host.Glibc);
        Field("host.glibcxx", old.Host.Glibcxx, @new.Host.Glibcxx);
        Field("host.cxxabi", old.Host.Cxxabi, @new.Host.Cxxabi);
        Field("host.nvidia-driver", old.Host.NvidiaDriver, @new.Host.NvidiaDriver);
        Field("host.needs", Join(old.Host.Needs.Select(n => $"{n.Version} {n.Package}/{n.File}")), Join(@new.Host.Needs.Select(n => $"{n.Version} {n.Package}/{n.File}")));
        Field("roots", Join(old.Roots.Select(r => $"{r.Id} {r.Range} ({r.Reason})")), Join(@new.Roots.Select(r => $"{r.Id} {r.Range} ({r.Reason})")));
        Field("pruned", Join(old.Pruned.Select(p => $"{p.Id} {p.ProvidedVersion}")), Join(@new.Pruned.Select(p => $"{p.Id} {p.ProvidedVersion}")));
        return changes;
    }

    private static string? Join(IEnumerable<string> values)
    {
        var list = values.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? null : string.Join("; ", list);
    }
}
