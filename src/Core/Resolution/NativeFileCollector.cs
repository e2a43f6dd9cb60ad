using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.IO;
using TorchEnv.Core.Native;
using TorchEnv.Core.Packages;

namespace TorchEnv.Core.Resolution;

/// <summary>An installed package with its file list, for native-file collection.</summary>
/// <param name="Files">The package's files (paths inside the .nupkg).</param>
/// <param name="Directory">Where NuGet extracted it.</param>
internal sealed record InstalledPackageFiles(PackageFiles Files, string Directory);

/// <summary>
/// The native files of a platform's locked packages, as the loader will see them: <c>runtimes/&lt;rid&gt;/native/**</c>
/// (the RID and its portable parents). A CUDA file split over a "-primary" package and "-fragmentN" packages is given
/// whole: when the fragments are still there (the first build restitches them inside the NuGet cache), the pieces are
/// joined into a temporary file and checked against the primary's <c>.sha</c>, exactly as TorchSharp's restitch does.
/// Dispose to delete the temporary files.
/// </summary>
internal sealed class NativeFileCollector : IDisposable
{
    private readonly List<string> _temporary = [];

    private NativeFileCollector(IReadOnlyList<NativeFile> files) => Files = files;

    public IReadOnlyList<NativeFile> Files { get; private set; }

    /// <summary>RIDs whose native folders apply on <paramref name="platform"/> (the portable part of the RID graph).</summary>
    public static IReadOnlyList<string> NativeRids(string platform)
    {
        var os = platform.Split('-')[0];
        var rids = new List<string> { platform };
        if (os != platform)
        {
            rids.Add(os);
        }

        if (os is "linux" or "osx")
        {
            rids.Add("unix");
        }

        rids.Add("any");
        return rids;
    }

    public static NativeFileCollector Collect(IReadOnlyList<InstalledPackageFiles> packages, string platform)
    {
        var prefixes = NativeRids(platform).Select(r => $"runtimes/{r}/native/").ToList();
        var collector = new NativeFileCollector([]);
        var files = new List<NativeFile>();
        try
        {
            foreach (var package in packages.OrderBy(p => p.Files.Id, StringComparer.OrdinalIgnoreCase))
            {
                foreach (var path in package.Files.Files.Order(StringComparer.Ordinal))
                {
                    if (!prefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                        || path.EndsWith(".sha", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var full = Path.Combine(package.Directory, path);
                    var whole = collector.Restitch(package, path, full, packages) ?? full;
                    files.Add(new NativeFile(package.Files.Id, path, whole));
                }
            }
        }
        catch
        {
            collector.Dispose();
            throw;
        }

        collector.Files = files;
        return collector;
    }

    public void Dispose()
    {
        foreach (var file in _temporary)
        {
            try
            {
                Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        _temporary.Clear();
    }

    /// <summary>The joined file when fragments of <paramref name="path"/> are present on disk, else null.</summary>
    private string? Restitch(InstalledPackageFiles primary, string path, string primaryFile, IReadOnlyList<InstalledPackageFiles> packages)
    {
        if (!SplitFile.IsPrimaryPackage(primary.Files.Id))
        {
            return null;
        }

        var split = new SplitFile(primary.Files.Id, path);
        var fragments = new List<string>();
        for (var n = 1; ; n++)
        {
            var (fragmentId, relative) = split.Fragment(n);
            var package = packages.FirstOrDefault(p => string.Equals(p.Files.Id, fragmentId, StringComparison.OrdinalIgnoreCase));
            var file = package is null ? null : Path.Combine(package.Directory, relative);
            if (file is null || !File.Exists(file))
            {
                break;
            }

            fragments.Add(file);
        }

        if (fragments.Count == 0)
        {
            return null; // not split, or already restitched by a build
        }

        var folder = Directory.CreateTempSubdirectory("torchenv-restitch-").FullName;
        var joined = Path.Combine(folder, Path.GetFileName(path));
        _temporary.Add(joined);
        using (var output = File.Create(joined))
        {
            foreach (var piece in fragments.Prepend(primaryFile))
            {
                using var input = File.OpenRead(piece);
                input.CopyTo(output);
            }
        }

        var shaFile = primaryFile + ".sha";
        if (File.Exists(shaFile))
        {
            var expected = FileHashes.ReadShaFile(shaFile);
            var actual = FileHashes.Sha256(joined);

            if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
            {
                throw new TorchEnvException(ResolutionMessages.RestitchMismatch(primary.Files.Id, path, expected, actual));
            }
        }

        return joined;
    }
}
