using NuGet.Versioning;
using TorchEnv.Core.Lock;
using TorchEnv.Sdk.Tasks.IO;

namespace TorchEnv.Sdk.Tasks.Restore;

/// <summary>A user item that asks for another version of a locked package.</summary>
/// <param name="Item">The user's item.</param>
/// <param name="ElementName"><c>PackageReference</c> or <c>PackageVersion</c>, to find its line.</param>
/// <param name="Locked">The locked package.</param>
internal sealed record ReferenceConflict(UserPackageItem Item, string ElementName, LockedPackage Locked);

/// <summary>The items to put into the project and the conflicts found.</summary>
/// <param name="PackageReferences">One per locked package: exact version (or, with central package management, none).</param>
/// <param name="PackageVersions">With central package management: one <c>PackageVersion</c> per locked package; else empty.</param>
/// <param name="Conflicts">User items whose version excludes the locked one.</param>
internal sealed record LockedReferences(
    IReadOnlyList<GeneratedItem> PackageReferences,
    IReadOnlyList<GeneratedItem> PackageVersions,
    IReadOnlyList<ReferenceConflict> Conflicts);

/// <summary>
/// Decides the project's package items from a lock entry: every package of the locked closure becomes a reference with
/// the exact version <c>[x.y.z]</c> (so NuGet cannot float anything, transitive packages included); a reference the user
/// wrote to a locked id keeps its metadata and gets the locked version, unless it asks for another version (a conflict).
/// </summary>
internal static class LockedReferencePlanner
{
    private static readonly HashSet<string> VersionMetadata = new(StringComparer.OrdinalIgnoreCase) { "Version", "VersionOverride" };

    /// <summary>Plans the items for <paramref name="environment"/>.</summary>
    public static LockedReferences Plan(
        LockedEnvironment environment,
        IReadOnlyList<UserPackageItem> userReferences,
        IReadOnlyList<UserPackageItem> userPackageVersions,
        bool centralPackageManagement)
    {
        var references = new List<GeneratedItem>();
        var versions = new List<GeneratedItem>();
        var conflicts = new List<ReferenceConflict>();

        foreach (var package in environment.Packages)
        {
            var exact = $"[{package.Version}]";
            var user = Find(userReferences, package.Id);
            var userVersion = centralPackageManagement ? Find(userPackageVersions, package.Id) : null;

            if (user is not null && !Admits(user.Version, package.Version))
            {
                conflicts.Add(new ReferenceConflict(user, "PackageReference", package));
            }

            if (userVersion is not null && !Admits(userVersion.Version, package.Version))
            {
                conflicts.Add(new ReferenceConflict(userVersion, "PackageVersion", package));
            }

            var metadata = new List<KeyValuePair<string, string>>();
            if (!centralPackageManagement)
            {
                metadata.Add(new("Version", exact));
            }

            metadata.AddRange((user?.Metadata ?? []).Where(m => !VersionMetadata.Contains(m.Key)));
            metadata.Add(new("TorchEnvLocked", "true"));
            references.Add(new GeneratedItem(user?.Id ?? package.Id, metadata));

            if (centralPackageManagement)
            {
                versions.Add(new GeneratedItem(userVersion?.Id ?? package.Id, [new("Version", exact), new("TorchEnvLocked", "true")]));
            }
        }

        return new LockedReferences(references, versions, conflicts);
    }

    /// <summary>
    /// True when a version the user wrote lets the locked version through: none at all; a plain version equal to the
    /// locked one (a plain <c>1.2.3</c> means "1.2.3" to the reader, even though NuGet reads it as a minimum); or a range
    /// or float (<c>[1.2,2)</c>, <c>1.*</c>) that contains it.
    /// </summary>
    public static bool Admits(string? userVersion, string lockedVersion)
    {
        if (string.IsNullOrWhiteSpace(userVersion))
        {
            return true;
        }

        var locked = NuGetVersion.Parse(lockedVersion);
        var text = userVersion.Trim();
        if (NuGetVersion.TryParse(text, out var plain))
        {
            return VersionComparer.Default.Equals(plain, locked);
        }

        if (!VersionRange.TryParse(text, allowFloating: true, out var range))
        {
            return false;
        }

        return range.Satisfies(locked) && (!range.IsFloating || range.Float.Satisfies(locked));
    }

    private static UserPackageItem? Find(IReadOnlyList<UserPackageItem> items, string id) =>
        items.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase));
}
