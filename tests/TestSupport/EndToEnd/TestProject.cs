namespace TorchEnv.TestSupport.EndToEnd;

/// <summary>A temporary project folder of an <see cref="EndToEndEnvironment"/>: write its files, run dotnet in it.</summary>
public sealed class TestProject
{
    private readonly EndToEndEnvironment _environment;

    internal TestProject(EndToEndEnvironment environment, string directory, string name)
    {
        _environment = environment;
        Directory = directory;
        Name = name;
    }

    /// <summary>The project folder.</summary>
    public string Directory { get; }

    /// <summary>The project name (file <c>&lt;Name&gt;.csproj</c>).</summary>
    public string Name { get; }

    /// <summary>Full path of the project file.</summary>
    public string ProjectFile => Path.Combine(Directory, Name + ".csproj");

    /// <summary>Full path of a file in the project folder.</summary>
    public string PathOf(string relativePath) => Path.Combine(Directory, relativePath);

    /// <summary>Writes a file (creating folders); returns its full path.</summary>
    public string WriteFile(string relativePath, string content)
    {
        var path = PathOf(relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Reads a file of the project.</summary>
    public string ReadFile(string relativePath) => File.ReadAllText(PathOf(relativePath));

    /// <summary>The package id/version pairs NuGet restored for the project in <paramref name="folder"/> (the package libraries of its <c>obj/project.assets.json</c>).</summary>
    public List<string> RestoredPackages(string folder = "")
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(PathOf(Path.Combine(folder, "obj", "project.assets.json"))));
        return document.RootElement.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.GetProperty("type").GetString() == "package")
            .Select(l => l.Name)
            .ToList();
    }

    /// <summary>Writes the project file with <paramref name="body"/> inside <c>&lt;Project Sdk="…"&gt;</c>.</summary>
    /// <param name="sdk">The Sdk attribute, e.g. <c>TorchEnv.Sdk/0.1.0</c> or <c>Microsoft.NET.Sdk</c>.</param>
    /// <param name="body">Property groups and item groups.</param>
    public string WriteProject(string sdk, string body) =>
        WriteFile(Name + ".csproj", $"<Project Sdk=\"{sdk}\">\n{body.TrimEnd()}\n</Project>\n");

    /// <summary>Writes <c>global.json</c> with an <c>msbuild-sdks</c> entry (the form a repository uses to pin SDK versions).</summary>
    public string WriteGlobalJson(string sdkName, string sdkVersion) =>
        WriteFile("global.json", $$"""
            {
              "msbuild-sdks": {
                "{{sdkName}}": "{{sdkVersion}}"
              }
            }

            """);

    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c> in the project folder with the run's variables.</summary>
    public DotNetResult Dotnet(params string[] arguments) => Dotnet(null, arguments);

    /// <summary>Runs dotnet with extra variables (a null value removes a variable).</summary>
    public DotNetResult Dotnet(IReadOnlyDictionary<string, string?>? variables, params string[] arguments)
    {
        var all = new Dictionary<string, string?>(_environment.Variables);
        foreach (var (name, value) in variables ?? new Dictionary<string, string?>())
        {
            all[name] = value;
        }

        return DotNetCli.Run(Directory, arguments, all);
    }

    /// <summary><c>dotnet build</c> with the given extra arguments.</summary>
    public DotNetResult Build(params string[] arguments) => Dotnet(["build", "-nologo", .. arguments]);

    /// <summary><c>dotnet build</c> with extra variables.</summary>
    public DotNetResult Build(IReadOnlyDictionary<string, string?> variables, params string[] arguments) =>
        Dotnet(variables, ["build", "-nologo", .. arguments]);
}
