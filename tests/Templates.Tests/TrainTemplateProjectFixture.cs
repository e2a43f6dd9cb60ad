using TorchEnv.TestSupport.EndToEnd;

namespace TorchEnv.Templates.Tests;

/// <summary>
/// The expensive part of the template's end-to-end test, done once: the packed TorchEnv.Templates (artifacts/packages)
/// installed into a private template hive, a project made by <c>dotnet new torchenv-train</c>, and its first
/// <c>dotnet build</c> on the packed TorchEnv.Sdk (which locks the stack and restores TorchSharp and libtorch).
/// </summary>
public sealed class TrainTemplateProjectFixture : EndToEndEnvironment
{
    public TrainTemplateProjectFixture()
    {
        var hive = Path.Combine(Root, "template-hive");
        var templates = RepositoryLayout.FindPackage("TorchEnv.Templates").Path;
        Install = DotNetCli.Run(Root, ["new", "install", templates, "--debug:custom-hive", hive], Variables);

        Project = CreateProject("Mnist");   // capitalised as people name projects; the environment name becomes mnist_torchsharp_cpu
        New = Project.Dotnet("new", "torchenv-train", "-n", Project.Name, "-o", Project.Directory, "--no-restore", "--no-update-check", "--debug:custom-hive", hive);
        BuildResult = New.Succeeded ? Project.Build("-c", "Release") : New;
    }

    /// <summary>The generated project (with the NuGet.config of the run: local feed + nuget.org).</summary>
    public TestProject Project { get; }

    /// <summary><c>dotnet new install</c> of the packed template package.</summary>
    public DotNetResult Install { get; }

    /// <summary><c>dotnet new torchenv-train</c>.</summary>
    public DotNetResult New { get; }

    /// <summary>The first <c>dotnet build -c Release</c> of the generated project.</summary>
    public DotNetResult BuildResult { get; }

    /// <summary>Runs the built training program with <paramref name="arguments"/> in the project folder.</summary>
    public DotNetResult Train(params string[] arguments) =>
        Project.Dotnet([Path.Combine("bin", "Release", "net10.0", Project.Name + ".dll"), .. arguments]);
}
