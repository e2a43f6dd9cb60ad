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
        try
        {
            return Recompute(environment, globalPackagesFolder, cancellationToken) is { } facts ? Compare(environment, facts) : [];
        }
        catch (TorchEnvException ex)
        {
            return ex.Diagnostics;
        }
    }

    /// <summary>
    /// What locking would record in <paramref name="environment"/>'s content-derived fields, computed from its packages
    /// installed in <paramref name="globalPackagesFolder"/>; null when one is missing or differs from its locked hash.
    /// </summary>
    /// <exception cref="TorchEnvException">A native file is malformed (TENV0301, TENV0212).</exception>
    public static RecomputedFacts? Recompute(LockedEnvironment environment, string globalPackagesFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var folder = new GlobalPackagesFolder(globalPackagesFolder);
        var packages = new List<PackageWithFacts>();
        foreach (var package in environment.Packages)
        {
            if (!NuGetVersion.TryParse(package.Version, out var version)
                || folder.Find(package.Id, version) is not { } present
                || !string.Equals(present.ContentHash, package.Sha512, StringComparison.Ordinal))
            {
                return null;
            }

            packages.Add(new PackageWithFacts(
                new PackageIdentity(package.Id, version),
                new PackageSource(package.Source),
                PackageFactReader.Read(package.Id, present.ContentHash, new InstalledContent(present), cancellationToken)));
        }

        var found = NativeStackInspector.Inspect(
            packages.Select(p => new PackageFiles(p.Identity.Id, p.Identity.Version.ToNormalizedString(), p.Facts.Files)).ToList());
        var host = HostRequirementCollector.ComputeAsync(environment.Platform, packages, found.Cuda, new InstalledSplitNeeds(folder), cancellationToken)
            .GetAwaiter().GetResult();
        return new RecomputedFacts(found.Cuda is null ? "cpu" : "cuda", found.Cuda, found.CudnnMajor?.ToString(CultureInfo.InvariantCulture), host);
    }

    private static List<Diagnostic> Compare(LockedEnvironment environment, RecomputedFacts facts)
    {
        var findings = new List<Diagnostic>();
        void Field(string field, string? locked, string? recomputed)
        {
            if (!string.Equals(locked, recomputed, StringComparison.Ordinal))
            {
                findings.Add(LockMessages.RecomputedDiffers(environment, field, locked ?? "(none)", InstalledPackages, recomputed ?? "(none)"));
            }
        }

        var host = facts.Host;
        Field("stack.device", environment.Stack.Device, facts.Device);
        Field("stack.cuda", environment.Stack.Cuda, facts.Cuda);
        Field("stack.cudnn", environment.Stack.Cudnn, facts.Cudnn);
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

/// <summary>The content-derived fields of a lock entry as recomputed from its installed packages (<see cref="LockedFactsCheck.Recompute"/>).</summary>
/// <param name="Device"><c>stack.device</c>: <c>cuda</c> when the packages hold a CUDA runtime, else <c>cpu</c>.</param>
/// <param name="Cuda"><c>stack.cuda</c>, e.g. <c>12.8</c>; null without CUDA.</param>
/// <param name="Cudnn"><c>stack.cudnn</c>, the cuDNN major version; null without cuDNN.</param>
/// <param name="Host">The <c>host:</c> section.</param>
public sealed record RecomputedFacts(string Device, string? Cuda, string? Cudnn, HostRequirements Host);
