using Microsoft.Build.Framework;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Gpu;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;
using TorchEnv.Sdk.Tasks.Diagnostics;
using TorchEnv.Sdk.Tasks.IO;
using TorchEnv.Sdk.Tasks.Restore;

namespace TorchEnv.Sdk.Tasks;

/// <summary>
/// Reads <c>environment.yml</c> and <c>environment.lock.yml</c> for one variant × platform and writes the items file of
/// exact package references the targets feed to NuGet restore. What to do with the lock is Core's one lock workflow
/// (<see cref="Core.Resolution.LockService"/>, through <see cref="CoreServices.ITorchEnvCore.UseLock"/>): lock on the first
/// build and relock a lock that is not fresh outside locked mode; in locked mode refuse, with the same codes at the same
/// lines, everything <c>torchenv lock --check</c> finds offline; never lock in a frozen or design-time build. This task
/// only reports. Also checks the .NET SDK pin and the user's own references to locked packages.
/// </summary>
public sealed class ResolveLockedPackages : TaskBase
{
    /// <summary>Full path of <c>environment.yml</c>.</summary>
    [Required]
    public string SpecFile { get; set; } = "";

    /// <summary>Full path of <c>environment.lock.yml</c>.</summary>
    [Required]
    public string LockFile { get; set; } = "";

    /// <summary>Variant name; empty for the spec's first; <c>auto</c> for the CUDA variant when this machine can run it, else the CPU one.</summary>
    public string? Variant { get; set; }

    /// <summary>Runtime identifier whose packages are restored; empty (not passed) for this host's (Core's <see cref="HostPlatform"/>).</summary>
    public string Platform { get => _platform; set => _platform = HostPlatform.Or(value); }

    private string _platform = HostPlatform.Current;

    /// <summary>Locked mode: every error <c>torchenv lock --check</c> finds offline fails the build; the lock is never rewritten.</summary>
    public bool LockedMode { get; set; }

    /// <summary>
    /// The raw value of <c>TORCHENV_LOCKED</c> (passed when <c>TorchEnvLockedMode</c> is not set): Core reads it as the
    /// tool does (1/true/yes/on turn locked mode on; anything but a boolean is TENV0504).
    /// </summary>
    public string? LockedVariable { get; set; }

    /// <summary>The raw value of <c>TORCHENV_FROZEN</c>, read by Core as the tool reads it (frozen: the lock as it is, never checked or written).</summary>
    public string? FrozenVariable { get; set; }

    /// <summary>Whether the build may lock when there is no (fresh) lock.</summary>
    public bool AutoLock { get; set; } = true;

    /// <summary>A design-time (IDE) build: read the lock only, never resolve.</summary>
    public bool DesignTimeBuild { get; set; }

    /// <summary>The project file (locations of errors that concern the project).</summary>
    [Required]
    public string ProjectFile { get; set; } = "";

    /// <summary>The project's target framework (for messages).</summary>
    public string? TargetFramework { get; set; }

    /// <summary>The project's PackageReference items (before TorchEnv adds its own).</summary>
    public ITaskItem[] PackageReferences { get; set; } = [];

    /// <summary>The project's PackageVersion items (central package management).</summary>
    public ITaskItem[] PackageVersions { get; set; } = [];

    /// <summary><c>$(ManagePackageVersionsCentrally)</c>.</summary>
    public bool CentralPackageManagement { get; set; }

    /// <summary><c>$(NETCoreSdkVersion)</c>: the SDK running this build.</summary>
    public string? DotnetSdkVersion { get; set; }

    /// <summary>Whether to check the SDK against the lock's <c>dotnet-sdk</c>.</summary>
    public bool CheckDotnetSdk { get; set; } = true;

    /// <summary><c>$(RestorePackagesPath)</c> when set: where locking installs packages (else NuGet's default).</summary>
    public string? PackagesFolder { get; set; }

    /// <summary>The items file to write (an MSBuild project returning the locked items).</summary>
    [Required]
    public string OutputFile { get; set; } = "";

    /// <summary>Item type and target of the items file (the targets load it by these names).</summary>
    internal const string ItemType = "_TorchEnvLockedItem";

    internal const string TargetName = "GetTorchEnvLockedItems";

    private LockMode _mode;

