using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Lock;

/// <summary>
/// Every diagnostic about the lock file (TENV0220–TENV0259): reading it, checking it against the spec and the global
/// packages folder, and verifying installed packages. Each code is described in docs/diagnostics.md.
/// </summary>
internal static class LockMessages
{
    private const string Relock = "Run `torchenv lock` to update the lock (commit the result).";

    // Reading (TENV0220–TENV0229).

    public static readonly DiagnosticDescriptor SyntaxDescriptor = new(
        "TENV0220", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The lock file is not valid: {0}",
        "Do not edit the lock by hand; restore it from version control or run `torchenv lock` again.");

    public static readonly DiagnosticDescriptor UnknownKeyDescriptor = new(
        "TENV0221", DiagnosticSeverity.Error, ExitClass.BadInput,
        "Unknown key '{0}' in {1}.{2} Known keys: {3}.",
        "Remove the key, or lock again with `torchenv lock`; a newer torchenv may have written it (update torchenv).");

    public static readonly DiagnosticDescriptor MissingKeyDescriptor = new(
        "TENV0222", DiagnosticSeverity.Error, ExitClass.BadInput,
        "Required key '{0}' is missing in {1}.",
        "Run `torchenv lock` to write a complete lock.");

    public static readonly DiagnosticDescriptor InvalidValueDescriptor = new(
        "TENV0223", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' has the value '{1}', but it must be {2}.",
        "Run `torchenv lock` to rewrite the lock.");

    public static readonly DiagnosticDescriptor UnsupportedVersionDescriptor = new(
        "TENV0224", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The lock has format version {0}, {1}",
        "{2}");

