using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Resolution;

namespace TorchEnv.Core.Doctor;

/// <summary>The locked packages of one environment as they are in the global packages folder (the ones installed).</summary>
internal sealed class InstalledStack
{
    private static readonly HashSet<string> MetadataFiles = new(StringComparer.OrdinalIgnoreCase) { ".nupkg.metadata", ".signature.p7s" };

    private InstalledStack(GlobalPackagesFolder folder, IReadOnlyList<(LockedPackage Locked, InstalledPackage? Installed)> packages)
    {
        Folder = folder;
        Packages = packages;
    }

    public GlobalPackagesFolder Folder { get; }

    /// <summary>Each locked package with its installation, or null when not installed.</summary>
    public IReadOnlyList<(LockedPackage Locked, InstalledPackage? Installed)> Packages { get; }

    public bool AllInstalled => Packages.All(p => p.Installed is not null);

    public static InstalledStack Of(LockedEnvironment environment, string globalPackagesFolder)
    {
        var folder = new GlobalPackagesFolder(globalPackagesFolder);
        return new InstalledStack(folder, environment.Packages.Select(p => (p, folder.Find(p.Id, p.Version))).ToList());
    }

    /// <summary>The installed packages with the files on disk (paths inside the package, forward slashes).</summary>
    public IReadOnlyList<InstalledPackageFiles> Files() => Packages
        .Where(p => p.Installed is not null)
        .Select(p => new InstalledPackageFiles(
            new PackageFiles(p.Locked.Id, p.Locked.Version, FilesIn(p.Installed!.Directory)), p.Installed.Directory))
        .ToList();

    /// <summary>The native files of the platform, whole (fragments joined into temporary files while still split); dispose the collector.</summary>
    public NativeFileCollector Natives(string platform) => NativeFileCollector.Collect(Files(), platform);

    /// <summary>The first native file named <paramref name="fileName"/> among the platform's natives, or null.</summary>
    public static NativeFile? Find(NativeFileCollector natives, string fileName) =>
        natives.Files.FirstOrDefault(f => Path.GetFileName(f.RelativePath) == fileName);

    private static IReadOnlyList<string> FilesIn(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Where(f => !MetadataFiles.Contains(f))
            .ToList();
}
