using NuGet.Configuration;
using NuGet.Packaging.Core;
using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// Where the host needs of a file split over CUDA part packages come from: while locking, the packages wherever they
/// are (<see cref="PackageFactSource"/>); when a lock is checked, the installed packages only (<see cref="InstalledSplitNeeds"/>).
/// </summary>
internal interface ISplitNeedsSource
{
    /// <summary>
    /// The host needs of a split file (the first piece <paramref name="path"/> in <paramref name="primary"/>, whose whole
    /// content has SHA-256 <paramref name="sha256"/>), its pieces read from <paramref name="fragments"/> in order.
    /// </summary>
    Task<IReadOnlyList<NativeNeed>> SplitNeedsAsync(
        (PackageIdentity Identity, PackageSource Source) primary,
        string path,
        string sha256,
        IReadOnlyList<(PackageIdentity Identity, PackageSource Source)> fragments,
        CancellationToken cancellationToken);
}
