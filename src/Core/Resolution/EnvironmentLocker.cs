using System.Collections.Concurrent;
using System.Reflection;
using NuGet.Common;
using NuGet.Packaging.Core;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.Core.Versioning;

namespace TorchEnv.Core.Resolution;

/// <summary>
/// Turns the <see cref="StackPlan"/>s of a spec into an <see cref="EnvironmentLock"/> through the spec's NuGet sources:
/// resolves each variant × platform (<see cref="DependencyResolver"/>), installs every package into the global packages
/// folder the way restore does to read NuGet's content hash, reads the CUDA/cuDNN versions from the package files,
/// computes the host requirements of the native binaries and pins the .NET SDK. With a previous lock, every locked
/// version that still satisfies its constraints is kept (uv's preferences), so re-locking an unchanged spec changes
/// nothing and needs no network when the packages are installed.
/// </summary>
public static class EnvironmentLocker
{
    /// <summary>Resolves every plan and returns the lock (not written; see <see cref="LockFileWriter"/>).</summary>
    /// <param name="spec">The spec (name, channels, its folder for NuGet.config and relative feeds, locations for errors).</param>
    /// <param name="plans">The spec's plans (<see cref="StackPlanner.PlanAll"/>).</param>
    /// <param name="previous">The existing lock, used as preferences; null to resolve fresh.</param>
    /// <param name="options">Options; null for defaults.</param>
    /// <param name="cancellationToken">Cancels resolution and downloads.</param>
    /// <exception cref="TorchEnvException">Every error found, over all plans (codes TENV0200–TENV0219).</exception>
    public static async Task<EnvironmentLock> LockAsync(
        EnvironmentSpec spec,
        IReadOnlyList<StackPlan> plans,
        EnvironmentLock? previous,
        LockOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new LockOptions();
        var sources = PackageSourceSet.Load(spec, options.GlobalPackagesFolder);
        using var feed = new PackageFeed(sources, options.Logger ?? NullLogger.Instance);
        var context = new LockContext(
            spec, feed, new PackageInstaller(feed, options.MaxConcurrentDownloads, options.Progress),
            options.Dotnet ?? DotnetInstallation.Current(), options);

        var outcomes = await Task.WhenAll(plans.Select(async plan =>
        {
            try
            {
                return (Environment: await LockEnvironmentAsync(context, plan, previous, cancellationToken).ConfigureAwait(false), Errors: (IReadOnlyList<Diagnostic>)[]);
            }
            catch (TorchEnvException ex)
            {
                return (Environment: (LockedEnvironment?)null, Errors: ex.Diagnostics);
            }
        })).ConfigureAwait(false);

        var errors = outcomes.SelectMany(o => o.Errors).Distinct().ToList();
        if (errors.Count > 0)
        {
            throw new TorchEnvException(errors);
        }

        var variantOrder = spec.Variants.Select(v => v.Name).ToList();
        var environments = outcomes.Select(o => o.Environment!)
            .OrderBy(e => variantOrder.FindIndex(v => string.Equals(v, e.Variant, StringComparison.OrdinalIgnoreCase)) is var i && i < 0 ? int.MaxValue : i)
            .ThenBy(e => e.Variant, StringComparer.Ordinal)
            .ThenBy(e => e.Platform, StringComparer.Ordinal)
            .ToList();

        var result = new EnvironmentLock
        {
            FormatVersion = EnvironmentLock.CurrentFormatVersion,
            ToolVersion = options.ToolVersion ?? CurrentToolVersion,
            Name = spec.Name,
            Environments = environments,
        };

        // The tool line records the version that last changed the lock, so a newer torchenv does not churn it.
        if (previous is not null && previous.FormatVersion == result.FormatVersion)
        {
            var unchanged = result with { ToolVersion = previous.ToolVersion };
            if (LockFileWriter.Serialize(unchanged) == LockFileWriter.Serialize(previous))
            {
                return unchanged;
            }
        }

        return result;
    }

