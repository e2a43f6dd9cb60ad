namespace TorchEnv.TestSupport.Adoption;

/// <summary>The TorchSharp references a shape's projects use.</summary>
/// <param name="Items">The <c>PackageReference</c> elements (with versions) of the stack.</param>
/// <param name="Versions">The same packages as <c>PackageVersion</c> elements, for central package management.</param>
/// <param name="Ids">The ids, for references without a version.</param>
public sealed record StackReferences(string Items, string Versions, IReadOnlyList<string> Ids)
{
    /// <summary>What runs on this machine: TorchSharp and the Linux CPU libtorch, as Linux-only repositories reference them.</summary>
    public static StackReferences LinuxCpu { get; } = new(
        """<PackageReference Include="TorchSharp" Version="0.107.0" /><PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />""",
        """<PackageVersion Include="TorchSharp" Version="0.107.0" /><PackageVersion Include="libtorch-cpu-linux-x64" Version="2.10.0" />""",
        ["TorchSharp", "libtorch-cpu-linux-x64"]);

    /// <summary>The bundle most repositories reference (every CPU platform), with TorchVision.</summary>
    public static StackReferences CpuBundle { get; } = new(
        """<PackageReference Include="TorchSharp-cpu" Version="0.107.0" /><PackageReference Include="TorchVision" Version="0.107.0" />""",
        """<PackageVersion Include="TorchSharp-cpu" Version="0.107.0" /><PackageVersion Include="TorchVision" Version="0.107.0" />""",
        ["TorchSharp-cpu", "TorchVision"]);
}

/// <summary>
/// The shapes public TorchSharp repositories take, written into a folder as plain Microsoft.NET.Sdk projects (no
/// TorchEnv anywhere), for export and adopt tests. Each program computes with TorchSharp and prints
/// <c>TorchEnvironment.Verify()</c> once it builds on TorchEnv.Sdk (<see cref="AdoptedProgram"/>).
/// </summary>
public static class RepositoryShapes
{
    /// <summary>A C# program that computes with TorchSharp; with <paramref name="verify"/> it also prints the generated Verify() report.</summary>
    public static string CSharpProgram(string rootNamespace, bool verify) => $$"""
        using TorchSharp;

        var x = torch.arange(1, 5, dtype: torch.float32);
        System.Console.WriteLine($"sum={x.sum().item<float>()}");
        {{(verify ? $"var report = {rootNamespace}.TorchEnvironment.Verify();\nSystem.Console.WriteLine(report);\nreturn report.IsOk ? 0 : 3;" : "return 0;")}}

        """;

    /// <summary>The same in F#.</summary>
    public static string FSharpProgram(string rootNamespace, bool verify) => $$"""
        open TorchSharp

        [<EntryPoint>]
        let main _ =
            let x = torch.arange(1, 5, dtype = torch.float32)
            printfn "sum=%g" (x.sum().item<float32>())
        {{(verify ? $"    let report = {rootNamespace}.TorchEnvironment.Verify()\n    printfn \"%O\" report\n    if report.IsOk then 0 else 3" : "    0")}}

        """;

    /// <summary>
    /// A solution of several projects: <c>Train</c> (program, the stack and Newtonsoft.Json) and <c>Model</c> (library, the
    /// stack and SharpZipLib) share <c>Utility</c> (no TorchSharp, left alone by adopt); <c>App</c> (program) gets
    /// TorchSharp only through its project reference to <c>Model</c>. With <paramref name="central"/>, versions come
    /// from <c>Directory.Packages.props</c> (central package management).
    /// </summary>
    public static string SolutionWithSharedUtility(string root, StackReferences stack, bool central)
    {
        string Refs(string items) => central ? StripVersions(items) : items;
        if (central)
        {
            Write(root, "Directory.Packages.props", $"""
                <Project>
                  <PropertyGroup>
                    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
                  </PropertyGroup>
                  <ItemGroup>
                    {stack.Versions}
                    <PackageVersion Include="Newtonsoft.Json" Version="13.0.3" />
                    <PackageVersion Include="SharpZipLib" Version="1.4.2" />
                  </ItemGroup>
                </Project>
                """);
        }

        Write(root, "src/Utility/Utility.csproj", Library("", ""));
        Write(root, "src/Utility/Text.cs", "namespace Utility;\n\npublic static class Text\n{\n    public static string Title(string s) => s.ToUpperInvariant();\n}\n");
        Write(root, "src/Model/Model.csproj", Library(Refs(stack.Items) + Refs("""<PackageReference Include="SharpZipLib" Version="1.4.2" />"""), """<ProjectReference Include="..\Utility\Utility.csproj" />"""));
        Write(root, "src/Model/Net.cs", "namespace Model;\n\npublic static class Net\n{\n    public static float Sum() => TorchSharp.torch.ones(3).sum().item<float>();\n}\n");
        Write(root, "src/Train/Train.csproj", Program("Train", Refs(stack.Items) + Refs("""<PackageReference Include="Newtonsoft.Json" Version="13.0.3" />"""), """<ProjectReference Include="..\Utility\Utility.csproj" />"""));
        Write(root, "src/Train/Program.cs", CSharpProgram("Train", verify: false));
        Write(root, "src/App/App.csproj", Program("App", "", """<ProjectReference Include="..\Model\Model.csproj" />"""));
        Write(root, "src/App/Program.cs", CSharpProgram("App", verify: false));
        return Write(root, "Shapes.sln", Solution("src/Utility/Utility.csproj", "src/Model/Model.csproj", "src/Train/Train.csproj", "src/App/App.csproj"));
    }

