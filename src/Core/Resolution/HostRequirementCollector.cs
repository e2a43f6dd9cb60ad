using NuGet.Configuration;
using NuGet.Packaging.Core;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;

namespace TorchEnv.Core.Resolution;

/// <summary>A locked package with where it comes from and what was read from it.</summary>
/// <param name="Identity">Id and version.</param>
/// <param name="Source">Its source.</param>
/// <param name="Facts">Its facts.</param>
internal sealed record PackageWithFacts(PackageIdentity Identity, PackageSource Source, PackageFacts Facts);

/// <summary>
/// The host requirements of one locked platform: on Linux the ELF version needs of the locked native files (the facts'
/// needs of whole files under the platform's <c>runtimes/&lt;rid&gt;/native/</c>, and of each split CUDA file read as
/// one stream) plus the NVIDIA driver minimum; on Windows only the driver minimum for CUDA (PE files have no glibc
/// needs); nothing on macOS.
/// </summary>
internal static class HostRequirementCollector
{
    public static async Task<HostRequirements> ComputeAsync(
        string platform,
        IReadOnlyList<PackageWithFacts> packages,
        string? cuda,
        ISplitNeedsSource facts,
        CancellationToken cancellationToken)
    {
        if (platform.StartsWith("linux", StringComparison.OrdinalIgnoreCase))
        {
            var prefixes = NativeFileCollector.NativeRids(platform).Select(r => $"runtimes/{r}/native/").ToList();
            bool Applies(string path) => prefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase));
            var needs = new List<NativeNeed>();
            foreach (var package in packages.OrderBy(p => p.Identity.Id, StringComparer.OrdinalIgnoreCase))
            {
                needs.AddRange(package.Facts.Needs.Where(n => Applies(n.File)));
                foreach (var (path, sha) in package.Facts.SplitFiles.Where(s => Applies(s.Key)))
                {
                    var fragments = Fragments(package.Identity.Id, packages);
                    needs.AddRange(await facts.SplitNeedsAsync((package.Identity, package.Source), path, sha, fragments, cancellationToken).ConfigureAwait(false));
                }
            }

            return HostRequirementScanner.FromNeeds(needs, cuda);
        }

        if (cuda is not null && platform.StartsWith("win", StringComparison.OrdinalIgnoreCase))
        {
            return HostRequirements.None with { NvidiaDriver = NvidiaDriverRequirements.MinimumWindowsDriver(cuda) };
        }

        return HostRequirements.None;
    }

    /// <summary>The "-fragment1", "-fragment2", … packages of a "-primary" package in the closure, in order, up to the first missing one.</summary>
    private static List<(PackageIdentity, PackageSource)> Fragments(string primaryId, IReadOnlyList<PackageWithFacts> packages)
    {
        var stem = primaryId[..^"-primary".Length];
        var fragments = new List<(PackageIdentity, PackageSource)>();
        for (var n = 1; ; n++)
        {
            var fragment = packages.FirstOrDefault(p => string.Equals(p.Identity.Id, $"{stem}-fragment{n}", StringComparison.OrdinalIgnoreCase));
            if (fragment is null)
            {
                return fragments;
            }

            fragments.Add((fragment.Identity, fragment.Source));
        }
    }
}
