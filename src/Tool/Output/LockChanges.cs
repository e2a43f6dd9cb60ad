using Spectre.Console;
using TorchEnv.Core.Lock;

namespace TorchEnv.Tool.Output;

/// <summary>The differences of one variant × platform between two locks, as written by <c>--json</c> (lock, diff).</summary>
/// <param name="Variant">Variant name.</param>
/// <param name="Platform">Runtime identifier.</param>
/// <param name="Kind">added, removed or changed.</param>
/// <param name="Packages">Package differences, by id.</param>
/// <param name="Fields">Differences of environment fields (spec hash, stack, host requirements, roots).</param>
internal sealed record EnvironmentChanges(
    string Variant, string Platform, EnvironmentChangeKind Kind, IReadOnlyList<PackageChanges> Packages, IReadOnlyList<FieldChanges> Fields)
{
    /// <summary>Maps Core's diff to the stable JSON shape.</summary>
    public static IReadOnlyList<EnvironmentChanges> From(IEnumerable<EnvironmentDiff> diffs) => diffs
        .Select(d => new EnvironmentChanges(
            d.Variant,
            d.Platform,
            d.Kind,
            d.Packages.Select(p => new PackageChanges(p.Id, p.Kind, p.OldVersion, p.NewVersion, p.Details)).ToList(),
            d.Fields.Select(f => new FieldChanges(f.Field, f.Old, f.New)).ToList()))
        .ToList();
}

/// <summary>One package difference.</summary>
/// <param name="Id">Package id.</param>
/// <param name="Kind">added, removed, upgraded, downgraded or changed (same version, other hash, source or dependencies).</param>
/// <param name="OldVersion">Version before, null when added.</param>
/// <param name="NewVersion">Version after, null when removed.</param>
/// <param name="Details">For changed: which of sha512, source, dependencies differ.</param>
internal sealed record PackageChanges(string Id, PackageChangeKind Kind, string? OldVersion, string? NewVersion, IReadOnlyList<string> Details);

/// <summary>One environment field difference.</summary>
/// <param name="Field">Field path as in the lock, e.g. <c>stack.libtorch</c>.</param>
/// <param name="Old">Value before, null when absent.</param>
/// <param name="New">Value after, null when absent.</param>
internal sealed record FieldChanges(string Field, string? Old, string? New);

/// <summary>The table people see for a list of changes.</summary>
internal static class LockChangesTable
{
    /// <summary>One row per package or field difference, grouped by variant × platform.</summary>
    public static Table Create(IReadOnlyList<EnvironmentChanges> changes)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("environment").AddColumn("change").AddColumn("package / field").AddColumn("from").AddColumn("to");
        foreach (var environment in changes)
        {
            var key = $"{environment.Variant}/{environment.Platform}";
            if (environment.Kind != EnvironmentChangeKind.Changed)
            {
                table.AddRow(Cell(key), Cell(environment.Kind == EnvironmentChangeKind.Added ? "+ environment" : "- environment"),
                    Cell($"{environment.Packages.Count} packages"), Cell(""), Cell(""));
                continue;
            }

            foreach (var field in environment.Fields)
            {
                table.AddRow(Cell(key), Cell("~ field"), Cell(field.Field), Cell(field.Old ?? "(none)"), Cell(field.New ?? "(none)"));
            }

            foreach (var package in environment.Packages)
            {
                var change = package.Kind switch
                {
                    PackageChangeKind.Added => "+ added",
                    PackageChangeKind.Removed => "- removed",
                    PackageChangeKind.Upgraded => "↑ upgraded",
                    PackageChangeKind.Downgraded => "↓ downgraded",
                    _ => "~ " + string.Join(", ", package.Details),
                };
                table.AddRow(Cell(key), Cell(change), Cell(package.Id), Cell(package.OldVersion ?? ""), Cell(package.NewVersion ?? ""));
            }
        }

        return table;
    }

    private static Text Cell(string text) => new(text);
}
