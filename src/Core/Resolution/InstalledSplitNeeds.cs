using NuGet.Configuration;
using NuGet.Packaging.Core;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// The host needs of split CUDA files read from the installed part packages only, as <see cref="PackageFactSource"/>
/// reads them (the pieces as one stream, checked against the <c>.sha</c>; a restitched primary is the whole file), but
/// never from a source: checking a lock stays offline.
/// </summary>
internal sealed class InstalledSplitNeeds(GlobalPackagesFolder folder) : ISplitNeedsSource
{
    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A part package is not installed (callers check every package first).</exception>
    public Task<IReadOnlyList<NativeNeed>> SplitNeedsAsync(
        (PackageIdentity Identity, PackageSource Source) primary,
        string path,
        string sha256,
        IReadOnlyList<(PackageIdentity Identity, PackageSource Source)> fragments,
        CancellationToken cancellationToken)
    {
        var pieces = SplitFileReader.Pieces(new SplitFile(primary.Identity.Id, path), Content(primary.Identity), fragments.Select(f => Content(f.Identity)).ToList());
        var needs = SplitFileReader.ReadNeeds(primary.Identity.Id, path, sha256, pieces, cancellationToken).Distinct().ToList();
        return Task.FromResult<IReadOnlyList<NativeNeed>>(needs);
    }

    private InstalledContent Content(PackageIdentity identity) =>
        new(folder.Find(identity.Id, identity.Version) ?? throw new InvalidOperationException($"{identity} is not installed in {folder.Root}."));
}
