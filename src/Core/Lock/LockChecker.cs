using NuGet.Frameworks;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.Core.Versioning;

namespace TorchEnv.Core.Lock;

/// <summary>
/// Finds drift between the spec, the lock and the installed packages (<c>torchenv lock --check</c>, the SDK's locked
/// mode, both through <c>LockService</c>). <see cref="Check"/> works offline: the name, spec hashes, variant × platform coverage, roots and dependency ranges
/// against the locked versions, sources against the spec's channels, and — where the packages are installed — hashes,
/// sources and nuspec dependencies against the global packages folder. <c>RelockCheck.CheckAsync</c> (Resolution) adds
/// "would change": it locks again with the lock as preference and compares the text.
/// </summary>
public static class LockChecker
{
    /// <summary>Offline findings, each a coded <see cref="Diagnostic"/> pointing into the lock file where it can.</summary>
    /// <param name="spec">The spec (its channels decide which sources are valid).</param>
    /// <param name="plans">The spec's plans.</param>
    /// <param name="lockFile">The lock; null when the file does not exist (TENV0230).</param>
    /// <param name="lockPath">Path of the lock file, for messages.</param>
    /// <param name="globalPackagesFolder">The folder to compare installed packages with; null for restore's folder.</param>
    /// <param name="checkInstalled">False to skip every comparison with the global packages folder.</param>
    public static IReadOnlyList<Diagnostic> Check(
        EnvironmentSpec spec,
        IReadOnlyList<StackPlan> plans,
        EnvironmentLock? lockFile,
        string lockPath,
        string? globalPackagesFolder = null,
        bool checkInstalled = true)
    {
        if (lockFile is null)
        {
            return [LockMessages.Missing(lockPath, spec.FilePath)];
        }

        var sources = PackageSourceSet.Load(spec, globalPackagesFolder);
        var folder = checkInstalled ? new GlobalPackagesFolder(sources.GlobalPackagesFolder) : null;
        var findings = new List<Diagnostic>();
        if (!string.Equals(lockFile.Name, spec.Name, StringComparison.Ordinal))
        {
            findings.Add(LockMessages.NameDiffers(lockFile, lockPath, spec.Name));
        }

        foreach (var plan in plans)
        {
            var environment = lockFile.Find(plan.Variant, plan.Platform);
            if (environment is null)
            {
                findings.Add(LockMessages.EnvironmentMissing(plan.Variant, plan.Platform, lockPath));
                continue;
            }

            CheckAgainstPlan(plan, environment, findings);
            CheckClosure(environment, findings);
            CheckSources(environment, sources, findings);
            if (folder is not null)
            {
                CheckInstalled(environment, sources, folder, findings);
            }
        }

        foreach (var environment in lockFile.Environments)
        {
            if (!plans.Any(p => string.Equals(p.Variant, environment.Variant, StringComparison.OrdinalIgnoreCase)
                && string.Equals(p.Platform, environment.Platform, StringComparison.OrdinalIgnoreCase)))
            {
                findings.Add(LockMessages.EnvironmentExtra(environment));
            }
        }

        return findings;
    }

