using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Export;
using TorchEnv.Core.IO;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Spec.MatchSpecs;

namespace TorchEnv.Core.Adopt;

/// <summary>
/// <c>torchenv adopt</c>: moves an existing repository of TorchSharp projects onto TorchEnv in one step, like pixi's
/// <c>init --import</c>. The export (<see cref="SpecExporter"/>) gives one <c>environment.yml</c> at the root; each
/// project that uses TorchSharp (directly or through a project reference) gets <c>Sdk="TorchEnv.Sdk"</c>, with the
/// version pinned once in <c>global.json</c> <c>msbuild-sdks</c>, and loses the package items the lock now supplies —
/// and nothing else: files are edited as text (<see cref="ProjectFileEditor"/>), byte for byte elsewhere. Every new
/// content is computed and checked first (<see cref="Plan"/>), then all files are written or none (<see cref="Apply"/>).
/// Projects that use no TorchSharp are left alone; one that cannot be adopted stops everything (TENV0553).
/// </summary>
public static class Adopter
{
    /// <summary>The TorchEnv MSBuild SDK's name in projects and in <c>global.json</c>.</summary>
    public const string SdkName = "TorchEnv.Sdk";

    /// <summary>Computes and checks everything adopt would write; writes nothing.</summary>
    public static AdoptPlan Plan(AdoptOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var set = ProjectSet.Locate(options.Path);
        var contents = set.Projects.ToDictionary(p => p, Read, StringComparer.Ordinal);
        var forms = contents.ToDictionary(c => c.Key, c => c.Value is null ? ProjectSdkForm.Other : SdkFormOf(c.Key, c.Value), StringComparer.Ordinal);
        bool IsAdopted(string project) => forms.TryGetValue(project, out var form) && form == ProjectSdkForm.TorchEnvSdk;
        var specPath = Path.Combine(set.Root, EnvironmentSpecReader.DefaultFileName);

        // A packages.config project lists its packages outside the project file, where the export does not look: one
        // that names a TorchSharp or libtorch package cannot be adopted, whatever the other projects hold.
        var packagesConfigErrors = set.Projects.Where(ListsStackInPackagesConfig)
            .Select(p => AdoptMessages.CannotAdopt(p, AdoptMessages.Reason.PackagesConfig)).ToList();

        ExportAnalysis analysis;
        try
        {
            analysis = SpecExporter.Analyze(new ExportOptions { Project = options.Path, FromHistory = options.FromHistory }, IsAdopted);
        }
        catch (TorchEnvException e) when (e.Diagnostic.Descriptor == ExportMessages.NoTorchSharpDescriptor && packagesConfigErrors.Count > 0)
        {
            throw new TorchEnvException(packagesConfigErrors);
        }
        catch (TorchEnvException e) when (e.Diagnostic.Descriptor == ExportMessages.NoTorchSharpDescriptor && set.Projects.Any(IsAdopted))
        {
            // Adopted already (the lock supplies TorchSharp, so no project references it any more): nothing to do.
            var done = set.Projects.Select(p => new AdoptedProject(p, IsAdopted(p) ? AdoptAction.AlreadyAdopted : AdoptAction.LeftAlone, [])).ToList();
            return new AdoptPlan(set.Root, specPath, null, done, [], []);
        }

        var notes = new List<Diagnostic>(analysis.Result.Warnings);
        var root = set.Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var users = new List<ProjectAnalysis>();
        foreach (var user in analysis.Users)
        {
            if (user.Files.Project.StartsWith(root, StringComparison.Ordinal))
            {
                users.Add(user);
            }
            else
            {
                notes.Add(AdoptMessages.OutsideRoot(user.Files.Project, set.Root));
            }
        }

        var userContents = users.ToDictionary(u => u.Files.Project, u => contents.TryGetValue(u.Files.Project, out var c) ? c : Read(u.Files.Project), StringComparer.Ordinal);
        var errors = packagesConfigErrors.Concat(users.Select(u => CannotAdopt(u.Files.Project, userContents[u.Files.Project])).OfType<Diagnostic>())
            .DistinctBy(d => d.Location?.File, StringComparer.Ordinal).ToList();
        if (errors.Count > 0)
        {
            throw new TorchEnvException(errors);
        }

        // What the lock supplies: the stack, and every package the spec lists under nuget:.
        var nuget = analysis.Result.Dependencies.Where(d => d.IsNuGet).Select(d => CondaMatchSpec.Parse(d.Spec, _ => 3).Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Supplied(string id) => StackReference.Classify(id).Role != StackRole.None || nuget.Contains(id);
        var usedElsewhere = analysis.Others.SelectMany(o => o.ReferencedIds).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var changes = new List<FileChange>();
        var projects = new List<AdoptedProject>();
        var shared = new Dictionary<string, TextFileContent>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            var project = user.Files.Project;
            var content = userContents[project]!;
            var after = ProjectFileEditor.Rewrite(content.Text, SdkName, Supplied);
            Add(changes, project, content, after, expectSdk: true);
            var removed = user.ReferencedIds.Where(Supplied).Order(StringComparer.OrdinalIgnoreCase).ToList();
            projects.Add(new AdoptedProject(project, AdoptAction.Adopted, removed));

            // Directory.Build.props / .targets / Directory.Packages.props under the root: a package item goes when the
            // lock supplies it and no project that stays on Microsoft.NET.Sdk reads it there.
            foreach (var file in user.Files.EvaluationOrder.Select(x => x.Path).Where(p => p != project && p.StartsWith(root, StringComparison.Ordinal)))
            {
                shared.TryAdd(file, Read(file) ?? throw new TorchEnvException(AdoptMessages.CannotAdopt(file, AdoptMessages.Reason.Encoding)));
            }
        }

        foreach (var (file, content) in shared)
        {
            var after = ProjectFileEditor.Rewrite(content.Text, sdk: null, id => Supplied(id) && (StackReference.Classify(id).Role != StackRole.None || !usedElsewhere.Contains(id)));
            Add(changes, file, content, after, expectSdk: false);
        }

        foreach (var project in set.Projects.Where(p => users.All(u => u.Files.Project != p)))
        {
            projects.Add(new AdoptedProject(project, IsAdopted(project) ? AdoptAction.AlreadyAdopted : AdoptAction.LeftAlone, []));
        }

        var spec = System.Text.Encoding.UTF8.GetBytes(analysis.Result.Text);
        var existingSpec = File.Exists(specPath) ? File.ReadAllBytes(specPath) : null;
        if (existingSpec is null)
        {
            changes.Add(new FileChange(specPath, null, spec));
        }
        else if (!existingSpec.AsSpan().SequenceEqual(spec))
        {
            changes.Add(options.Force ? new FileChange(specPath, existingSpec, spec) : throw new TorchEnvException(AdoptMessages.SpecExists(specPath)));
        }

        if (GlobalJsonChange(set.Root, options.SdkVersion) is { } globalJson)
        {
            changes.Add(globalJson);
        }

        var order = set.Projects.ToList();
        return new AdoptPlan(set.Root, specPath, analysis.Result, projects.OrderBy(p => order.IndexOf(p.Path)).ToList(), changes, notes);
    }

