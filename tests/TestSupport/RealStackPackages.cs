using NuGet.Configuration;

namespace TorchEnv.TestSupport;

/// <summary>
/// The real CPU stack packages (TorchSharp 0.107.0 and libtorch-cpu-linux-x64 2.10.0) in the NuGet global packages
/// folder. When they are not there (a fresh CI machine), <see cref="Get"/> restores a throw-away project that references
/// them, once per test process, so tests that need the real native files never skip silently.
/// </summary>
public sealed class RealStackPackages
{
    /// <summary>The TorchSharp version whose natives the tests use.</summary>
    public const string TorchSharpVersion = "0.107.0";

    /// <summary>The libtorch package version TorchSharp 0.107.0 is built against.</summary>
    public const string LibTorchVersion = "2.10.0";

    private static readonly Lazy<RealStackPackages> Instance = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    private RealStackPackages(string globalPackagesFolder)
    {
        GlobalPackagesFolder = globalPackagesFolder;
    }

    /// <summary>The NuGet global packages folder.</summary>
    public string GlobalPackagesFolder { get; }

    /// <summary>Folder of <c>libLibTorchSharp.so</c>.</summary>
    public string TorchSharpNativeDirectory => Path.Combine(GlobalPackagesFolder, "torchsharp", TorchSharpVersion, "runtimes", "linux-x64", "native");

    /// <summary>Path of TorchSharp's native library.</summary>
    public string LibTorchSharp => Path.Combine(TorchSharpNativeDirectory, "libLibTorchSharp.so");

    /// <summary>Folder of libtorch's native libraries.</summary>
    public string LibTorchNativeDirectory => Path.Combine(GlobalPackagesFolder, "libtorch-cpu-linux-x64", LibTorchVersion, "runtimes", "linux-x64", "native");

    /// <summary>The packages, restoring them first if they are missing (throws when the restore fails).</summary>
    public static RealStackPackages Get() => Instance.Value;

    /// <summary>
    /// The real <c>libtorch-cpu-win-x64</c> 2.10.0 package folder (its <c>runtimes/win-x64/native/torch_cpu.dll</c> is a
    /// PE file), restored through NuGet like the Linux packages when missing: a separate restore, so that tests of the
    /// Linux natives do not download the Windows package.
    /// </summary>
    public static string WindowsLibTorchPackage() => WindowsInstance.Value;

    private static readonly Lazy<string> WindowsInstance = new(LocateWindows, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string LocateWindows()
    {
        var folder = SettingsUtility.GetGlobalPackagesFolder(Settings.LoadDefaultSettings(root: null));
        var package = Path.Combine(folder, "libtorch-cpu-win-x64", LibTorchVersion);
        bool Complete() => File.Exists(Path.Combine(package, "runtimes", "win-x64", "native", "torch_cpu.dll")) && File.Exists(Path.Combine(package, ".nupkg.metadata"));
        if (!Complete())
        {
            Restore(("libtorch-cpu-win-x64", LibTorchVersion));
            if (!Complete())
            {
                throw new InvalidOperationException($"Restoring libtorch-cpu-win-x64 {LibTorchVersion} did not put torch_cpu.dll under {package}.");
            }
        }

        return package;
    }

    private static RealStackPackages Locate()
    {
        var folder = SettingsUtility.GetGlobalPackagesFolder(Settings.LoadDefaultSettings(root: null));
        var packages = new RealStackPackages(folder);
        if (!packages.IsComplete())
        {
            Restore(("TorchSharp", TorchSharpVersion), ("libtorch-cpu-linux-x64", LibTorchVersion));
            if (!packages.IsComplete())
            {
                throw new InvalidOperationException($"Restoring TorchSharp {TorchSharpVersion} and libtorch-cpu-linux-x64 {LibTorchVersion} did not put their native files under {folder}.");
            }
        }

        return packages;
    }

    private bool IsComplete() =>
        File.Exists(LibTorchSharp)
        && File.Exists(Path.Combine(LibTorchNativeDirectory, "libtorch_cpu.so"))
        && File.Exists(Path.Combine(GlobalPackagesFolder, "libtorch-cpu-linux-x64", LibTorchVersion, ".nupkg.metadata"))
        && File.Exists(Path.Combine(GlobalPackagesFolder, "torchsharp", TorchSharpVersion, ".nupkg.metadata"));

    private static void Restore(params (string Id, string Version)[] packages)
    {
        using var temp = new TempDirectory("torchenv-restore");
        var references = string.Join("\n", packages.Select(p => $"    <PackageReference Include=\"{p.Id}\" Version=\"{p.Version}\" />"));
        temp.WriteFile("probe.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """);
        if (RepositoryRoot.Find() is { } root)
        {
            File.Copy(Path.Combine(root, "NuGet.config"), temp.Combine("NuGet.config"));
        }

        var result = ProcessRunner.Run("dotnet", ["restore", "probe.csproj", "--nologo", "-v", "q"], TimeSpan.FromMinutes(30), temp.Path);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet restore of the real packages ({string.Join(", ", packages.Select(p => p.Id))}) failed ({result.ExitCode}):\n{result.Output}");
        }
    }
}
