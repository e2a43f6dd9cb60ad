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
/// resolves each variant × platform (<see cref="DependencyResolver"/>); installs the packages of the entries this machine
/// restores into the global packages folder the way restore does (<see cref="LockOptions.Install"/>), and reads every
/// other package from a temporary download that is deleted afterwards (never extracted); takes NuGet's content hash,
/// the files and the native needs of each package once (<see cref="PackageFactSource"/>, with the fact cache), reads
/// the CUDA/cuDNN versions from the package files, computes the host requirements of the native binaries and pins the
/// .NET SDK. With a previous lock, every locked
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
        using var throttle = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentDownloads));
        var cache = options.FactCachePath is null ? null : PackageFactCache.Load(options.FactCachePath);
        var context = new LockContext(
            spec, feed, new PackageInstaller(feed, throttle, options.Progress, options.Statistics),
            options.Dotnet ?? DotnetInstallation.Current(), options, previous);

        // First every closure, so that a package an installed entry needs is installed even when another entry reads it first.
        var resolved = await Task.WhenAll(plans.Select(plan => Attempt(() => ResolvePlanAsync(context, plan, previous, cancellationToken)))).ConfigureAwait(false);
        var install = resolved
            .Where(r => r.Value is not null && options.Install.Includes(spec, r.Value.Plan))
            .SelectMany(r => r.Value!.Graph.Packages.Select(p => p.Identity))
            .ToHashSet(PackageIdentity.Comparer);

        var downloader = new TemporaryPackageDownloader(feed, throttle, options.Progress, options.TemporaryFolder);
        (LockedEnvironment? Value, IReadOnlyList<Diagnostic> Errors)[] outcomes;
        using (var facts = new PackageFactSource(feed, context.Installer, downloader, cache, install, options.Statistics))
        {
            outcomes = await Task.WhenAll(resolved.Select(r => r.Value is null
                    ? Task.FromResult<(LockedEnvironment?, IReadOnlyList<Diagnostic>)>((null, r.Errors))
                    : Attempt(() => LockEnvironmentAsync(context, facts, r.Value, cancellationToken))))
                .ConfigureAwait(false);
        }

        // Facts read are worth keeping even when an entry failed; a cache that cannot be written costs only a log line.
        if (cache?.Save() is { } cacheProblem)
        {
            (options.Logger ?? NullLogger.Instance).LogWarning(cacheProblem);
        }

        var errors = outcomes.SelectMany(o => o.Errors).Distinct().ToList();
        if (errors.Count > 0)
        {
            throw new TorchEnvException(errors);
        }

        var variantOrder = spec.Variants.Select(v => v.Name).ToList();
        var environments = outcomes.Select(o => o.Value!)
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
        EnvironmentSpec Spec, PackageFeed Feed, PackageInstaller Installer, DotnetInstallation Dotnet, LockOptions Options, EnvironmentLock? Previous);

    /// <summary>A plan with its chosen candidate and resolved closure, before any package is read.</summary>
    private sealed record ResolvedPlan(StackPlan Plan, StackCandidate Candidate, ResolvedGraph Graph, LockedEnvironment? Locked);

    private static async Task<(T? Value, IReadOnlyList<Diagnostic> Errors)> Attempt<T>(Func<Task<T>> work)
        where T : class
    {
        try
        {
            return (await work().ConfigureAwait(false), []);
        }
        catch (TorchEnvException ex)
        {
            return (null, ex.Diagnostics);
        }
    }

    private static async Task<ResolvedPlan> ResolvePlanAsync(
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
        return new ResolvedPlan(plan, candidate, graph, locked);
    }

    private static async Task<LockedEnvironment> LockEnvironmentAsync(
        LockContext context, PackageFactSource facts, ResolvedPlan resolved, CancellationToken cancellationToken)
    {
        var (plan, candidate, graph, locked) = resolved;
        var update = context.Options.Update;
        var read = await Task.WhenAll(graph.Packages.Select(async p =>
        {
            var source = await SourceOfAsync(context, p, locked, cancellationToken).ConfigureAwait(false);
            var lockedHash = LockedHash(context, p, source);
            return (Package: p, Source: source, Facts: await facts.FactsAsync(p.Identity, source, lockedHash, cancellationToken).ConfigureAwait(false));
        })).ConfigureAwait(false);
        var packages = read.Select(r => new PackageWithFacts(r.Package.Identity, r.Source, r.Facts)).ToList();
        var files = read.Select(r => new PackageFiles(r.Package.Identity.Id, r.Package.Identity.Version.ToNormalizedString(), r.Facts.Files)).ToList();

        var stack = LockedStackBuilder.Build(
            context.Spec, plan, candidate, graph, NativeStackInspector.Inspect(files), context.Dotnet, locked, update);
        var host = await HostRequirementCollector.ComputeAsync(plan.Platform, packages, stack.Cuda, facts, cancellationToken).ConfigureAwait(false);

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
            Packages = read.Select(r => new LockedPackage
                {
                    Id = r.Package.Identity.Id,
                    Version = r.Package.Identity.Version.ToNormalizedString(),
                    Source = context.Feed.Sources.Describe(r.Source),
                    Sha512 = r.Facts.ContentHash,
                    Dependencies = r.Package.Dependencies
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

    /// <summary>
    /// The hash the previous lock recorded for this package at this version and source in any of its entries (a package
    /// shared by platforms is the same package), unless <c>--update</c> names it; null when it has none.
    /// </summary>
    private static string? LockedHash(LockContext context, ResolvedPackage package, NuGet.Configuration.PackageSource source)
    {
        if (context.Previous is null || context.Options.Update.Includes(package.Identity.Id))
        {
            return null;
        }

        var recordedSource = context.Feed.Sources.Describe(source);
        return context.Previous.Environments.SelectMany(e => e.Packages)
            .FirstOrDefault(p => string.Equals(p.Id, package.Identity.Id, StringComparison.OrdinalIgnoreCase)
                && NuGetVersion.TryParse(p.Version, out var version) && version == package.Identity.Version
                && p.Source == recordedSource)
            ?.Sha512;
    }

    /// <summary>The source a package comes from: the locked one while the version is unchanged, else the first that has it (restore's rule).</summary>
    private static async Task<NuGet.Configuration.PackageSource> SourceOfAsync(
        LockContext context, ResolvedPackage package, LockedEnvironment? locked, CancellationToken cancellationToken)
    {
        var feed = context.Feed;
        var lockedPackage = context.Options.Update.Includes(package.Identity.Id) ? null : locked?.Find(package.Identity.Id);
        var source = lockedPackage is not null && NuGetVersion.TryParse(lockedPackage.Version, out var v) && v == package.Identity.Version
            ? feed.Sources.FindByDescription(lockedPackage.Source)
            : null;
        return source ?? await feed.FindSourceAsync(package.Identity, cancellationToken).ConfigureAwait(false)
            ?? throw new TorchEnvException(ResolutionMessages.PackageNotFound(package.Identity.Id, [package.Identity.Version.ToNormalizedString()]));
    }
}
