namespace TorchEnv.Templates.Tests;

/// <summary>
/// `dotnet new torchenv-train` from the packed template: the files a user gets for each choice. Building and running
/// the generated project needs TorchEnv.Sdk packed beside it (end-to-end tests); here the generated C# is compiled
/// against TorchEnv.Training directly, so template mistakes show without the SDK.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class TorchTrainTemplateTests(TemplatePackFixture pack) : IClassFixture<TemplatePackFixture>
{
    [Fact]
    public void The_default_project_is_a_cpu_project_on_the_packed_sdk_version()
    {
        var project = pack.Instantiate("Contoso.Vision");

        Assert.Equal(
            new[] { ".config/dotnet-tools.json", ".github/workflows/ci.yml", ".gitignore", "Contoso.Vision.csproj", "Model.cs", "Program.cs", "README.md", "TrainingOptions.cs", "environment.yml", "global.json", "pytorch/model.py" },
            Directory.GetFiles(project, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(project, f).Replace('\\', '/')).Order(StringComparer.Ordinal));

        var csproj = File.ReadAllText(Path.Combine(project, "Contoso.Vision.csproj"));
        Assert.Contains($"<Project Sdk=\"TorchEnv.Sdk/{pack.Version}\">", csproj);
        Assert.DoesNotContain("<PackageReference", csproj);

        var environment = File.ReadAllLines(Path.Combine(project, "environment.yml"));
        Assert.Contains("name: contoso.vision_torchsharp_cpu", environment);   // lower case: no TENV0580
        Assert.Contains("  - cpu", environment);
        Assert.Contains($"      - TorchEnv.Training={pack.Version}    # autocast, GradScaler, prefetching loader, profiler, checkpoints", environment);
        Assert.DoesNotContain(environment, line => line.StartsWith("channels:", StringComparison.Ordinal));
        Assert.Contains(environment, line => line.StartsWith("platforms: [linux-x64, win-x64, osx-arm64]", StringComparison.Ordinal));

        var options = File.ReadAllText(Path.Combine(project, "TrainingOptions.cs"));
        Assert.Contains("public AmpMode Amp { get; init; } = AmpMode.Auto;", options);
        Assert.Contains("public string Device { get; init; } = \"cpu\";", options);
        Assert.Contains("namespace Contoso.Vision;", options);

        Assert.Contains($"\"version\": \"{pack.Version}\"", File.ReadAllText(Path.Combine(project, ".config", "dotnet-tools.json")));
        AssertNoTemplateLeftovers(project);
    }

    [Fact]
    public void Device_and_amp_choices_reach_the_environment_and_the_options()
    {
        var project = pack.Instantiate("Gpu.Run", "--device", "cuda", "--amp", "fp16");

        var environment = File.ReadAllLines(Path.Combine(project, "environment.yml"));
        Assert.Contains("name: gpu.run_torchsharp_cuda", environment);
        Assert.Contains("  - cuda=12.8", environment);
        Assert.Contains("  - cudnn=9", environment);
        Assert.DoesNotContain("  - cpu", environment);

        var options = File.ReadAllText(Path.Combine(project, "TrainingOptions.cs"));
        Assert.Contains("public AmpMode Amp { get; init; } = AmpMode.Float16;", options);
        Assert.Contains("public string Device { get; init; } = \"cuda\";", options);
        AssertNoTemplateLeftovers(project);
    }

    [Fact]
    public void The_ci_workflow_checks_the_lock_and_builds_locked()
    {
        var project = pack.Instantiate("Ci.Check");
        var workflow = File.ReadAllText(Path.Combine(project, ".github", "workflows", "ci.yml"));
        Assert.Contains("permissions:\n  contents: read", workflow.ReplaceLineEndings("\n"));
        Assert.Contains("global-json-file: global.json", workflow);
        Assert.DoesNotContain("dotnet-version:", workflow);
        Assert.Contains("path: ~/.nuget/packages", workflow);
        Assert.Contains("hashFiles('environment.lock.yml'", workflow);
        Assert.Contains("\"rollForward\": \"latestFeature\"", File.ReadAllText(Path.Combine(project, "global.json")));   // dotnet-sdk=10.0.*
        Assert.Contains("run: dotnet tool restore", workflow);
        Assert.Contains("run: dotnet torchenv lock --check", workflow);
        Assert.Contains("-p:TorchEnvLockedMode=true", workflow);
        Assert.Contains("--max-steps", workflow);
    }

    [Fact]
    public void An_unknown_choice_is_refused_by_dotnet_new()
    {
        var error = Assert.Throws<InvalidOperationException>(() => pack.Instantiate("Bad", "--device", "tpu"));
        Assert.Contains("tpu", error.Message);
    }

    [Fact]
    public void The_generated_program_compiles_against_TorchEnv_Training_for_every_non_default_branch()
    {
        var project = pack.Instantiate("Compile.Check", "--device", "cuda", "--amp", "bf16");
        var library = Path.Combine(pack.RepositoryRoot, "src", "TrainingTemplate", "TorchEnv.Training.csproj");
        File.Delete(Path.Combine(project, "Compile.Check.csproj"));   // its SDK is tested end to end elsewhere
        File.WriteAllText(Path.Combine(project, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(project, "Check.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RootNamespace>Compile.Check</RootNamespace>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{library}" />
              </ItemGroup>
            </Project>
            """);

        File.WriteAllText(Path.Combine(project, "TorchEnvironment.g.cs"), GeneratedTorchEnvironment("Compile.Check"));

        var log = TemplatePackFixture.Run(project, "dotnet", "build", "Check.csproj", "-v", "q", "--nologo");
        Assert.Contains("0 Error(s)", log);
    }

    // The TorchEnvironment class TorchEnv.Sdk generates from the lock (Program.cs calls its Verify()), from the SDK's own
    // source template with placeholder values.
    private string GeneratedTorchEnvironment(string ns)
    {
        var template = File.ReadAllText(Path.Combine(pack.RepositoryRoot, "src", "Tasks", "Generation", "TorchEnvironment.cs.template"))
            .Replace("$$TOOL_VERSION$$", "0.0.0", StringComparison.Ordinal);
        return $"#nullable enable\nnamespace {ns};\n" + System.Text.RegularExpressions.Regex.Replace(template, @"\$\$[A-Z_]+\$\$", "\"cpu\"");
    }

    private static void AssertNoTemplateLeftovers(string project)
    {
        foreach (var file in Directory.GetFiles(project, "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain("TORCHENV_VERSION", text);
            Assert.DoesNotContain("__TORCHENV_PACKAGE_VERSION__", text);
            Assert.DoesNotContain("TrainingApp1", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("#if (", text);
        }
    }
}
