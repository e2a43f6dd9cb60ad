using System.Diagnostics;
using TorchEnv.TestSupport;

namespace TorchEnv.Templates.Tests;

/// <summary>
/// Packs templates/TorchEnv.Templates.csproj once and installs the .nupkg with the real `dotnet new install` into a
/// private template hive (the user's own templates are untouched).
/// </summary>
public sealed class TemplatePackFixture : IDisposable
{
    public TemplatePackFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
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
        Run(Work.Path, ["dotnet", "new", "torchenv-train", "-n", name, "-o", output, "--skip-restore", "--no-update-check", "--debug:custom-hive", Hive, .. arguments]);
        return output;
    }

    public static string Run(string workingDirectory, params string[] command)
    {
        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var log = stdout.Result + stderr.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{string.Join(' ', command)}` exited with {process.ExitCode}:{Environment.NewLine}{log}");
        }

        return log;
    }

    public void Dispose() => Work.Dispose();

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Sdk.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Sdk.sln) was not found above " + AppContext.BaseDirectory);
    }
}
