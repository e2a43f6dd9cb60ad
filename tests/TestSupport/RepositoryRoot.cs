namespace TorchEnv.TestSupport;

/// <summary>Finds the repository root (the folder holding <c>Sdk.sln</c>) from the test assembly's location.</summary>
public static class RepositoryRoot
{
    /// <summary>The root, or null when the tests run outside a checkout.</summary>
    public static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>The root, or an exception saying the tests must run from a checkout.</summary>
    public static string Get() =>
        Find() ?? throw new InvalidOperationException($"No Sdk.sln above {AppContext.BaseDirectory}; run the tests from a checkout of the repository.");
}
