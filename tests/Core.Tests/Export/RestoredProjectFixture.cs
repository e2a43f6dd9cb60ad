using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Export;

/// <summary>
/// A project that references libtorch directly (TorchSharp + libtorch-cpu-linux-x64, the shape of a Linux-only program)
/// plus Spectre.Console, restored once with the real <c>dotnet restore</c>, so its <c>obj/project.assets.json</c> is
/// the real thing. The packages come from the global packages folder (<see cref="RealStackPackages"/>).
/// </summary>
public sealed class RestoredProjectFixture : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-export-restored");

    public RestoredProjectFixture()
    {
        RealStackPackages.Get();
        File.Copy(Path.Combine(RepositoryRoot.Get(), "NuGet.config"), _temp.Combine("NuGet.config"));
        ProjectPath = _temp.WriteFile("Classifier/Classifier.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <RuntimeIdentifier>linux-x64</RuntimeIdentifier>
                <TorchSharpVersion>0.*</TorchSharpVersion>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TorchSharp" Version="$(TorchSharpVersion)" />
                <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
                <PackageReference Include="Spectre.Console" Version="[0.57.2]" />
              </ItemGroup>
            </Project>
            """);
        var restore = ProcessRunner.Run("dotnet", ["restore", ProjectPath, "--nologo", "-v", "q"], TimeSpan.FromMinutes(10), _temp.Path);
        if (restore.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet restore of the export fixture failed:\n" + restore.Output);
        }
    }

    public string ProjectPath { get; }

    public string Folder => Path.GetDirectoryName(ProjectPath)!;

    public void Dispose() => _temp.Dispose();
}
