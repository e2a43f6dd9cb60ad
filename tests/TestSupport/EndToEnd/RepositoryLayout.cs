namespace TorchEnv.TestSupport.EndToEnd;

/// <summary>Where things are in the TorchEnv repository, found from the test assembly's folder.</summary>
public static class RepositoryLayout
{
    /// <summary>The repository root (the folder of <c>Sdk.sln</c>).</summary>
    public static string Root => RepositoryRoot.Get();

    /// <summary><c>artifacts/packages</c>: where <c>dotnet pack Sdk.sln -c Release -o artifacts/packages</c> (eng/test.sh) puts the packages.</summary>
    public static string PackagesFolder => Path.Combine(Root, "artifacts", "packages");

    /// <summary>
    /// The packed <c>&lt;id&gt;.&lt;version&gt;.nupkg</c> in <see cref="PackagesFolder"/> (the newest when several), with its version.
    /// Throws with the command to run when it is missing.
    /// </summary>
    public static (string Path, string Version) FindPackage(string id)
    {
        var candidates = Directory.Exists(PackagesFolder)
            ? Directory.GetFiles(PackagesFolder, id + ".*.nupkg")
                .Where(p => !p.EndsWith(".symbols.nupkg", StringComparison.OrdinalIgnoreCase))
                .Select(p => (Path: p, Version: System.IO.Path.GetFileNameWithoutExtension(p)[(id.Length + 1)..]))
                .Where(c => c.Version.Length > 0 && char.IsDigit(c.Version[0]))
                .OrderByDescending(c => File.GetLastWriteTimeUtc(c.Path))
                .ToList()
            : [];
        if (candidates.Count == 0)
        {
            throw new InvalidOperationException(
                $"{id} is not packed in {PackagesFolder}. Run `dotnet pack Sdk.sln -c Release -o artifacts/packages` (eng/test.sh does) before the end-to-end tests.");
        }

        return candidates[0];
    }
}