    private static void CheckAgainstPlan(StackPlan plan, LockedEnvironment environment, List<Diagnostic> findings)
    {
        if (!string.Equals(environment.SpecHash, plan.SpecHash, StringComparison.Ordinal))
        {
            findings.Add(LockMessages.SpecChanged(environment, environment.SpecHash, plan.SpecHash));
        }

        var framework = plan.Framework.GetShortFolderName();
        if (!NuGetFramework.Parse(environment.Framework).Equals(plan.Framework))
        {
            findings.Add(LockMessages.FrameworkChanged(environment, framework));
        }

        var candidate = NuGetVersion.TryParse(environment.Stack.TorchSharp, out var torchSharp)
            ? plan.Candidates.FirstOrDefault(c => VersionRanges.Allows(c.TorchSharp, torchSharp)) ?? plan.Candidates[0]
            : plan.Candidates[0];
        var planned = candidate.Roots.Select(r => $"{r.Id} {r.Range.ToNormalizedString()}").ToList();
        var locked = environment.Roots.Select(r => $"{r.Id} {r.Range}").ToList();
        if (!planned.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(locked.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
        {
            findings.Add(LockMessages.RootsChanged(environment, string.Join(", ", locked), string.Join(", ", planned)));
        }

        foreach (var root in candidate.Roots)
        {
            var package = environment.Find(root.Id);
            if (package is null)
            {
                findings.Add(LockMessages.RootNotSatisfied(environment, root.Id, root.Range.ToNormalizedString(), null, root.Reason, null));
            }
            else if (!NuGetVersion.TryParse(package.Version, out var version) || !VersionRanges.Allows(root.Range, version))
            {
                findings.Add(LockMessages.RootNotSatisfied(environment, root.Id, root.Range.ToNormalizedString(), package.Version, root.Reason, package.Location));
            }
        }

        if (!string.Equals(environment.Stack.Device, plan.DeviceName, StringComparison.Ordinal))
        {
            findings.Add(LockMessages.StackAgainstSpec(environment, "device", environment.Stack.Device, plan.DeviceName));
        }

        CheckCudaArchitectures(plan, candidate, environment, findings);
        CheckSdkPin(plan, environment, findings);
        CheckStack(environment, "torchsharp", environment.Stack.TorchSharp, environment.Find(StackPackages.TorchSharp)?.Version, findings);
        CheckStack(environment, "torchvision", environment.Stack.TorchVision, environment.Find(StackPackages.TorchVision)?.Version, findings);
        var libTorch = environment.Packages.FirstOrDefault(p => StackPackages.IsLibTorch(p.Id, environment.Platform));
        CheckStack(environment, "libtorch", environment.Stack.LibTorch, libTorch?.Version, findings);
    }

    /// <summary>
    /// The GPU architectures a CUDA entry records are its matrix row's (doctor and <c>TorchEnvVariant=auto</c> decide by
    /// them). A lock that records none, written before the field existed, reads the row's anyway, so it is not stale.
    /// </summary>
    private static void CheckCudaArchitectures(StackPlan plan, StackCandidate candidate, LockedEnvironment environment, List<Diagnostic> findings)
    {
        var recorded = environment.Stack.CudaArchitectures;
        var expected = plan.CudaArchitecturesOf(candidate);
        if (recorded.Count > 0 && !recorded.SequenceEqual(expected, StringComparer.Ordinal))
        {
            findings.Add(LockMessages.RecomputedDiffers(environment, "stack.cuda-architectures", CudaArchitectures.Format(recorded),
                $"the stack matrix row of TorchSharp {StackMatrix.Describe(candidate.Row.TorchSharp)}", expected.Count == 0 ? "(none)" : CudaArchitectures.Format(expected)));
        }
    }

    /// <summary>
    /// The pinned SDK lies in the spec's <c>dotnet-sdk=</c> (and is there exactly when the spec asks for one). Which
    /// version inside the range is a choice locking keeps (<c>DotnetSdkSelector</c>); the build compares it with the running SDK.
    /// </summary>
    private static void CheckSdkPin(StackPlan plan, LockedEnvironment environment, List<Diagnostic> findings)
    {
        var pin = environment.Stack.DotnetSdk;
        var asked = plan.DotnetSdk?.ToNormalizedString() ?? "no dotnet-sdk";
        var fits = plan.DotnetSdk is null
            ? pin is null
            : pin is not null && NuGetVersion.TryParse(pin, out var version) && VersionRanges.Allows(plan.DotnetSdk, version);
        if (!fits)
        {
            findings.Add(LockMessages.StackAgainstSpec(environment, "dotnet-sdk", pin ?? "(none)", asked));
        }
    }

    private static void CheckStack(LockedEnvironment environment, string field, string? stack, string? package, List<Diagnostic> findings)
    {
        if (package is not null && !string.Equals(stack, package, StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(LockMessages.StackDiffers(environment, field, stack ?? "(none)", package));
        }
    }

    /// <summary>Every dependency of every locked package is locked (or pruned) at a version its range allows, and everything is reachable.</summary>
    private static void CheckClosure(LockedEnvironment environment, List<Diagnostic> findings)
    {
        foreach (var package in environment.Packages)
        {
            foreach (var dependency in package.Dependencies)
            {
                var locked = environment.Find(dependency.Id);
                var range = VersionRange.Parse(dependency.Range);
                if (locked is null)
                {
                    var pruned = environment.Pruned.FirstOrDefault(p => string.Equals(p.Id, dependency.Id, StringComparison.OrdinalIgnoreCase));
                    if (pruned is null || (range.MinVersion ?? new NuGetVersion(0, 0, 0)) > NuGetVersion.Parse(pruned.ProvidedVersion))
                    {
                        findings.Add(LockMessages.DependencyMissing(environment, package, new LockedDependency(dependency.Id, dependency.Range)));
                    }
                }
                else if (!VersionRanges.Allows(range, NuGetVersion.Parse(locked.Version)))
                {
                    findings.Add(LockMessages.DependencyNotSatisfied(environment, package, dependency, locked));
                }
            }
        }

        var reached = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>(environment.Roots.Select(r => r.Id));
        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            if (!reached.Add(id))
            {
                continue;
            }

            foreach (var dependency in environment.Find(id)?.Dependencies ?? [])
            {
                queue.Enqueue(dependency.Id);
            }
        }

        foreach (var package in environment.Packages.Where(p => !reached.Contains(p.Id)))
        {
            findings.Add(LockMessages.Unreachable(environment, package));
        }
    }

    private static void CheckSources(LockedEnvironment environment, PackageSourceSet sources, List<Diagnostic> findings)
    {
        foreach (var package in environment.Packages)
        {
            if (sources.FindByDescription(package.Source) is null)
            {
                findings.Add(LockMessages.UnknownSource(environment, package, sources.Sources.Select(sources.Describe).ToList()));
            }
        }
    }

    private static void CheckInstalled(LockedEnvironment environment, PackageSourceSet sources, GlobalPackagesFolder folder, List<Diagnostic> findings)
    {
        var framework = NuGetFramework.Parse(environment.Framework);
        foreach (var package in environment.Packages)
        {
            var installed = folder.Find(package.Id, package.Version);
            if (installed is null)
            {
                findings.Add(LockMessages.NotInstalled(environment, package, folder.Root));
                continue;
            }

            if (!string.Equals(installed.ContentHash, package.Sha512, StringComparison.Ordinal))
            {
                findings.Add(LockMessages.HashDiffers(environment, package, installed.ContentHash));
            }

            var installedFrom = sources.FindByLocation(installed.Source);
            var lockedFrom = sources.FindByDescription(package.Source);
            if (installedFrom is not null && lockedFrom is not null && !ReferenceEquals(installedFrom, lockedFrom))
            {
                findings.Add(LockMessages.SourceDiffers(environment, package, sources.Describe(installedFrom)));
            }

            if (File.Exists(installed.NuspecPath))
            {
                var nuspec = PackageMetadata.ReadNuspec(installed.NuspecPath).DependenciesFor(framework)
                    .Select(d => $"{d.Id} {d.VersionRange.ToNormalizedString()}")
                    .Order(StringComparer.OrdinalIgnoreCase)
                    .ToList();
                var locked = package.Dependencies.Select(d => $"{d.Id} {d.Range}").Order(StringComparer.OrdinalIgnoreCase).ToList();
                if (!nuspec.SequenceEqual(locked, StringComparer.Ordinal))
                {
                    findings.Add(LockMessages.DependenciesDiffer(environment, package, Join(locked), Join(nuspec)));
                }
            }
        }
    }

    private static string Join(List<string> values) => values.Count == 0 ? "none" : string.Join(", ", values);
}
