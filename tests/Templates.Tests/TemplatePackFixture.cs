using TorchEnv.TestSupport;

namespace TorchEnv.Templates.Tests;

/// <summary>
/// Packs templates/TorchEnv.Templates.csproj once and installs the .nupkg with the real `dotnet new install` into a
/// private template hive (the user's own templates are untouched).
/// </summary>
public sealed class TemplatePackFixture : IDisposable
{
    private static readonly Dictionary<string, string> QuietDotnet = new() { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };

    public TemplatePackFixture()
    {
        RepositoryRoot = TestSupport.RepositoryRoot.Get();
        Packages = Work.Combine("packages");
        Hive = Work.Combine("hive");
        Run(RepositoryRoot, "dotnet", "pack", Path.Combine(RepositoryRoot, "templates", "TorchEnv.Templates.csproj"), "-o", Packages, "-v", "q", "--nologo");
        Package = Directory.GetFiles(Packages, "TorchEnv.Templates.*.nupkg").Single();
        Version = Path.GetFileNameWithoutExtension(Package)["TorchEnv.Templates.".Length..];
        Run(Work.Path, "dotnet", "new", "install", Package, "--debug:custom-hive", Hive);
    }

    public TempDirectory Work { get; } = new("torchenv-templates");

    public string RepositoryRoot { get; }

    public string Packages { get; }

    public string Hive { get; }

    public string Package { get; }

    /// <summary>The version the pack got (the repository's VersionPrefix).</summary>
    public string Version { get; }

    /// <summary>Runs `dotnet new torchenv-train` with <paramref name="arguments"/> into a fresh folder and returns it.</summary>
    public string Instantiate(string name, params string[] arguments)
    {
        var output = Work.Combine("projects", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Run(Work.Path, ["dotnet", "new", "torchenv-train", "-n", name, "-o", output, "--no-restore", "--no-update-check", "--debug:custom-hive", Hive, .. arguments]);
        return output;
    }

    /// <summary>Runs <paramref name="command"/> (program and arguments) and returns its output; throws with it on a non-zero exit.</summary>
    public static string Run(string workingDirectory, params string[] command) =>
        ProcessRunner.RunChecked(command[0], command[1..], TimeSpan.FromMinutes(20), workingDirectory, QuietDotnet).Output;

    public void Dispose() => Work.Dispose();
}
