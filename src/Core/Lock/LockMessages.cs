using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Lock;

/// <summary>
/// Every diagnostic about the lock file (TENV0220–TENV0259): reading it, checking it against the spec and the global
/// packages folder, and verifying installed packages. Each code is described in docs/diagnostics.md.
/// </summary>
internal static class LockMessages
{
    private const string Relock = "Run `torchenv lock` to update the lock (commit the result).";

    private static Diagnostic Error(string code, string message, string fix, SourceLocation? location) =>
        new(code, DiagnosticSeverity.Error, message, location, fix);

    // Reading (TENV0220–TENV0229).

    public static Diagnostic Syntax(string message, SourceLocation location) => Error(
        "TENV0220", $"The lock file is not valid: {message}", "Do not edit the lock by hand; restore it from version control or run `torchenv lock` again.", location);

    public static Diagnostic UnknownKey(string key, string where, IReadOnlyList<string> known, SourceLocation location) => Error(
        "TENV0221", $"Unknown key '{key}' in {where}.{NameSuggestions.DidYouMean(key, known)} Known keys: {string.Join(", ", known)}.",
        "Remove the key, or lock again with `torchenv lock`; a newer torchenv may have written it (update torchenv).", location);

    public static Diagnostic MissingKey(string key, string where, SourceLocation location) => Error(
        "TENV0222", $"Required key '{key}' is missing in {where}.", "Run `torchenv lock` to write a complete lock.", location);

    public static Diagnostic InvalidValue(string key, string value, string expected, SourceLocation location) => Error(
        "TENV0223", $"'{key}' has the value '{value}', but it must be {expected}.", "Run `torchenv lock` to rewrite the lock.", location);

    public static Diagnostic UnsupportedVersion(int version, SourceLocation location) => Error(
        "TENV0224",
        version > EnvironmentLock.CurrentFormatVersion
            ? $"The lock has format version {version}, written by a newer torchenv; this one reads up to {EnvironmentLock.CurrentFormatVersion}."
            : $"The lock has format version {version}, which no torchenv writes (expected {EnvironmentLock.CurrentFormatVersion}).",
        version > EnvironmentLock.CurrentFormatVersion
            ? "Update torchenv (`dotnet tool update torchenv`) to the version that wrote the lock."
            : "Run `torchenv lock` to write the lock in the current format.",
        location);

    public static Diagnostic Duplicate(string what, SourceLocation location, SourceLocation first) => Error(
        "TENV0225", $"{what} appears twice (first at line {first.Line}).", "Remove the duplicate, or run `torchenv lock` to rewrite the lock.", location);

    public static Diagnostic WriterBusy(string path, string lockFile, TimeSpan waited) => Error(
        "TENV0226", $"Another process is writing {path} (the lock file {lockFile} was held for more than {waited.TotalSeconds:0} s).",
        $"Wait for the other torchenv or build to finish and retry. If none is running, delete {lockFile}.", null);

    public static Diagnostic CannotWrite(string path, string reason) => Error(
        "TENV0228", $"The lock file {path} cannot be written: {reason}", "Check that the folder exists and is writable (a read-only checkout cannot be locked).", null);

    public static Diagnostic Unreadable(string path, string reason) => Error(
        "TENV0227", $"The lock file {path} cannot be read: {reason}", "Check that it is the lock written by torchenv, or run `torchenv lock` again.",
        new SourceLocation(path, 1, 1));

    // Checking against the spec and the global packages folder (TENV0230–TENV0249).

    public static Diagnostic Missing(string lockPath, string specPath) => Error(
        "TENV0230", $"There is no lock file {lockPath} for {specPath}.", "Run `torchenv lock` and commit environment.lock.yml.", new SourceLocation(specPath, 1, 1));

    public static Diagnostic SpecChanged(LockedEnvironment environment, string locked, string current) => Error(
        "TENV0231", $"The lock of {environment.Key} is stale: environment.yml changed since it was locked (spec hash {Short(locked)} in the lock, {Short(current)} now).",
        Relock, environment.Location);

