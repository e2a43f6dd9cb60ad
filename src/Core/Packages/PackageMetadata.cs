using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Packaging.Core;

namespace TorchEnv.Core.Packages;

/// <summary>A package's identity (with the casing of its nuspec) and its dependency groups.</summary>
/// <param name="Identity">Id and version as the nuspec writes them.</param>
/// <param name="DependencyGroups">The nuspec's dependency groups.</param>
internal sealed record PackageMetadata(PackageIdentity Identity, IReadOnlyList<PackageDependencyGroup> DependencyGroups)
{
    /// <summary>Reads an installed package's nuspec.</summary>
    public static PackageMetadata ReadNuspec(string nuspecPath)
    {
        var reader = new NuspecReader(nuspecPath);
        return new PackageMetadata(reader.GetIdentity(), reader.GetDependencyGroups().ToList());
    }

    /// <summary>The dependencies of the group that applies to <paramref name="framework"/> (NuGet's nearest-framework rule).</summary>
    public IReadOnlyList<PackageDependency> DependenciesFor(NuGetFramework framework) => DependenciesFor(DependencyGroups, framework);

    /// <summary>The nuspec dependency group that applies to <paramref name="framework"/> (NuGet's nearest-framework rule).</summary>
    public static IReadOnlyList<PackageDependency> DependenciesFor(IReadOnlyList<PackageDependencyGroup> groups, NuGetFramework framework)
    {
        var nearest = NuGetFrameworkUtility.GetNearest(groups, framework, g => g.TargetFramework);
        return nearest?.Packages.ToList() ?? [];
    }
}