    /// <inheritdoc />
    protected override void ExecuteCore()
    {
        // Read first: a TORCHENV_LOCKED / TORCHENV_FROZEN that is not a boolean is an error whatever the state of the lock.
        _mode = LockModeVariables.ForBuild(LockedMode, LockedVariable, FrozenVariable, DesignTimeBuild);
        if (!File.Exists(SpecFile))
        {
            Diagnostics.Report(SdkDiagnostics.SpecNotFound(SpecFile, ProjectFile));
            return;
        }

        var spec = Core.ReadSpec(SpecFile);
        // auto is chosen among the lock's entries, so after the lock is read (or written).
        var auto = AutoVariant.IsAuto(Variant);
        var variant = auto ? null : ChooseVariant(spec);
        if (!auto && (variant is null || !PlatformLocked(variant)))
        {
            return;
        }

        var (environmentLock, entry) = LockedEntry(spec, variant);
        if (environmentLock is null || entry is null || Log.HasLoggedErrors)
        {
            return;
        }

        CheckDotnetSdkPin(spec, entry);
        var references = LockedReferencePlanner.Plan(
            entry, UserItems(PackageReferences), UserItems(PackageVersions), CentralPackageManagement);
        foreach (var conflict in references.Conflicts)
        {
            var file = conflict.Item.DefiningFile ?? ProjectFile;
            Diagnostics.Report(SdkDiagnostics.PackageReferenceConflict(
                conflict.Item.Id, conflict.Item.Version ?? "", conflict.Locked.Version,
                ProjectFileLocator.Locate(file, conflict.ElementName, conflict.Item.Id)));
        }

        if (Log.HasLoggedErrors)
        {
            return;
        }

        if (!DesignTimeBuild && Core.RecordKnownLock(LockFile) is { } registryProblem)
        {
            Log.LogMessage(MessageImportance.Low, registryProblem);
        }

        var sources = Core.RestoreSources(spec, entry);
        GeneratedFile.WriteOrTouch(OutputFile, MSBuildItemsFile.Render(ItemType, TargetName, Items(references, sources, entry)));
    }

    private VariantSpec? ChooseVariant(EnvironmentSpec spec)
    {
        if (string.IsNullOrWhiteSpace(Variant))
        {
            return spec.DefaultVariant;
        }

        var variant = spec.FindVariant(Variant!);
        if (variant is null)
        {
            Diagnostics.Report(SdkDiagnostics.UnknownVariant(Variant!, spec.Variants.Select(v => v.Name), ProjectFile));
        }

        return variant;
    }