    /// <summary>An F# program whose TorchSharp reference is in <c>Directory.Build.props</c> (every project of the folder gets it).</summary>
    public static string FSharpWithReferenceInDirectoryBuildProps(string root, StackReferences stack)
    {
        Write(root, "Directory.Build.props", $"""
            <Project>
              <!-- Every project here uses TorchSharp. -->
              <ItemGroup>
                {stack.Items}
              </ItemGroup>
            </Project>
            """);
        Write(root, "FsTrain/FsTrain.fsproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <Compile Include="Program.fs" />
              </ItemGroup>
            </Project>
            """);
        Write(root, "FsTrain/Program.fs", FSharpProgram("FsTrain", verify: false));
        return root;
    }

    /// <summary>A program referencing TorchSharp's CUDA bundle on Windows and the CPU stack elsewhere (conditions on the operating system).</summary>
    public static string PerOsCudaOrCpu(string root, StackReferences cpu)
    {
        var conditioned = cpu.Items.Replace(" />", " Condition=\"!$([MSBuild]::IsOSPlatform('Windows'))\" />", StringComparison.Ordinal);
        return Write(root, "Detector/Detector.csproj", Program("Detector", conditioned + """
            <PackageReference Include="TorchSharp-cuda-windows" Version="0.107.0" Condition="$([MSBuild]::IsOSPlatform('Windows'))" />
            """, ""));
    }

    /// <summary>What a shape's program prints once adopted: its computation and the Verify() report.</summary>
    public static void AdoptedProgram(string root, string project, bool fsharp)
    {
        var folder = Path.GetDirectoryName(Path.Combine(root, project))!;
        var name = Path.GetFileNameWithoutExtension(project);
        Write(folder, fsharp ? "Program.fs" : "Program.cs", fsharp ? FSharpProgram(name, verify: true) : CSharpProgram(name, verify: true));
    }

    /// <summary>A NuGet.config with nuget.org only (export names it as the spec's channel).</summary>
    public const string NuGetOrgConfig = """
        <?xml version="1.0" encoding="utf-8"?>
        <configuration><packageSources><clear /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources></configuration>
        """;

    /// <summary>A program project file on Microsoft.NET.Sdk.</summary>
    public static string Program(string name, string items, string projectReferences) =>
        Project($"<OutputType>Exe</OutputType>\n    <TargetFramework>net10.0</TargetFramework>\n    <RootNamespace>{name}</RootNamespace>", items, projectReferences);

    private static string Library(string items, string projectReferences) =>
        Project("<TargetFramework>net10.0</TargetFramework>", items, projectReferences);

    private static string Project(string properties, string items, string projectReferences) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            {properties}
            <Nullable>enable</Nullable>
          </PropertyGroup>
          <ItemGroup>
            {items}
          </ItemGroup>
          <ItemGroup>
            {projectReferences}
          </ItemGroup>
        </Project>
        """;

    private static string StripVersions(string items) =>
        System.Text.RegularExpressions.Regex.Replace(items, @" Version=""[^""]*""", "");

    /// <summary>A .sln as Visual Studio writes it: the projects, and the configurations that make dotnet build build them.</summary>
    private static string Solution(params string[] projects)
    {
        var guids = projects.Select((_, i) => $"{{00000000-0000-0000-0000-00000000000{i + 1}}}").ToList();
        var text = new System.Text.StringBuilder("\nMicrosoft Visual Studio Solution File, Format Version 12.00\n# Visual Studio Version 17\n");
        for (var i = 0; i < projects.Length; i++)
        {
            var name = Path.GetFileNameWithoutExtension(projects[i]);
            text.Append($"Project(\"{{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}}\") = \"{name}\", \"{projects[i].Replace('/', '\\')}\", \"{guids[i]}\"\nEndProject\n");
        }

        text.Append("Global\n\tGlobalSection(SolutionConfigurationPlatforms) = preSolution\n\t\tDebug|Any CPU = Debug|Any CPU\n\t\tRelease|Any CPU = Release|Any CPU\n\tEndGlobalSection\n");
        text.Append("\tGlobalSection(ProjectConfigurationPlatforms) = postSolution\n");
        foreach (var guid in guids)
        {
            foreach (var configuration in new[] { "Debug", "Release" })
            {
                text.Append($"\t\t{guid}.{configuration}|Any CPU.ActiveCfg = {configuration}|Any CPU\n\t\t{guid}.{configuration}|Any CPU.Build.0 = {configuration}|Any CPU\n");
            }
        }

        return text.Append("\tEndGlobalSection\nEndGlobal\n").ToString();
    }

    private static string Write(string root, string relative, string text)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
