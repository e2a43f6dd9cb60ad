using System.Text.Json;
using NuGet.Packaging;
using NuGet.Packaging.PackageExtraction;
using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;
using TorchEnv.Core.Packages;

namespace TorchEnv.Core.Lock;

/// <summary>What <see cref="LockVerifier"/> compares besides the global packages folder's records.</summary>
public sealed record VerifyOptions
{
    /// <summary>
    /// Rehash each <c>.nupkg</c> as NuGet does and compare every extracted file with its entry in the package
    /// (finds a tampered native library). CUDA files restitched from fragments are checked against their <c>.sha</c>.
    /// </summary>
    public bool Deep { get; init; }

    /// <summary>A project's <c>obj/project.assets.json</c>: the versions and hashes restore actually used are compared with the lock.</summary>
    public string? AssetsFile { get; init; }
}

/// <summary>
/// Checks installed packages against a locked environment (<c>torchenv verify</c>): each locked package installed,
/// with NuGet's recorded content hash equal to the locked SHA-512; optionally the versions a project restored; and with
/// <see cref="VerifyOptions.Deep"/> the bytes themselves.
/// </summary>
public static class LockVerifier
{
    /// <summary>Verifies one variant × platform of a lock; TENV0258 when the lock does not have it.</summary>
    public static IReadOnlyList<Diagnostic> Verify(
        EnvironmentLock lockFile, string variant, string platform, string lockPath, string globalPackagesFolder, VerifyOptions? options = null)
    {
        var environment = lockFile.Find(variant, platform);
        return environment is null
            ? [LockMessages.VerifyEnvironmentMissing(variant, platform, lockPath)]
            : Verify(environment, globalPackagesFolder, options);
    }

    /// <summary>Verifies the packages of one locked environment in <paramref name="globalPackagesFolder"/>.</summary>
    public static IReadOnlyList<Diagnostic> Verify(LockedEnvironment environment, string globalPackagesFolder, VerifyOptions? options = null)
    {
        options ??= new VerifyOptions();
        var folder = new GlobalPackagesFolder(globalPackagesFolder);
        var findings = new List<Diagnostic>();
        foreach (var package in environment.Packages)
        {
            var installed = folder.Find(package.Id, package.Version);
            if (installed is null)
            {
                findings.Add(LockMessages.VerifyNotInstalled(environment, package, folder.Root));
                continue;
            }

            if (!string.Equals(installed.ContentHash, package.Sha512, StringComparison.Ordinal))
            {
                findings.Add(LockMessages.VerifyHashDiffers(environment, package, ".nupkg.metadata", installed.ContentHash));
            }

            if (options.Deep)
            {
                VerifyContents(environment, package, installed, folder, findings);
            }
        }

        if (options.AssetsFile is not null)
        {
            VerifyAssets(environment, options.AssetsFile, findings);
        }

        return findings;
    }