    private bool PlatformLocked(VariantSpec variant)
    {
        if (variant.Platforms.Contains(Platform, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        Diagnostics.Report(SdkDiagnostics.PlatformNotLockedForVariant(Platform, variant.Name, variant.Platforms, variant.Location));
        return false;
    }

    /// <summary>
    /// The variant <c>TorchEnvVariant=auto</c> builds, as Core chooses it from the lock and this machine's GPUs, said in
    /// the build log; null after an error.
    /// </summary>
    private VariantSpec? ChooseAutoVariant(EnvironmentSpec spec, EnvironmentLock environmentLock)
    {
        if (Core.ChooseAutoVariant(environmentLock, Platform) is not { } choice)
        {
            Diagnostics.Report(LockMessages.EnvironmentMissing(AutoVariant.Name, Platform, LockFile));
            return null;
        }

        Log.LogMessage(MessageImportance.High, $"TorchEnv: TorchEnvVariant=auto chose '{choice.Variant}': {choice.Reason}. Name the variant (-p:TorchEnvVariant={choice.Variant}) to pin it.");
        var variant = spec.FindVariant(choice.Variant);
        return variant is not null && PlatformLocked(variant) ? variant : null;
    }

    /// <summary>
    /// The lock entry of the variant × platform to build with (<paramref name="variant"/> null: <c>auto</c>), as Core
    /// decides; null after an error or when there is none to use.
    /// </summary>
    private (EnvironmentLock? Lock, LockedEnvironment? Entry) LockedEntry(EnvironmentSpec spec, VariantSpec? variant)
    {
        var use = Core.UseLock(spec, LockFile, _mode, AutoLock, string.IsNullOrWhiteSpace(PackagesFolder) ? null : PackagesFolder,
            message => Log.LogMessage(MessageImportance.Normal, message), CancellationToken);
        if (use.Action == LockAction.Refused)
        {
            Diagnostics.Report(AutoLock || _mode == LockMode.Locked ? use.Findings : [SdkDiagnostics.AutoLockDisabled(LockFile, SpecFile)]);
            return (null, null);
        }

        // Warnings of the check (a locked package not installed yet: its hash is checked after restore) are not the
        // user's to fix before the first restore; they go to the detailed log.
        foreach (var finding in use.Findings)
        {
            Log.LogMessage(MessageImportance.Low, finding.ToString());
        }

        if (use.Lock is not null && variant is null && (variant = ChooseAutoVariant(spec, use.Lock)) is null)
        {
            return (null, null);
        }

        var entry = variant is null ? null : use.Lock?.Find(variant.Name, Platform);
        if (use.Lock is null || entry is null)
        {
            Diagnostics.Report(_mode == LockMode.DesignTime ? SdkDiagnostics.DesignTimeWithoutLock(LockFile)
                : LockMessages.EnvironmentMissing(variant?.Name ?? AutoVariant.Name, Platform, LockFile));
            return (null, null);
        }

        // Said only by the process that wrote: of projects (or torchenv) locking at once, one writes, the others wait and read.
        if (use.Action == LockAction.Created && use.Written)
        {
            Diagnostics.Report(SdkDiagnostics.LockWritten(LockFile, entry.Packages.Count));
        }
        else if (use.Action == LockAction.Relocked && use.Written)
        {
            Diagnostics.Report(SdkDiagnostics.Relocked(LockFile, variant!.Name, Platform));
        }

        return (use.Lock, entry);
    }

    private void CheckDotnetSdkPin(EnvironmentSpec spec, LockedEnvironment entry)
    {
        var locked = entry.Stack.DotnetSdk;
        if (!CheckDotnetSdk || string.IsNullOrWhiteSpace(locked) || string.IsNullOrWhiteSpace(DotnetSdkVersion)
            || DotnetSdkPin.Matches(locked!, DotnetSdkVersion!))
        {
            return;
        }

        Diagnostics.Report(SdkDiagnostics.DotnetSdkMismatch(
            DotnetSdkVersion!, locked!, spec.Policy == EnvironmentPolicy.Production, entry.Location ?? SdkDiagnostics.At(LockFile)));
    }

    private IEnumerable<GeneratedItem> Items(LockedReferences references, IReadOnlyList<string> sources, LockedEnvironment entry)
    {
        foreach (var item in references.PackageReferences)
        {
            yield return item with { Metadata = [new("TorchEnvItemKind", "PackageReference"), .. item.Metadata] };
        }

        foreach (var item in references.PackageVersions)
        {
            yield return item with { Metadata = [new("TorchEnvItemKind", "PackageVersion"), .. item.Metadata] };
        }

        // Restore must find the locked packages where they were locked from, even when NuGet.config does not list the
        // spec's channels (a local folder feed, a URL written in environment.yml).
        foreach (var source in sources)
        {
            yield return new GeneratedItem(source, [new("TorchEnvItemKind", "Source")]);
        }

        yield return new GeneratedItem("environment",
        [
            new("TorchEnvItemKind", "Environment"),
            new("Variant", entry.Variant),
            new("Platform", entry.Platform),
            new("SpecHash", entry.SpecHash),
            new("LockHash", LockHash.OfFile(LockFile)),
        ]);
    }

    /// <summary>The project's own items (implicit ones added by SDK targets are not the user's and are left alone).</summary>
    private static List<UserPackageItem> UserItems(IEnumerable<ITaskItem> items) =>
        items.Where(i => !string.Equals(i.GetMetadata("IsImplicitlyDefined"), "true", StringComparison.OrdinalIgnoreCase)
                         && !string.Equals(i.GetMetadata("TorchEnvLocked"), "true", StringComparison.OrdinalIgnoreCase))
            .Select(i =>
            {
                var version = i.GetMetadata("Version");
                if (string.IsNullOrEmpty(version))
                {
                    version = i.GetMetadata("VersionOverride");
                }

                var metadata = TaskItems.CustomMetadata(i);
                var defining = i.GetMetadata("DefiningProjectFullPath");
                return new UserPackageItem(i.ItemSpec, string.IsNullOrEmpty(version) ? null : version, metadata,
                    string.IsNullOrEmpty(defining) ? null : defining);
            })
            .ToList();
}