    /// <summary>This assembly's informational version without the source-revision suffix (so builds of one version agree).</summary>
    public static string CurrentToolVersion { get; } =
        (typeof(EnvironmentLocker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];

    private sealed record LockContext(
        EnvironmentSpec Spec, PackageFeed Feed, PackageInstaller Installer, DotnetInstallation Dotnet, LockOptions Options)
    {
        public ConcurrentDictionary<PackageIdentity, IReadOnlyList<string>> Files { get; } = new(PackageIdentity.Comparer);
    }

    private static async Task<LockedEnvironment> LockEnvironmentAsync(
        LockContext context, StackPlan plan, EnvironmentLock? previous, CancellationToken cancellationToken)
    {
        var update = context.Options.Update;
        var locked = update.IsAll ? null : previous?.Find(plan.Variant, plan.Platform);
        var preferences = Preferences(locked, update);

        var candidate = await ChooseCandidateAsync(context, plan, locked, preferences, cancellationToken).ConfigureAwait(false);
        var graph = await new DependencyResolver(context.Feed).ResolveAsync(
                new ResolutionRequest(candidate.Roots, plan.Framework, preferences, context.Dotnet.FrameworkProvidedPackages(plan.Framework)),
                cancellationToken)
            .ConfigureAwait(false);

        var installed = await Task.WhenAll(graph.Packages.Select(p => InstallAsync(context, p, locked, cancellationToken))).ConfigureAwait(false);
        var packageFiles = installed.Select(i => new InstalledPackageFiles(
            new PackageFiles(i.Package.Identity.Id, i.Package.Identity.Version.ToNormalizedString(), FilesOf(context, i.Installed)),
            i.Installed.Directory)).ToList();

        var stack = LockedStackBuilder.Build(
            context.Spec, plan, candidate, graph, NativeStackInspector.Inspect(packageFiles.Select(f => f.Files).ToList()),
            context.Dotnet, locked, update);
        var host = HostRequirementCollector.Compute(plan.Platform, packageFiles, stack.Cuda);

        return new LockedEnvironment
        {
            Variant = plan.Variant,
            Platform = plan.Platform,
            SpecHash = plan.SpecHash,
            Framework = plan.Framework.GetShortFolderName(),
            Stack = stack,
            Host = host,
            Roots = candidate.Roots.Select(r => new LockedRoot(r.Id, r.Range.ToNormalizedString(), r.Reason)).ToList(),
            Pruned = graph.Pruned,
            Packages = installed.Select(i => new LockedPackage
                {
                    Id = i.Package.Identity.Id,
                    Version = i.Package.Identity.Version.ToNormalizedString(),
                    Source = context.Feed.Sources.Describe(i.Source),
                    Sha512 = i.Installed.ContentHash,
                    Dependencies = i.Package.Dependencies
                        .Select(d => new LockedDependency(d.Id, d.VersionRange.ToNormalizedString()))
                        .OrderBy(d => d.Id, StringComparer.OrdinalIgnoreCase)
                        .ToList(),
                })
                .ToList(),
        };
    }

    private static Dictionary<string, NuGetVersion> Preferences(LockedEnvironment? locked, LockUpdate update)
    {
        var preferences = new Dictionary<string, NuGetVersion>(StringComparer.OrdinalIgnoreCase);
        foreach (var package in locked?.Packages ?? [])
        {
            if (!update.Includes(package.Id) && NuGetVersion.TryParse(package.Version, out var version))
            {
                preferences[package.Id] = version;
            }
        }

        return preferences;
    }

    /// <summary>
    /// The first candidate (newest first) whose roots all have a version on the sources; a candidate that still holds the
    /// locked TorchSharp goes first, so a lock does not move to a newer matrix row on its own.
    /// </summary>
    private static async Task<StackCandidate> ChooseCandidateAsync(
        LockContext context, StackPlan plan, LockedEnvironment? locked, Dictionary<string, NuGetVersion> preferences, CancellationToken cancellationToken)
    {
        var ordered = plan.Candidates.ToList();
        if (locked is not null && !context.Options.Update.Includes(StackPackages.TorchSharp) && NuGetVersion.TryParse(locked.Stack.TorchSharp, out var lockedTorchSharp))
        {
            ordered = ordered.OrderBy(c => VersionRanges.Allows(c.TorchSharp, lockedTorchSharp) ? 0 : 1).ToList();
        }

        var missing = new List<string>();
        foreach (var candidate in ordered)
        {
            var unavailable = await FirstUnavailableRootAsync(context, candidate, preferences, cancellationToken).ConfigureAwait(false);
            if (unavailable is null)
            {
                return candidate;
            }

            missing.Add($"TorchSharp {candidate.TorchSharp.PrettyPrint()} (libtorch {candidate.Row.LibTorch.ToNormalizedString()}): "
                + $"{unavailable.Id} {unavailable.Range.PrettyPrint()} is not on the sources");
        }

        throw new TorchEnvException(ResolutionMessages.NoCandidateAvailable(plan.Variant, plan.Platform, missing, context.Feed.Sources));
    }

    private static async Task<PackageRequirement?> FirstUnavailableRootAsync(
        LockContext context, StackCandidate candidate, Dictionary<string, NuGetVersion> preferences, CancellationToken cancellationToken)
    {
        foreach (var root in candidate.Roots)
        {
            if (preferences.TryGetValue(root.Id, out var preferred) && VersionRanges.Allows(root.Range, preferred))
            {
                continue;
            }

            if (VersionRanges.IsExact(root.Range) && context.Feed.IsInstalled(new PackageIdentity(root.Id, root.Range.MinVersion!)))
            {
                continue;
            }

            var versions = await context.Feed.GetVersionsAsync(root.Id, cancellationToken).ConfigureAwait(false);
            if (!versions.Any(v => VersionRanges.Allows(root.Range, v)))
            {
                return root;
            }
        }

        return null;
    }

    private sealed record InstalledResult(ResolvedPackage Package, NuGet.Configuration.PackageSource Source, InstalledPackage Installed);

    private static async Task<InstalledResult> InstallAsync(
        LockContext context, ResolvedPackage package, LockedEnvironment? locked, CancellationToken cancellationToken)
    {
        var feed = context.Feed;
        var lockedPackage = context.Options.Update.Includes(package.Identity.Id) ? null : locked?.Find(package.Identity.Id);
        var source = lockedPackage is not null && NuGetVersion.TryParse(lockedPackage.Version, out var v) && v == package.Identity.Version
            ? feed.Sources.FindByDescription(lockedPackage.Source)
            : null;
        source ??= await feed.FindSourceAsync(package.Identity, cancellationToken).ConfigureAwait(false)
            ?? throw new TorchEnvException(ResolutionMessages.PackageNotFound(package.Identity.Id, [package.Identity.Version.ToNormalizedString()]));
        var installed = await context.Installer.EnsureInstalledAsync(package.Identity, source, cancellationToken).ConfigureAwait(false);
        return new InstalledResult(package, source, installed);
    }

    private static IReadOnlyList<string> FilesOf(LockContext context, InstalledPackage installed) =>
        context.Files.GetOrAdd(installed.Identity, _ => File.Exists(installed.NupkgPath)
            ? PackageContents.ExtractedFiles(installed.NupkgPath)
            : Directory.EnumerateFiles(installed.Directory, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(installed.Directory, f).Replace('\\', '/'))
                .Where(f => !f.StartsWith('.') && !f.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".sha512", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList());
}
