namespace TorchEnv.TestSupport.EndToEnd;

/// <summary>
/// The shared set-up of end-to-end tests that build real projects on the packed TorchEnv packages ("build it once, use it
/// everywhere"): one temporary root per test run, holding one NuGet global packages folder (<c>NUGET_PACKAGES</c>) for
/// every project of the run, so that TorchSharp and libtorch download once per run and a freshly packed TorchEnv.Sdk is
/// never confused with a stale cached copy of the same version. Projects get a <c>NuGet.config</c> that clears all
/// sources and lists the local feed (<c>artifacts/packages</c>) and nuget.org. Use it as an xunit collection fixture.
/// </summary>
public class EndToEndEnvironment : IDisposable
{
    /// <summary>Set to a folder to reuse one global packages folder across runs (our own packages are removed from it first).</summary>
    public const string PackagesFolderVariable = "TORCHENV_E2E_NUGET_PACKAGES";

    /// <summary>Set to 1 to keep the temporary root after the run (for looking at a failure).</summary>
    public const string KeepVariable = "TORCHENV_E2E_KEEP";

    private int _projectCount;

    /// <summary>Creates the run's root and packages folder; fails early when the packages were not packed.</summary>
    public EndToEndEnvironment()
    {
        LocalFeed = RepositoryLayout.PackagesFolder;
        SdkVersion = RepositoryLayout.FindPackage("TorchEnv.Sdk").Version;
        Root = Path.Combine(Path.GetTempPath(), $"torchenv-e2e-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);

        var reused = Environment.GetEnvironmentVariable(PackagesFolderVariable);
        NuGetPackages = string.IsNullOrWhiteSpace(reused) ? Path.Combine(Root, "nuget-packages") : Path.GetFullPath(reused);
        Directory.CreateDirectory(NuGetPackages);
        foreach (var own in Directory.GetDirectories(NuGetPackages, "torchenv.*"))
        {
            // Same version, new bits: a cached copy of an earlier pack must never be used. A copy of this very pack stays,
            // so that test runs of the other test projects sharing the folder at the same time keep what they use.
            if (!IsCopyOfThisPack(own))
            {
                Directory.Delete(own, recursive: true);
            }
        }

        // Nothing above the projects may leak into them.
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project />\n");
    }

    /// <summary>The run's temporary root.</summary>
    public string Root { get; }

    /// <summary>The global packages folder all projects of the run share.</summary>
    public string NuGetPackages { get; }

    /// <summary>The folder feed with the packed TorchEnv packages.</summary>
    public string LocalFeed { get; }

    /// <summary>Version of the packed TorchEnv.Sdk (the one a test project names).</summary>
    public string SdkVersion { get; }

    /// <summary>The variables every command of the run gets.</summary>
    public IReadOnlyDictionary<string, string?> Variables => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = NuGetPackages,

        // Builds record the locks they use; a test run must not fill the user's own registry of known locks.
        ["TORCHENV_LOCK_REGISTRY"] = Path.Combine(Root, "known-locks.json"),
    };

    /// <summary>A new, empty project folder with its NuGet.config (the project file is written by the test).</summary>
    public TestProject CreateProject(string name)
    {
        var directory = Path.Combine(Root, $"{name}-{Interlocked.Increment(ref _projectCount)}");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), NuGetConfig());
        return new TestProject(this, directory, name);
    }

    /// <summary>The NuGet.config of every test project: no inherited sources, the local feed, nuget.org, the run's packages folder.</summary>
    public string NuGetConfig() =>
        NuGetConfigText.For(NuGetPackages, ("torchenv-local", LocalFeed), ("nuget.org", "https://api.nuget.org/v3/index.json"));

    /// <summary>True when every version folder of a cached TorchEnv package holds the same .nupkg as artifacts/packages.</summary>
    private bool IsCopyOfThisPack(string packageFolder)
    {
        var versions = Directory.GetDirectories(packageFolder);
        return versions.Length > 0 && versions.All(version =>
        {
            var id = Path.GetFileName(packageFolder);
            var cached = Path.Combine(version, $"{id}.{Path.GetFileName(version)}.nupkg");
            var packed = Directory.GetFiles(LocalFeed, $"{id}.{Path.GetFileName(version)}.nupkg", new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive }).FirstOrDefault();
            return packed is not null && File.Exists(cached) && File.Exists(Path.Combine(version, ".nupkg.metadata"))
                && File.ReadAllBytes(cached).AsSpan().SequenceEqual(File.ReadAllBytes(packed));
        });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Deletes the root unless <see cref="KeepVariable"/> is set.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing || Environment.GetEnvironmentVariable(KeepVariable) == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