    public static readonly DiagnosticDescriptor DuplicateDescriptor = new(
        "TENV0225", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} appears twice (first at line {1}).",
        "Remove the duplicate, or run `torchenv lock` to rewrite the lock.");

    public static readonly DiagnosticDescriptor WriterBusyDescriptor = new(
        "TENV0226", DiagnosticSeverity.Error, ExitClass.CannotWrite,
        "Another process is writing {0} (the lock file {1} was held for more than {2:0} s).",
        "Wait for the other torchenv or build to finish and retry. If none is running, delete {1}.");

    public static readonly DiagnosticDescriptor UnreadableDescriptor = new(
        "TENV0227", DiagnosticSeverity.Error, ExitClass.MissingInput,
        "The lock file {0} cannot be read: {1}",
        "Check that it is the lock written by torchenv, or run `torchenv lock` again.");

    public static readonly DiagnosticDescriptor CannotWriteDescriptor = new(
        "TENV0228", DiagnosticSeverity.Error, ExitClass.CannotWrite,
        "The lock file {0} cannot be written: {1}",
        "Check that the folder exists and is writable (a read-only checkout cannot be locked).");

    public static Diagnostic Syntax(string message, SourceLocation location) => SyntaxDescriptor.Create(location, message);

    public static Diagnostic UnknownKey(string key, string where, IReadOnlyList<string> known, SourceLocation location) =>
        UnknownKeyDescriptor.Create(location, key, where, NameSuggestions.DidYouMean(key, known), string.Join(", ", known));

    public static Diagnostic MissingKey(string key, string where, SourceLocation location) => MissingKeyDescriptor.Create(location, key, where);

    public static Diagnostic InvalidValue(string key, string value, string expected, SourceLocation location) =>
        InvalidValueDescriptor.Create(location, key, value, expected);

    public static Diagnostic UnsupportedVersion(int version, SourceLocation location) => UnsupportedVersionDescriptor.Create(
        location,
        version,
        version > EnvironmentLock.CurrentFormatVersion
            ? $"written by a newer torchenv; this one reads up to {EnvironmentLock.CurrentFormatVersion}."
            : $"which no torchenv writes (expected {EnvironmentLock.CurrentFormatVersion}).",
        version > EnvironmentLock.CurrentFormatVersion
            ? "Update torchenv (`dotnet tool update torchenv`) to the version that wrote the lock."
            : "Run `torchenv lock` to write the lock in the current format.");

    public static Diagnostic Duplicate(string what, SourceLocation location, SourceLocation first) => DuplicateDescriptor.Create(location, what, first.Line);

    public static Diagnostic WriterBusy(string path, string lockFile, TimeSpan waited) => WriterBusyDescriptor.Create(null, path, lockFile, waited.TotalSeconds);

    public static Diagnostic CannotWrite(string path, string reason) => CannotWriteDescriptor.Create(null, path, reason);

    public static Diagnostic Unreadable(string path, string reason) => UnreadableDescriptor.Create(new SourceLocation(path, 1, 1), path, reason);

    // Checking against the spec and the global packages folder (TENV0230–TENV0249).

    public static readonly DiagnosticDescriptor MissingDescriptor = new(
        "TENV0230", DiagnosticSeverity.Error, ExitClass.MissingInput,
        "There is no lock file {0} for {1}.",
        "Run `torchenv lock` and commit environment.lock.yml.");

    public static readonly DiagnosticDescriptor SpecChangedDescriptor = new(
        "TENV0231", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The lock of {0} is stale: environment.yml changed since it was locked (spec hash {1} in the lock, {2} now).",
        Relock);

    public static readonly DiagnosticDescriptor EnvironmentMissingDescriptor = new(
        "TENV0232", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The spec has {0}/{1}, but the lock has no entry for it.",
        Relock);

    public static readonly DiagnosticDescriptor EnvironmentExtraDescriptor = new(
        "TENV0233", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The lock has {0}, which the spec no longer has.",
        Relock);

    public static readonly DiagnosticDescriptor RootNotSatisfiedDescriptor = new(
        "TENV0234", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1}",
        Relock);

    public static readonly DiagnosticDescriptor DependencyNotSatisfiedDescriptor = new(
        "TENV0235", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} is locked at {2}, but {3} {4} needs {5} {6}.",
        Relock);

    public static readonly DiagnosticDescriptor DependencyMissingDescriptor = new(
        "TENV0236", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} {2} depends on {3} {4}, which is neither locked nor pruned.",
        Relock);

    public static readonly DiagnosticDescriptor DependenciesDifferDescriptor = new(
        "TENV0237", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: the dependencies locked for {1} {2} ({3}) differ from its nuspec for {4} ({5}).",
        "The lock was edited or the installed package is not the locked one; " + Relock);

    public static readonly DiagnosticDescriptor HashDiffersDescriptor = new(
        "TENV0238", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: the SHA-512 locked for {1} {2} differs from the content hash NuGet recorded for the installed package ({3}).",
        "If the lock was edited, restore it from version control or run `torchenv lock`; if the package in the global packages folder is not genuine, delete its folder and restore again.");

    public static readonly DiagnosticDescriptor NotInstalledDescriptor = new(
        "TENV0239", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "{0}: {1} {2} is not in the global packages folder {3}, so its hash and dependencies could not be checked offline.",
        "Run `dotnet restore` (or `torchenv lock`) to install it; before a restore this warning is expected.");

    public static readonly DiagnosticDescriptor WouldChangeDescriptor = new(
        "TENV0240", DiagnosticSeverity.Error, ExitClass.BadInput,
        "Locking again would change {0}: {1}.",
        Relock);

    public static readonly DiagnosticDescriptor UnknownSourceDescriptor = new(
        "TENV0241", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} {2} is locked from '{3}', which is not one of the spec's sources ({4}).",
        "Add the source to the spec's channels, or " + Relock);

    public static readonly DiagnosticDescriptor SourceDiffersDescriptor = new(
        "TENV0242", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} {2} is locked from '{3}', but the installed copy came from '{4}'.",
        "If the lock was edited, restore it from version control; otherwise " + Relock);

    public static readonly DiagnosticDescriptor FrameworkChangedDescriptor = new(
        "TENV0243", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} is locked for {1}, but the spec now resolves for {2}.",
        Relock);

    public static readonly DiagnosticDescriptor RootsChangedDescriptor = new(
        "TENV0244", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: the locked roots ({1}) differ from what the spec asks for now ({2}).",
        Relock);

    public static readonly DiagnosticDescriptor UnreachableDescriptor = new(
        "TENV0245", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} {2} is locked, but no root depends on it.",
        Relock);

    public static readonly DiagnosticDescriptor StackDiffersDescriptor = new(
        "TENV0246", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: the stack says {1} {2}, but the locked package has {3}.",
        Relock);

    public static readonly DiagnosticDescriptor NameDiffersDescriptor = new(
        "TENV0247", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The lock is named '{0}', but environment.yml names the environment '{1}'.",
        Relock);

    public static readonly DiagnosticDescriptor RecomputedDiffersDescriptor = new(
        "TENV0248", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: the lock's {1} is {2}, but recomputed from {3} it is {4}.",
        "The lock was edited by hand or written from other packages: run `torchenv lock` to lock again (it computes these fields from the packages and the .NET SDK) and commit the result.");

    public static readonly DiagnosticDescriptor StackAgainstSpecDescriptor = new(
        "TENV0249", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: the lock's stack.{1} is {2}, but environment.yml asks for {3}.",
        Relock);

    /// <summary>A field recomputed from what it describes that differs, at its section of the lock (<c>host:</c>, <c>stack:</c>, else the entry).</summary>
    public static Diagnostic RecomputedDiffers(LockedEnvironment environment, string field, string locked, string from, string recomputed) =>
        RecomputedDiffersDescriptor.Create(
            (field.StartsWith("host.", StringComparison.Ordinal) ? environment.HostLocation
                : field.StartsWith("stack.", StringComparison.Ordinal) ? environment.StackLocation
                : environment.Location) ?? environment.Location,
            environment.Key, field, locked, from, recomputed);

    public static Diagnostic StackAgainstSpec(LockedEnvironment environment, string field, string locked, string asked) =>
        StackAgainstSpecDescriptor.Create(environment.StackLocation ?? environment.Location, environment.Key, field, locked, asked);

    public static Diagnostic NameDiffers(EnvironmentLock environmentLock, string lockPath, string specName) =>
        NameDiffersDescriptor.Create(environmentLock.NameLocation ?? new SourceLocation(lockPath, 1, 1), environmentLock.Name, specName);

    public static Diagnostic Missing(string lockPath, string specPath) => MissingDescriptor.Create(new SourceLocation(specPath, 1, 1), lockPath, specPath);

    public static Diagnostic SpecChanged(LockedEnvironment environment, string locked, string current) =>
        SpecChangedDescriptor.Create(environment.Location, environment.Key, Short(locked), Short(current));

    public static Diagnostic EnvironmentMissing(string variant, string platform, string lockPath) =>
        EnvironmentMissingDescriptor.Create(new SourceLocation(lockPath, 1, 1), variant, platform);

    public static Diagnostic EnvironmentExtra(LockedEnvironment environment) => EnvironmentExtraDescriptor.Create(environment.Location, environment.Key);

    public static Diagnostic RootNotSatisfied(LockedEnvironment environment, string id, string range, string? version, string reason, SourceLocation? location) =>
        RootNotSatisfiedDescriptor.Create(
            location ?? environment.Location,
            environment.Key,
            version is null
                ? $"the root {id} {range} ({reason}) is not in the lock."
                : $"{id} is locked at {version}, which no longer satisfies {range} ({reason}).");

    public static Diagnostic DependencyNotSatisfied(LockedEnvironment environment, LockedPackage from, LockedDependency dependency, LockedPackage locked) =>
        DependencyNotSatisfiedDescriptor.Create(locked.Location, environment.Key, locked.Id, locked.Version, from.Id, from.Version, dependency.Id, dependency.Range);

    public static Diagnostic DependencyMissing(LockedEnvironment environment, LockedPackage from, LockedDependency dependency) =>
        DependencyMissingDescriptor.Create(from.Location, environment.Key, from.Id, from.Version, dependency.Id, dependency.Range);

    public static Diagnostic DependenciesDiffer(LockedEnvironment environment, LockedPackage package, string locked, string nuspec) =>
        DependenciesDifferDescriptor.Create(package.Location, environment.Key, package.Id, package.Version, locked, environment.Framework, nuspec);

    public static Diagnostic HashDiffers(LockedEnvironment environment, LockedPackage package, string installed) =>
        HashDiffersDescriptor.Create(package.Location, environment.Key, package.Id, package.Version, Short(installed));

    public static Diagnostic NotInstalled(LockedEnvironment environment, LockedPackage package, string folder) =>
        NotInstalledDescriptor.Create(package.Location, environment.Key, package.Id, package.Version, folder);

    public static Diagnostic WouldChange(string lockPath, IReadOnlyList<string> changes) =>
        WouldChangeDescriptor.Create(new SourceLocation(lockPath, 1, 1), lockPath, string.Join("; ", changes));

    public static Diagnostic UnknownSource(LockedEnvironment environment, LockedPackage package, IReadOnlyList<string> sources) =>
        UnknownSourceDescriptor.Create(package.Location, environment.Key, package.Id, package.Version, package.Source, string.Join(", ", sources));

    public static Diagnostic SourceDiffers(LockedEnvironment environment, LockedPackage package, string installedFrom) =>
        SourceDiffersDescriptor.Create(package.Location, environment.Key, package.Id, package.Version, package.Source, installedFrom);

    public static Diagnostic FrameworkChanged(LockedEnvironment environment, string current) =>
        FrameworkChangedDescriptor.Create(environment.Location, environment.Key, environment.Framework, current);

    public static Diagnostic RootsChanged(LockedEnvironment environment, string locked, string planned) =>
        RootsChangedDescriptor.Create(environment.Location, environment.Key, locked, planned);

    public static Diagnostic Unreachable(LockedEnvironment environment, LockedPackage package) =>
        UnreachableDescriptor.Create(package.Location, environment.Key, package.Id, package.Version);

    public static Diagnostic StackDiffers(LockedEnvironment environment, string field, string stack, string package) =>
        StackDiffersDescriptor.Create(environment.Location, environment.Key, field, stack, package);

    // Verifying installed packages (TENV0250–TENV0259).

    public static readonly DiagnosticDescriptor VerifyNotInstalledDescriptor = new(
        "TENV0250", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} {2} is locked but not installed in {3}.",
        "Run `dotnet restore` for the project (TorchEnv.Sdk restores exactly the lock).");

    public static readonly DiagnosticDescriptor VerifyVersionDiffersDescriptor = new(
        "TENV0251", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} is locked at {2}, but the project restored {3} ({4}).",
        "Restore with TorchEnv.Sdk so the build uses the lock, or run `torchenv lock` if the spec changed.");

    public static readonly DiagnosticDescriptor VerifyHashDiffersDescriptor = new(
        "TENV0252", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} {2} has SHA-512 {3} in {4}, but the lock says {5}.",
        "Delete the package's folder in the global packages folder and restore again; if the lock was edited, restore it from version control.");

    public static readonly DiagnosticDescriptor VerifyNupkgAlteredDescriptor = new(
        "TENV0253", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} was altered after NuGet installed it (its content hash is now {2}).",
        "Delete the package's folder in the global packages folder and restore again.");

    public static readonly DiagnosticDescriptor VerifyFileAlteredDescriptor = new(
        "TENV0254", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} of {2} {3} differs from the file in the package.",
        "Something changed an installed file (a tampered native library?). Delete the package's folder in the global packages folder and restore again.");

    public static readonly DiagnosticDescriptor VerifyFileMissingDescriptor = new(
        "TENV0255", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} of {2} {3} is missing from the global packages folder.",
        "Delete the package's folder in the global packages folder and restore again.");

    public static readonly DiagnosticDescriptor VerifyRestitchDiffersDescriptor = new(
        "TENV0256", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} of {2} {3} was joined from its CUDA fragments, but does not match its .sha.",
        "Delete the -primary and -fragmentN package folders in the global packages folder, restore and build again.");

    public static readonly DiagnosticDescriptor VerifyUnjoinedDescriptor = new(
        "TENV0259", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}: {1} of {2} {3} is gone, but {4} was never joined from it (it still is the first chunk of its -primary package).",
        "The CUDA file can no longer be restitched. Delete the -primary and -fragmentN package folders in the global packages folder, restore and build again.");

    public static readonly DiagnosticDescriptor VerifyExtraRestoredDescriptor = new(
        "TENV0257", DiagnosticSeverity.Warning, ExitClass.BadInput,
        "{0}: the project restored {1} {2}, which the lock does not have ({3}).",
        "Add the package to the spec's `nuget:` list and lock again, or remove the PackageReference. Suppress with NoWarn TENV0257.");

    public static readonly DiagnosticDescriptor VerifyEnvironmentMissingDescriptor = new(
        "TENV0258", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The lock has no entry for {0}/{1}.",
        "Add the platform to the variant in environment.yml and run `torchenv lock`.");

    public static Diagnostic VerifyNotInstalled(LockedEnvironment environment, LockedPackage package, string folder) =>
        VerifyNotInstalledDescriptor.Create(package.Location, environment.Key, package.Id, package.Version, folder);

    public static Diagnostic VerifyVersionDiffers(LockedEnvironment environment, LockedPackage package, string restored, string assetsFile) =>
        VerifyVersionDiffersDescriptor.Create(package.Location, environment.Key, package.Id, package.Version, restored, assetsFile);

    public static Diagnostic VerifyHashDiffers(LockedEnvironment environment, LockedPackage package, string where, string found) =>
        VerifyHashDiffersDescriptor.Create(package.Location, environment.Key, package.Id, package.Version, Short(found), where, Short(package.Sha512));

    public static Diagnostic VerifyNupkgAltered(LockedEnvironment environment, LockedPackage package, string nupkg, string actual) =>
        VerifyNupkgAlteredDescriptor.Create(package.Location, environment.Key, nupkg, Short(actual));

    public static Diagnostic VerifyFileAltered(LockedEnvironment environment, LockedPackage package, string file) =>
        VerifyFileAlteredDescriptor.Create(package.Location, environment.Key, file, package.Id, package.Version);

    public static Diagnostic VerifyFileMissing(LockedEnvironment environment, LockedPackage package, string file) =>
        VerifyFileMissingDescriptor.Create(package.Location, environment.Key, file, package.Id, package.Version);

    public static Diagnostic VerifyRestitchDiffers(LockedEnvironment environment, LockedPackage package, string file) =>
        VerifyRestitchDiffersDescriptor.Create(package.Location, environment.Key, file, package.Id, package.Version);

    public static Diagnostic VerifyUnjoined(LockedEnvironment environment, LockedPackage package, string fragment, string primary) =>
        VerifyUnjoinedDescriptor.Create(package.Location, environment.Key, fragment, package.Id, package.Version, primary);

    public static Diagnostic VerifyExtraRestored(LockedEnvironment environment, string id, string version, string assetsFile) =>
        VerifyExtraRestoredDescriptor.Create(null, environment.Key, id, version, assetsFile);

    public static Diagnostic VerifyEnvironmentMissing(string variant, string platform, string lockPath) =>
        VerifyEnvironmentMissingDescriptor.Create(new SourceLocation(lockPath, 1, 1), variant, platform);

    private static string Short(string hash) => hash.Length > 19 ? hash[..19] + "…" : hash;
}