    private static void VerifyContents(
        LockedEnvironment environment, LockedPackage package, InstalledPackage installed, GlobalPackagesFolder folder, List<Diagnostic> findings)
    {
        if (!File.Exists(installed.NupkgPath))
        {
            findings.Add(LockMessages.VerifyFileMissing(environment, package, Path.GetFileName(installed.NupkgPath)));
            return;
        }

        using var reader = new PackageArchiveReader(installed.NupkgPath);
        var actual = reader.GetContentHash(CancellationToken.None);
        if (!string.Equals(actual, installed.ContentHash, StringComparison.Ordinal))
        {
            findings.Add(LockMessages.VerifyNupkgAltered(environment, package, installed.NupkgPath, actual));
        }

        var files = PackageContents.ExtractedFiles(reader);
        var skipXmlDocs = PackageExtractionBehavior.XmlDocFileSaveMode != XmlDocFileSaveMode.None;
        foreach (var file in files)
        {
            var onDisk = Path.Combine(installed.Directory, file);
            if (!File.Exists(onDisk))
            {
                // Restitching deletes the fragments after joining them into the primary file: a missing fragment is
                // expected once the primary was joined, and a loss when the primary still is its package's first chunk
                // (a joined primary that is wrong is the primary's own finding, TENV0256).
                var fragment = SplitFile.OfFragment(package.Id, file);
                var xmlDoc = skipXmlDocs && file.EndsWith(".xml", StringComparison.OrdinalIgnoreCase);
                if (fragment is not null)
                {
                    if (StillUnjoined(folder.Find(fragment.PrimaryId, package.Version), fragment.PrimaryPath))
                    {
                        findings.Add(LockMessages.VerifyUnjoined(environment, package, file, $"{fragment.PrimaryId}/{fragment.PrimaryPath}"));
                    }
                }
                else if (!xmlDoc)
                {
                    findings.Add(LockMessages.VerifyFileMissing(environment, package, file));
                }

                continue;
            }

            using var entry = reader.GetStream(file);
            if (FileContents.Same(entry, onDisk))
            {
                continue;
            }

            var sha = files.Contains(file + ".sha") ? Path.Combine(installed.Directory, file + ".sha") : null;
            if (sha is not null && File.Exists(sha))
            {
                if (!FileHashes.MatchesShaFile(onDisk, sha))
                {
                    findings.Add(LockMessages.VerifyRestitchDiffers(environment, package, file));
                }

                continue;
            }

            findings.Add(LockMessages.VerifyFileAltered(environment, package, file));
        }

        var nuspecEntry = reader.GetNuspecFile();
        if (File.Exists(installed.NuspecPath))
        {
            using var nuspec = reader.GetStream(nuspecEntry);
            if (!FileContents.Same(nuspec, installed.NuspecPath))
            {
                findings.Add(LockMessages.VerifyFileAltered(environment, package, Path.GetFileName(installed.NuspecPath)));
            }
        }
        else
        {
            findings.Add(LockMessages.VerifyFileMissing(environment, package, Path.GetFileName(installed.NuspecPath)));
        }
    }

    /// <summary>True when the primary of a split file is missing or still equals the chunk its package carries.</summary>
    private static bool StillUnjoined(InstalledPackage? primary, string primaryPath)
    {
        var onDisk = primary is null ? null : Path.Combine(primary.Directory, primaryPath);
        if (primary is null || !File.Exists(onDisk) || !File.Exists(primary.NupkgPath))
        {
            return true;
        }

        using var reader = new PackageArchiveReader(primary.NupkgPath);
        using var entry = reader.GetStream(primaryPath);
        return FileContents.Same(entry, onDisk);
    }

    private static void VerifyAssets(LockedEnvironment environment, string assetsFile, List<Diagnostic> findings)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(assetsFile));
        var restored = new Dictionary<string, (string Id, string Version, string? Sha512)>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("libraries", out var libraries))
        {
            foreach (var library in libraries.EnumerateObject())
            {
                if (library.Value.TryGetProperty("type", out var type) && type.GetString() != "package")
                {
                    continue;
                }

                var slash = library.Name.IndexOf('/');
                var (id, version) = (library.Name[..slash], library.Name[(slash + 1)..]);
                var sha = library.Value.TryGetProperty("sha512", out var s) ? s.GetString() : null;
                restored[id] = (id, version, sha);
            }
        }

        foreach (var package in environment.Packages)
        {
            if (!restored.TryGetValue(package.Id, out var library))
            {
                findings.Add(LockMessages.VerifyVersionDiffers(environment, package, "nothing", assetsFile));
                continue;
            }

            if (!NuGetVersion.Parse(library.Version).Equals(NuGetVersion.Parse(package.Version)))
            {
                findings.Add(LockMessages.VerifyVersionDiffers(environment, package, library.Version, assetsFile));
            }
            else if (library.Sha512 is not null && !string.Equals(library.Sha512, package.Sha512, StringComparison.Ordinal))
            {
                findings.Add(LockMessages.VerifyHashDiffers(environment, package, assetsFile, library.Sha512));
            }
        }

        foreach (var (id, version, _) in restored.Values.OrderBy(l => l.Id, StringComparer.OrdinalIgnoreCase))
        {
            if (environment.Find(id) is null)
            {
                findings.Add(LockMessages.VerifyExtraRestored(environment, id, version, assetsFile));
            }
        }
    }
}