    public static Diagnostic EnvironmentMissing(string variant, string platform, string lockPath) => Error(
        "TENV0232", $"The spec has {variant}/{platform}, but the lock has no entry for it.", Relock, new SourceLocation(lockPath, 1, 1));

    public static Diagnostic EnvironmentExtra(LockedEnvironment environment) => Error(
        "TENV0233", $"The lock has {environment.Key}, which the spec no longer has.", Relock, environment.Location);

    public static Diagnostic RootNotSatisfied(LockedEnvironment environment, string id, string range, string? version, string reason, SourceLocation? location) => Error(
        "TENV0234",
        version is null
            ? $"{environment.Key}: the root {id} {range} ({reason}) is not in the lock."
            : $"{environment.Key}: {id} is locked at {version}, which no longer satisfies {range} ({reason}).",
        Relock, location ?? environment.Location);

    public static Diagnostic DependencyNotSatisfied(LockedEnvironment environment, LockedPackage from, LockedDependency dependency, LockedPackage locked) => Error(
        "TENV0235", $"{environment.Key}: {locked.Id} is locked at {locked.Version}, but {from.Id} {from.Version} needs {dependency.Id} {dependency.Range}.",
        Relock, locked.Location);

    public static Diagnostic DependencyMissing(LockedEnvironment environment, LockedPackage from, LockedDependency dependency) => Error(
        "TENV0236", $"{environment.Key}: {from.Id} {from.Version} depends on {dependency.Id} {dependency.Range}, which is neither locked nor pruned.",
        Relock, from.Location);

    public static Diagnostic DependenciesDiffer(LockedEnvironment environment, LockedPackage package, string locked, string nuspec) => Error(
        "TENV0237", $"{environment.Key}: the dependencies locked for {package.Id} {package.Version} ({locked}) differ from its nuspec for {environment.Framework} ({nuspec}).",
        "The lock was edited or the installed package is not the locked one; " + Relock, package.Location);

    public static Diagnostic HashDiffers(LockedEnvironment environment, LockedPackage package, string installed) => Error(
        "TENV0238", $"{environment.Key}: the SHA-512 locked for {package.Id} {package.Version} differs from the content hash NuGet recorded for the installed package ({Short(installed)}).",
        "If the lock was edited, restore it from version control or run `torchenv lock`; if the package in the global packages folder is not genuine, delete its folder and restore again.",
        package.Location);

    public static Diagnostic NotInstalled(LockedEnvironment environment, LockedPackage package, string folder) => new(
        "TENV0239", DiagnosticSeverity.Warning,
        $"{environment.Key}: {package.Id} {package.Version} is not in the global packages folder {folder}, so its hash and dependencies could not be checked offline.",
        package.Location, "Run `dotnet restore` (or `torchenv lock`) to install it; before a restore this warning is expected.");

    public static Diagnostic WouldChange(string lockPath, IReadOnlyList<string> changes) => Error(
        "TENV0240", $"Locking again would change {lockPath}: {string.Join("; ", changes)}.", Relock, new SourceLocation(lockPath, 1, 1));

    public static Diagnostic UnknownSource(LockedEnvironment environment, LockedPackage package, IReadOnlyList<string> sources) => Error(
        "TENV0241", $"{environment.Key}: {package.Id} {package.Version} is locked from '{package.Source}', which is not one of the spec's sources ({string.Join(", ", sources)}).",
        "Add the source to the spec's channels, or " + Relock, package.Location);

    public static Diagnostic SourceDiffers(LockedEnvironment environment, LockedPackage package, string installedFrom) => Error(
        "TENV0242", $"{environment.Key}: {package.Id} {package.Version} is locked from '{package.Source}', but the installed copy came from '{installedFrom}'.",
        "If the lock was edited, restore it from version control; otherwise " + Relock, package.Location);

    public static Diagnostic FrameworkChanged(LockedEnvironment environment, string current) => Error(
        "TENV0243", $"{environment.Key} is locked for {environment.Framework}, but the spec now resolves for {current}.", Relock, environment.Location);

