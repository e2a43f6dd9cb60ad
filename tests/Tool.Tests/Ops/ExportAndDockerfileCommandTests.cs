using System.Text.Json;
using TorchEnv.Core.Lock;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Tests.Fixtures;

namespace TorchEnv.Tool.Tests.Ops;

public sealed class ExportAndDockerfileCommandTests : IDisposable
{
    private readonly OpsFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Csproj(string name, string references) => _folder.WriteFile($"{name}/{name}.csproj", $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
          <ItemGroup>{references}</ItemGroup>
        </Project>
        """);

    [Fact]
    public void Export_writes_the_spec_reports_what_it_read_and_never_overwrites_without_force()
    {
        Csproj("Mnist", """<PackageReference Include="TorchSharp-cpu" Version="0.107.0" /><PackageReference Include="Spectre.Console" Version="0.57.2" />""");
        var folder = _folder.Combine("Mnist");

        var first = _folder.Run(folder, "export", "--json", "--no-warn", "TENV0545");
        var result = OpsFolder.Result(first, ExitCodes.Success);
        Golden.AssertMatches("export", first.Out, (_folder.Root, "<root>"));
        var again = _folder.Run(folder, "export", "--json");
        var forced = _folder.Run(folder, "export", "--force", "--from-history");

        Assert.Equal(Path.Combine(folder, "environment.yml"), result.GetProperty("file").GetString());
        Assert.Equal("mnist_torchsharp_cpu", result.GetProperty("name").GetString());
        Assert.Equal(["torchsharp==0.107.0", "cpu", "Spectre.Console==0.57.2"], result.GetProperty("dependencies").EnumerateArray().Select(d => d.GetProperty("spec").GetString()));
        again.AssertExit(ExitCodes.CannotWrite);
        Assert.Contains("TENV0590", OpsFolder.Codes(again));
        forced.AssertExit(ExitCodes.Success);
        Assert.Contains("torchsharp>=0.107.0", File.ReadAllText(Path.Combine(folder, "environment.yml")));
    }

    [Fact]
    public void Export_of_a_folder_without_a_project_is_missing_input()
    {
        var run = _folder.Run(_folder.Root, "export", "--project", "nowhere", "--json");

        run.AssertExit(ExitCodes.MissingInput);
        Assert.Contains("TENV0540", OpsFolder.Codes(run));
    }

    [Fact]
    public void Export_then_lock_works_on_the_exported_spec()
    {
        Csproj("Seg", """<PackageReference Include="TorchSharp" Version="[0.107.0]" /><PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />""");
        var folder = _folder.Combine("Seg");
        _folder.Run(folder, "export", "--from-history").AssertExit(ExitCodes.Success);

        var locked = _folder.Run(folder, "lock");

        locked.AssertExit(ExitCodes.Success);
        var lockFile = LockFileReader.Read(Path.Combine(folder, "environment.lock.yml"));
        Assert.Equal(("cpu", "linux-x64", "0.107.0"), (lockFile.Environments[0].Variant, lockFile.Environments[0].Platform, lockFile.Environments[0].Stack.TorchSharp));
        Assert.DoesNotContain("TENV058", locked.Error);
    }

    [Fact]
    public void Dockerfile_writes_both_files_from_the_lock_and_reports_the_images()
    {
        var project = _folder.Project("App", "0.107.0");
        Csproj("App", "");
        _folder.Run(project, "lock").AssertExit(ExitCodes.Success);

        var first = _folder.Run(project, "dockerfile", "--locked", "--json", "--no-warn", "TENV0564", "TENV0565");
        var result = OpsFolder.Result(first, ExitCodes.Success);
        Golden.AssertMatches("dockerfile", first.Out, (_folder.Root, "<root>"));
        var again = _folder.Run(project, "dockerfile", "--json");

        var dockerfile = File.ReadAllText(Path.Combine(project, "Dockerfile"));
        Assert.Equal(Path.Combine(project, "Dockerfile"), result.GetProperty("dockerfile").GetString());
        Assert.Equal("App.csproj", result.GetProperty("project").GetString());
        Assert.Equal(("cpu", "linux-x64"), (result.GetProperty("variant").GetString(), result.GetProperty("platform").GetString()));
        Assert.Contains(result.GetProperty("runtimeImage").GetString()!, dockerfile);
        Assert.Contains("-p:TorchEnvLockedMode=true", dockerfile);
        Assert.True(File.Exists(Path.Combine(project, ".dockerignore")));
        again.AssertExit(ExitCodes.CannotWrite);
    }

    [Fact]
    public void Dockerfile_for_a_variant_the_lock_lacks_is_a_usage_error()
    {
        var project = _folder.Project("App", "0.107.0");
        _folder.Run(project, "lock").AssertExit(ExitCodes.Success);

        var run = _folder.Run(project, "dockerfile", "--variant", "cuda", "--frozen", "--json");

        run.AssertExit(ExitCodes.UsageError);
        Assert.Contains("TENV0507", OpsFolder.Codes(run));
    }

    [Fact]
    public void Dockerfile_in_locked_mode_fails_the_check_when_the_lock_is_stale()
    {
        var project = _folder.Project("App", "0.107.0");
        Csproj("App", "");
        _folder.Run(project, "lock").AssertExit(ExitCodes.Success);
        File.WriteAllText(Path.Combine(project, "environment.yml"), File.ReadAllText(Path.Combine(project, "environment.yml")).Replace("0.107.0", "0.106.0"));

        var run = _folder.Run(project, "dockerfile", "--locked");

        run.AssertExit(ExitCodes.CheckFailed);
        Assert.False(File.Exists(Path.Combine(project, "Dockerfile")));
    }
}
