using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Layers;

/// <summary>
/// The folders of src/Core form the layers that src/Core/README.md states: no file uses a folder of its own layer or
/// above. Core's sources are compiled here with Roslyn so that every reference counts, whatever its form (a using, a
/// qualified or partly qualified name such as <c>Resolution.DotnetInstallation</c>, a type name).
/// </summary>
public sealed partial class CoreLayerTests
{
    private static readonly string CoreFolder = Path.Combine(RepositoryRoot.Get(), "src", "Core");

    private static readonly IReadOnlyDictionary<string, int> Layers = ReadLayers();

    private static readonly Lazy<CSharpCompilation> Core = new(Compile);

    [Fact]
    public void The_readme_gives_every_folder_of_Core_a_layer()
    {
        var folders = Directory.EnumerateDirectories(CoreFolder).Select(Path.GetFileName).OfType<string>()
            .Where(f => f is not ("bin" or "obj"));

        Assert.Equal(folders.Order(StringComparer.Ordinal), Layers.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_file_is_in_the_namespace_of_its_folder()
    {
        var wrong = SourceFiles()
            .Select(f => (File: f, Namespace: NamespaceOf(CSharpSyntaxTree.ParseText(File.ReadAllText(f)).GetRoot())))
            .Where(f => f.Namespace is null || LayerOf(f.Namespace) != FolderOf(f.File))
            .Select(f => $"{Relative(f.File)}: {f.Namespace}")
            .ToList();

        Assert.Empty(wrong);
    }

    [Fact]
    public void No_file_uses_a_folder_of_its_own_layer_or_above()
    {
        var compilation = Core.Value;
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795") // CS8795: [GeneratedRegex] without its source generator
            .Select(d => d.ToString())
            .ToList();
        Assert.Empty(errors); // every name bound, so no reference goes unseen

        var violations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees.Where(t => t.FilePath.StartsWith(CoreFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
        {
            var folder = FolderOf(tree.FilePath);
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>().Where(n => !InNamespaceDeclaration(n)))
            {
                var symbol = model.GetSymbolInfo(name).Symbol;
                if (symbol is null || LayerOf(symbol) is not { } used || used == folder)
                {
                    continue;
                }

                if (Layers[used] >= Layers[folder])
                {
                    var line = name.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                    violations.Add($"{Relative(tree.FilePath)}:{line}: {folder} (layer {Layers[folder]}) uses {used} (layer {Layers[used]}) through '{name}'");
                }
            }
        }

        Assert.Empty(violations);
    }

    /// <summary>The guard of the test above: a reference upwards is found, in each of its forms.</summary>
    [Fact]
    public void A_reference_to_a_higher_layer_is_found()
    {
        var probe = CSharpSyntaxTree.ParseText(
            """
            using TorchEnv.Core.Resolution;

            namespace TorchEnv.Core.Spec;

            internal static class Probe
            {
                public static object A() => typeof(EnvironmentLocker);

                public static object B() => Resolution.DotnetInstallation.Current();
            }
            """,
            CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview),
            Path.Combine(CoreFolder, "Spec", "Probe.cs"));
        var compilation = Core.Value.AddSyntaxTrees(probe);
        var model = compilation.GetSemanticModel(probe);

        var upwards = probe.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>().Where(n => !InNamespaceDeclaration(n))
            .Where(n => model.GetSymbolInfo(n).Symbol is { } symbol && LayerOf(symbol) == "Resolution")
            .Select(n => n.Identifier.Text)
            .ToList();

        Assert.Equal(["Resolution", "EnvironmentLocker", "Resolution", "DotnetInstallation", "Current"], upwards);
    }

    private static CSharpCompilation Compile()
    {
        var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);
        var trees = SourceFiles().Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, f)).ToList();

        // The files TorchEnv.Core.csproj links from outside src/Core (src/Shared, compiled into TorchEnv.Training too);
        // they belong to no layer.
        trees.AddRange(LinkedFiles().Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, f)));

        // What the SDK adds to every project with ImplicitUsings.
        trees.Add(CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; "
            + "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;", options));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "NuGet.*.dll"))
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "YamlDotNet.dll"))
            .Select(path => MetadataReference.CreateFromFile(path));
        return CSharpCompilation.Create(
            "TorchEnv.Core.Layers",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
    }

    private static bool InNamespaceDeclaration(SyntaxNode node) => node.Ancestors().Any(a => a is BaseNamespaceDeclarationSyntax declaration && declaration.Name.Span.Contains(node.Span));

    /// <summary>The Core folder a symbol belongs to (through its namespace), or null outside TorchEnv.Core's folders.</summary>
    private static string? LayerOf(ISymbol symbol)
    {
        var ns = symbol as INamespaceSymbol ?? symbol.ContainingNamespace;
        return ns is null ? null : LayerOf(ns.ToDisplayString());
    }

    private static string? LayerOf(string ns)
    {
        var parts = ns.Split('.');
        return parts.Length >= 3 && parts[0] == "TorchEnv" && parts[1] == "Core" && Layers.ContainsKey(parts[2]) ? parts[2] : null;
    }

    private static string? NamespaceOf(SyntaxNode root) =>
        root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();

    private static string FolderOf(string file) => Path.GetRelativePath(CoreFolder, file).Split(Path.DirectorySeparatorChar)[0];

    private static string Relative(string file) => Path.GetRelativePath(RepositoryRoot.Get(), file);

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(CoreFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(CoreFolder, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    private static IEnumerable<string> LinkedFiles() =>
        System.Xml.Linq.XDocument.Load(Path.Combine(CoreFolder, "TorchEnv.Core.csproj")).Descendants("Compile")
            .Select(c => (string?)c.Attribute("Include"))
            .OfType<string>()
            .Select(include => Path.GetFullPath(Path.Combine(CoreFolder, include.Replace('\\', Path.DirectorySeparatorChar))));

    /// <summary>The layers table of src/Core/README.md: folder → layer number.</summary>
    private static Dictionary<string, int> ReadLayers() =>
        File.ReadLines(Path.Combine(CoreFolder, "README.md"))
            .Select(line => LayerRow().Match(line))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups["folder"].Value, m => int.Parse(m.Groups["layer"].Value, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

    [GeneratedRegex(@"^\| (?<layer>\d+) \| `(?<folder>\w+)` \|")]
    private static partial Regex LayerRow();
}
