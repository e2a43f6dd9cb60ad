using TorchEnv.TestSupport;

namespace TorchEnv.Sdk.Tests.Support;

/// <summary>A temporary folder with a project, spec and (optionally) lock file, as a task sees them.</summary>
internal sealed class TaskTestFolder : IDisposable
{
    private readonly TempDirectory _directory = new("torchenv-sdk-test");

    public TaskTestFolder()
    {
        ProjectFile = _directory.WriteFile("app/app.csproj", """
            <Project Sdk="TorchEnv.Sdk/0.1.0">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Spectre.Console" Version="0.57.2" />
                <PackageReference Include="TorchSharp" Version="0.106.0" PrivateAssets="all" />
              </ItemGroup>
            </Project>

            """);
        SpecFile = _directory.WriteFile("environment.yml", "name: test\n");
        LockFile = _directory.Combine("environment.lock.yml");
    }

    public string ProjectFile { get; }

    public string SpecFile { get; }

    public string LockFile { get; }

    public string Obj(string name) => _directory.Combine("app", "obj", name);

    public void WriteLock() => File.WriteAllText(LockFile, "# lock\n");

    public string Combine(params string[] parts) => _directory.Combine(parts);

    public string WriteFile(string relative, string content) => _directory.WriteFile(relative, content);

    public void Dispose() => _directory.Dispose();
}