    /// <summary>Writes the plan's files, all or none (TENV0555 with every file put back when one write fails).</summary>
    public static void Apply(AdoptPlan plan, Action<string, byte[]>? write = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        try
        {
            AtomicFileSet.WriteAll(plan.Changes, write);
        }
        catch (AtomicFileSetException e)
        {
            throw new TorchEnvException(AdoptMessages.WriteFailed(e.FailedPath, e.InnerException?.Message ?? e.Message, e.Restored), e);
        }
    }

    private static TextFileContent? Read(string path) => TextFileContent.Decode(File.ReadAllBytes(path));

    /// <summary>True when a <c>packages.config</c> beside the project names a TorchSharp or libtorch package.</summary>
    private static bool ListsStackInPackagesConfig(string project)
    {
        var config = Path.Combine(Path.GetDirectoryName(project)!, "packages.config");
        if (!File.Exists(config))
        {
            return false;
        }

        try
        {
            return XDocument.Load(config).Root?.Elements().Any(e => e.Name.LocalName == "package"
                && e.Attribute("id")?.Value is { } id && StackReference.Classify(id.Trim()).Role != StackRole.None) == true;
        }
        catch (XmlException e)
        {
            throw new TorchEnvException(ExportMessages.MalformedFile(config, e));
        }
    }

    private static ProjectSdkForm SdkFormOf(string path, TextFileContent content)
    {
        try
        {
            return ProjectFileEditor.SdkForm(content.Text);
        }
        catch (XmlException e)
        {
            throw new TorchEnvException(ExportMessages.MalformedFile(path, e));
        }
    }

    private static Diagnostic? CannotAdopt(string project, TextFileContent? content)
    {
        if (content is null)
        {
            return AdoptMessages.CannotAdopt(project, AdoptMessages.Reason.Encoding);
        }

        if (File.Exists(Path.Combine(Path.GetDirectoryName(project)!, "packages.config")))
        {
            return AdoptMessages.CannotAdopt(project, AdoptMessages.Reason.PackagesConfig);
        }

        return SdkFormOf(project, content) switch
        {
            ProjectSdkForm.None => AdoptMessages.CannotAdopt(project, AdoptMessages.Reason.NotSdkStyle),
            ProjectSdkForm.Other => AdoptMessages.CannotAdopt(project, AdoptMessages.Reason.OtherSdk),
            _ => null,
        };
    }

    /// <summary>Records a change when the bytes differ, after checking that the new text is still well-formed MSBuild XML.</summary>
    private static void Add(List<FileChange> changes, string path, TextFileContent content, string after, bool expectSdk)
    {
        if (after == content.Text)
        {
            return;
        }

        try
        {
            XDocument.Parse(after);
            if (expectSdk && ProjectFileEditor.SdkForm(after) != ProjectSdkForm.TorchEnvSdk)
            {
                throw new XmlException("the Sdk attribute was not rewritten");
            }
        }
        catch (XmlException e)
        {
            throw new InvalidOperationException($"adopt produced malformed XML for '{path}': {e.Message}", e);
        }

        changes.Add(new FileChange(path, content.Bytes, content.Encode(after)));
    }

    /// <summary>The <c>global.json</c> that pins TorchEnv.Sdk: the nearest one at or above the root merged, else a new one at the root; null when pinned already.</summary>
    private static FileChange? GlobalJsonChange(string root, string version)
    {
        var existing = ProjectFiles.FindAbove(root, "global.json");
        if (existing is null)
        {
            return new FileChange(Path.Combine(root, "global.json"), null, System.Text.Encoding.UTF8.GetBytes(GlobalJsonEditor.Create(SdkName, version)));
        }

        var content = Read(existing) ?? throw new TorchEnvException(ExportMessages.MalformedFile(new SourceLocation(existing, 1, 1), "not UTF-8 text"));
        string after;
        try
        {
            after = GlobalJsonEditor.Pin(content, SdkName, version);
            using var check = JsonDocument.Parse(after, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new TorchEnvException(ExportMessages.MalformedFile(new SourceLocation(existing, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1), e.Message));
        }

        return after == content.Text ? null : new FileChange(existing, content.Bytes, content.Encode(after));
    }
}
