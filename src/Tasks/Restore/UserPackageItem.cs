namespace TorchEnv.Sdk.Tasks.Restore;

/// <summary>A <c>PackageReference</c> or <c>PackageVersion</c> the project itself declares, as the task sees it.</summary>
/// <param name="Id">The item's include (package id, as the user cased it).</param>
/// <param name="Version">The version asked for (<c>Version</c>, else <c>VersionOverride</c>), or null.</param>
/// <param name="Metadata">The item's other custom metadata (PrivateAssets, GeneratePathProperty, …), kept on the locked item.</param>
/// <param name="DefiningFile">The project or props file that declares it (for the error location).</param>
internal sealed record UserPackageItem(string Id, string? Version, IReadOnlyList<KeyValuePair<string, string>> Metadata, string? DefiningFile);