    public static Diagnostic RootsChanged(LockedEnvironment environment, string locked, string planned) => Error(
        "TENV0244", $"{environment.Key}: the locked roots ({locked}) differ from what the spec asks for now ({planned}).", Relock, environment.Location);

    public static Diagnostic Unreachable(LockedEnvironment environment, LockedPackage package) => Error(
        "TENV0245", $"{environment.Key}: {package.Id} {package.Version} is locked, but no root depends on it.", Relock, package.Location);

    public static Diagnostic StackDiffers(LockedEnvironment environment, string field, string stack, string package) => Error(
        "TENV0246", $"{environment.Key}: the stack says {field} {stack}, but the locked package has {package}.", Relock, environment.Location);

    // Verifying installed packages (TENV0250–TENV0259).

    public static Diagnostic VerifyNotInstalled(LockedEnvironment environment, LockedPackage package, string folder) => Error(
        "TENV0250", $"{environment.Key}: {package.Id} {package.Version} is locked but not installed in {folder}.",
        "Run `dotnet restore` for the project (TorchEnv.Sdk restores exactly the lock).", package.Location);

    public static Diagnostic VerifyVersionDiffers(LockedEnvironment environment, LockedPackage package, string restored, string assetsFile) => Error(
        "TENV0251", $"{environment.Key}: {package.Id} is locked at {package.Version}, but the project restored {restored} ({assetsFile}).",
        "Restore with TorchEnv.Sdk so the build uses the lock, or run `torchenv lock` if the spec changed.", package.Location);

    public static Diagnostic VerifyHashDiffers(LockedEnvironment environment, LockedPackage package, string where, string found) => Error(
        "TENV0252", $"{environment.Key}: {package.Id} {package.Version} has SHA-512 {Short(found)} in {where}, but the lock says {Short(package.Sha512)}.",
        "Delete the package's folder in the global packages folder and restore again; if the lock was edited, restore it from version control.", package.Location);

    public static Diagnostic VerifyNupkgAltered(LockedEnvironment environment, LockedPackage package, string nupkg, string actual) => Error(
        "TENV0253", $"{environment.Key}: {nupkg} was altered after NuGet installed it (its content hash is now {Short(actual)}).",
        "Delete the package's folder in the global packages folder and restore again.", package.Location);

    public static Diagnostic VerifyFileAltered(LockedEnvironment environment, LockedPackage package, string file) => Error(
        "TENV0254", $"{environment.Key}: {file} of {package.Id} {package.Version} differs from the file in the package.",
        "Something changed an installed file (a tampered native library?). Delete the package's folder in the global packages folder and restore again.", package.Location);

    public static Diagnostic VerifyFileMissing(LockedEnvironment environment, LockedPackage package, string file) => Error(
        "TENV0255", $"{environment.Key}: {file} of {package.Id} {package.Version} is missing from the global packages folder.",
        "Delete the package's folder in the global packages folder and restore again.", package.Location);

    public static Diagnostic VerifyRestitchDiffers(LockedEnvironment environment, LockedPackage package, string file) => Error(
        "TENV0256", $"{environment.Key}: {file} of {package.Id} {package.Version} was joined from its CUDA fragments, but does not match its .sha.",
        "Delete the -primary and -fragmentN package folders in the global packages folder, restore and build again.", package.Location);

    public static Diagnostic VerifyExtraRestored(LockedEnvironment environment, string id, string version, string assetsFile) => new(
        "TENV0257", DiagnosticSeverity.Warning,
        $"{environment.Key}: the project restored {id} {version}, which the lock does not have ({assetsFile}).",
        null, "Add the package to the spec's `nuget:` list and lock again, or remove the PackageReference. Suppress with NoWarn TENV0257.");

    public static Diagnostic VerifyEnvironmentMissing(string variant, string platform, string lockPath) => Error(
        "TENV0258", $"The lock has no entry for {variant}/{platform}.", "Add the platform to the variant in environment.yml and run `torchenv lock`.",
        new SourceLocation(lockPath, 1, 1));

    private static string Short(string hash) => hash.Length > 19 ? hash[..19] + "…" : hash;
}
