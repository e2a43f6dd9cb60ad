using System.Globalization;
using NuGet.Configuration;
using NuGet.Frameworks;
using NuGet.Packaging.Core;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// Recomputes what a lock records about the contents of its packages — <c>host:</c> (the glibc / libstdc++ / C++ ABI
/// maxima, the NVIDIA driver minimum and every <c>needs</c> entry) and the stack's <c>device</c>, <c>cuda</c> and
/// <c>cudnn</c> — from the packages installed in the global packages folder, with the code locking uses
/// (<see cref="PackageFactReader"/>, <see cref="NativeStackInspector"/>, <see cref="HostRequirementCollector"/>), and
/// compares it with the lock: each difference is TENV0248, naming the field, the lock's value and the recomputed one.
/// Only when every locked package of the entry is installed with its locked hash (a missing or different package is
/// the other checks' finding); it reads files, never a source, so <c>lock --check</c> stays offline.
/// </summary>
public static class LockedFactsCheck
{
    private const string InstalledPackages = "the installed packages";

    /// <summary>
    /// The <c>pruned</c> entries of <paramref name="environment"/> against the pruning data of the installed .NET for its
    /// framework (<see cref="DotnetInstallation.FrameworkProvidedPackages"/>, what locking prunes with): each version is
    /// the one the framework provides (TENV0248). Nothing when that .NET has no pruning data for the framework.
    /// </summary>
    public static IReadOnlyList<Diagnostic> CheckPruned(LockedEnvironment environment, DotnetInstallation dotnet)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(dotnet);
        var framework = NuGetFramework.Parse(environment.Framework);
        var provided = dotnet.FrameworkProvidedPackages(framework);
        if (provided.Count == 0)
        {
            return [];
        }

        var from = $"the pruning data of the installed .NET for {framework.GetShortFolderName()}";
        return environment.Pruned
            .Select(p => (Pruned: p, Provided: provided.TryGetValue(p.Id, out var version) ? version.ToNormalizedString() : null))
            .Where(p => !string.Equals(p.Pruned.ProvidedVersion, p.Provided, StringComparison.Ordinal))
            .Select(p => LockMessages.RecomputedDiffers(environment, $"pruned {p.Pruned.Id}", p.Pruned.ProvidedVersion, from, p.Provided ?? "not provided"))
            .ToList();
    }

    /// <summary>The differences between <paramref name="environment"/>'s content-derived fields and its installed packages.</summary>
    /// <param name="environment">A locked variant × platform.</param>
    /// <param name="globalPackagesFolder">Where the packages are installed.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>TENV0248 per differing field; empty when the packages are not all installed; a malformed native file's own code (TENV0301, TENV0212).</returns>
    public static IReadOnlyList<Diagnostic> Check(LockedEnvironment environment, string globalPackagesFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var folder = new GlobalPackagesFolder(globalPackagesFolder);
        var installed = new List<(LockedPackage Locked, PackageIdentity Identity, InstalledPackage Present)>();
        foreach (var package in environment.Packages)
        {
            if (!NuGetVersion.TryParse(package.Version, out var version)
                || folder.Find(package.Id, version) is not { } present
                || !string.Equals(present.ContentHash, package.Sha512, StringComparison.Ordinal))
            {
                return [];
            }

            installed.Add((package, new PackageIdentity(package.Id, version), present));
        }

        try
        {
            return Compare(environment, installed, folder, cancellationToken);
        }
        catch (TorchEnvException ex)
        {
            return ex.Diagnostics;
        }
    }

    private static List<Diagnostic> Compare(
        LockedEnvironment environment,
        List<(LockedPackage Locked, PackageIdentity Identity, InstalledPackage Present)> installed,
        GlobalPackagesFolder folder,
        CancellationToken cancellationToken)
    {
        var packages = installed
            .Select(p => new PackageWithFacts(
                p.Identity,
                new PackageSource(p.Locked.Source),
                PackageFactReader.Read(p.Locked.Id, p.Present.ContentHash, new InstalledContent(p.Present), cancellationToken)))
            .ToList();
        var found = NativeStackInspector.Inspect(
            packages.Select(p => new PackageFiles(p.Identity.Id, p.Identity.Version.ToNormalizedString(), p.Facts.Files)).ToList());
        var host = HostRequirementCollector.ComputeAsync(environment.Platform, packages, found.Cuda, new InstalledSplitNeeds(folder), cancellationToken)
            .GetAwaiter().GetResult();

        var findings = new List<Diagnostic>();
        void Field(string field, string? locked, string? recomputed)
        {
            if (!string.Equals(locked, recomputed, StringComparison.Ordinal))
            {
                findings.Add(LockMessages.RecomputedDiffers(environment, field, locked ?? "(none)", InstalledPackages, recomputed ?? "(none)"));
            }
        }

        Field("stack.device", environment.Stack.Device, found.Cuda is null ? "cpu" : "cuda");
        Field("stack.cuda", environment.Stack.Cuda, found.Cuda);
        Field("stack.cudnn", environment.Stack.Cudnn, found.CudnnMajor?.ToString(CultureInfo.InvariantCulture));
        Field("host.glibc", environment.Host.Glibc, host.Glibc);
        Field("host.glibcxx", environment.Host.Glibcxx, host.Glibcxx);
        Field("host.cxxabi", environment.Host.Cxxabi, host.Cxxabi);
        Field("host.nvidia-driver", environment.Host.NvidiaDriver, host.NvidiaDriver);
        // Compared in the order the lock lists them, so that only what is needed, by what, counts.
        var lockedNeeds = LockFileWriter.InWrittenOrder(environment.Host.Needs);
        var needs = LockFileWriter.InWrittenOrder(host.Needs);
        if (!lockedNeeds.SequenceEqual(needs))
        {
            var onlyLocked = lockedNeeds.Except(needs).ToList();
            var onlyFound = needs.Except(lockedNeeds).ToList();
            findings.Add(onlyLocked.Count == 0 && onlyFound.Count == 0
                ? LockMessages.RecomputedDiffers(environment, "host.needs", Describe(lockedNeeds), InstalledPackages, "each of these entries once")
                : LockMessages.RecomputedDiffers(environment, "host.needs", Describe(onlyLocked), InstalledPackages, Describe(onlyFound)));
        }

        return findings;
    }

    private static string Describe(IReadOnlyList<NativeNeed> needs) => needs.Count == 0
        ? "no such entry"
        : string.Join("; ", needs.Select(n => $"{n.Version} from {n.Library} for {n.Package}/{n.File}"));
}
