using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec.MatchSpecs;
using TorchEnv.Core.Spec.Yaml;

namespace TorchEnv.Core.Spec;

/// <summary>
/// Every message about <c>environment.yml</c> (codes TENV0001–TENV0099), in one place. Each says what is wrong and how
/// to fix it; <c>docs/diagnostics.md</c> lists every code.
/// </summary>
internal static class SpecMessages
{
    /// <summary>The version forms a user may write, quoted in every version error.</summary>
    public const string AcceptedVersionForms =
        "Accepted forms: name=1.2 (any 1.2.x), name=1.2.* or name 1.2.* (the same), name=1.2.3 or name==1.2.3 (exactly 1.2.3), "
        + "name>=1.2,<2 (a range; also >, <=, <), name~=1.2 (compatible release: >=1.2,<2). For cuda two parts are exact: cuda=12.8.";

    private const string DocsHint = "See docs/environment-yml.md.";

    // ---- Reading and YAML (TENV0001–TENV0010) ----

    public static readonly DiagnosticDescriptor YamlSyntaxDescriptor = new("TENV0001", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The spec is not valid YAML: {0}",
        "Correct the YAML at this line and column (indentation, a missing ':' or closing bracket or quote). " + DocsHint);

    public static readonly DiagnosticDescriptor FileTooLargeDescriptor = new("TENV0002", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The spec is {0:N0} bytes; TorchEnv reads spec files of at most {1:N0} bytes (1 MiB).",
        "An environment.yml is a few hundred bytes: point TorchEnv at the right file, or remove generated content from it.");

    public static readonly DiagnosticDescriptor TooDeepDescriptor = new("TENV0003", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The spec nests lists and mappings more than {0} levels deep.",
        "Flatten the structure: the spec's own shape needs at most five levels (variants → name → dependencies → nuget → entry).");

    public static readonly DiagnosticDescriptor TooManyNodesDescriptor = new("TENV0004", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The spec has more than {0:N0} values (aliases counted as the values they stand for); reading stopped here.",
        "Remove the repetition. If aliases (*name) refer to anchors that contain aliases themselves, the file grows exponentially (an \"alias bomb\").");

    public static readonly DiagnosticDescriptor TooManyAliasesDescriptor = new("TENV0005", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The spec uses more than {0} aliases (*name).",
        "Write the values out, or share fewer of them through anchors.");

    public static readonly DiagnosticDescriptor TagNotAllowedDescriptor = new("TENV0006", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The YAML tag '{0}' is not allowed in a spec: TorchEnv reads plain values only and never creates objects from tags.",
        "Remove the tag (the text starting with '!') and write the plain value.");

    public static readonly DiagnosticDescriptor DuplicateKeyDescriptor = new("TENV0007", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The key '{0}' appears twice in the same mapping (first at line {1}, column {2}).",
        "Keep one '{0}:' and merge the values into it.");

    public static readonly DiagnosticDescriptor FileUnreadableDescriptor = new("TENV0008", DiagnosticSeverity.Error, ExitClass.MissingInput,
        "The spec file cannot be read: {0}",
        "Check the path (run 'torchenv init' to create an environment.yml) and that the file is readable.");

    public static readonly DiagnosticDescriptor NotAMappingDescriptor = new("TENV0009", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The spec must be a mapping of keys (name:, channels:, dependencies:…), found {0}.",
        "Start the file with 'name: <project>_<framework>_<device>' and the other keys, as in docs/environment-yml.md.");

    public static readonly DiagnosticDescriptor MultipleDocumentsDescriptor = new("TENV0010", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The spec contains more than one YAML document ('---' separates documents).",
        "Keep one document: remove the '---' line and everything that belongs to a second environment (use variants: for several).");

    public static Diagnostic YamlSyntax(SourceLocation at, string yamlMessage) => YamlSyntaxDescriptor.Create(at, Sentence(yamlMessage));

    public static Diagnostic FileTooLarge(string file, long bytes) => FileTooLargeDescriptor.Create(new SourceLocation(file, 1, 1), bytes, SpecLimits.MaxFileBytes);

    public static Diagnostic TooDeep(SourceLocation at) => TooDeepDescriptor.Create(at, SpecLimits.MaxDepth);

    public static Diagnostic TooManyNodes(SourceLocation at) => TooManyNodesDescriptor.Create(at, SpecLimits.MaxNodes);

    public static Diagnostic TooManyAliases(SourceLocation at) => TooManyAliasesDescriptor.Create(at, SpecLimits.MaxAliases);

    public static Diagnostic TagNotAllowed(SourceLocation at, string tag) => TagNotAllowedDescriptor.Create(at, tag);

    public static Diagnostic DuplicateKey(SourceLocation at, string key, SourceLocation first) => DuplicateKeyDescriptor.Create(at, key, first.Line, first.Column);

    public static Diagnostic FileUnreadable(string file, string reason) => FileUnreadableDescriptor.Create(new SourceLocation(file, 1, 1), Sentence(reason));

    public static Diagnostic NotAMapping(SourceLocation at, string found) => NotAMappingDescriptor.Create(at, found);

    public static Diagnostic MultipleDocuments(SourceLocation at) => MultipleDocumentsDescriptor.Create(at);

    // ---- Keys and types (TENV0011–TENV0013) ----

    public static readonly DiagnosticDescriptor UnknownKeyDescriptor = new("TENV0011", DiagnosticSeverity.Error, ExitClass.BadInput,
        "Unknown key '{0}' {1}.{2}",
        "Valid keys here: {3}.");

    public static readonly DiagnosticDescriptor WrongTypeDescriptor = new("TENV0012", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0} must be {1}, found {2}.",
        "{3}");

    public static readonly DiagnosticDescriptor MissingKeyDescriptor = new("TENV0013", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The spec has no '{0}:'; it is required.",
        "Add it, e.g. '{1}'.");

    public static Diagnostic UnknownKey(SourceLocation at, string key, string where, IReadOnlyList<string> validKeys) =>
        UnknownKeyDescriptor.Create(at, key, where, NameSuggestions.DidYouMean(key, validKeys), string.Join(", ", validKeys));

    public static Diagnostic KeyNotScalar(SourceLocation at, string found) =>
        WrongTypeDescriptor.Create(at, "A key", "a plain name", found, "Write keys as names followed by ':', e.g. 'dependencies:'.");

    public static Diagnostic WrongType(SourceLocation at, string what, string expected, string found, string example) =>
        WrongTypeDescriptor.Create(at, Capitalise(what), expected, found, $"Write it as: {example}");

    public static Diagnostic MissingKey(SourceLocation at, string key, string example) => MissingKeyDescriptor.Create(at, key, example);

    // ---- Values (TENV0014–TENV0021) ----

    public static readonly DiagnosticDescriptor InvalidNameDescriptor = new("TENV0014", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The {0} '{1}' may contain only letters, digits, '_', '-' and '.'.",
        "Rename it, e.g. '{2}' (convention for environments: <project>_<framework>_<device>).");

    public static readonly DiagnosticDescriptor InvalidPolicyDescriptor = new("TENV0015", DiagnosticSeverity.Error, ExitClass.BadInput,
        "Unknown policy '{0}'.{1}",
        "Write 'policy: research' (ranges allowed; the default) or 'policy: production' (every key component pinned exactly, HTTPS or local sources only).");

    public static readonly DiagnosticDescriptor InvalidFrameworkDescriptor = new("TENV0016", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' is not a .NET target framework TorchEnv can build for (a net5.0 or newer TFM).",
        "Write e.g. 'framework: net10.0' or 'framework: net8.0', or remove the key to derive it from dotnet-sdk.");

    public static readonly DiagnosticDescriptor UnknownPlatformDescriptor = new("TENV0017", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}",
        "{1}{2}.");

    public static readonly DiagnosticDescriptor DuplicatePlatformDescriptor = new("TENV0018", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The platform '{0}' is listed twice.",
        "Remove the second entry.");

    public static readonly DiagnosticDescriptor NoPlatformsDescriptor = new("TENV0019", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The variant '{0}' has no platforms: neither the spec nor the variant lists any.",
        "Add 'platforms: [linux-x64]' (and every other platform you run on) at the top of the spec or in the variant.");

    public static readonly DiagnosticDescriptor InvalidChannelDescriptor = new("TENV0020", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The channel '{0}' is not usable: {1}",
        "Write a source name from NuGet.config (e.g. nuget.org), an https:// URL (e.g. https://api.nuget.org/v3/index.json) or a local folder path (e.g. ./packages).");

    public static readonly DiagnosticDescriptor DuplicateChannelDescriptor = new("TENV0021", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The channel '{0}' is listed twice.",
        "Remove the second entry; sources are searched in the order written.");

    public static Diagnostic InvalidName(SourceLocation at, string what, string name) => InvalidNameDescriptor.Create(at, what, name, SuggestName(name));

    public static Diagnostic InvalidPolicy(SourceLocation at, string value) =>
        InvalidPolicyDescriptor.Create(at, value, NameSuggestions.DidYouMean(value, ["research", "production"]));

    public static Diagnostic InvalidFramework(SourceLocation at, string value) => InvalidFrameworkDescriptor.Create(at, value);

    public static Diagnostic UnknownPlatform(SourceLocation at, string value, bool isCondaName, string? mapped)
    {
        var supported = string.Join(", ", KnownPlatforms.All);
        if (isCondaName)
        {
            return mapped is null
                ? UnknownPlatformDescriptor.Create(at,
                    $"'{value}' is a conda platform with no .NET runtime identifier TorchSharp builds for.",
                    "Remove it. Supported platforms: ", supported)
                : UnknownPlatformDescriptor.Create(at,
                    $"'{value}' is conda's name for a platform; TorchEnv uses .NET runtime identifiers. Did you mean '{mapped}'?",
                    $"Write '{mapped}'. Supported platforms: ", supported);
        }

        return UnknownPlatformDescriptor.Create(at,
            $"Unknown platform '{value}'.{NameSuggestions.DidYouMean(value, KnownPlatforms.All)}",
            "Use .NET runtime identifiers: ", supported);
    }

    public static Diagnostic DuplicatePlatform(SourceLocation at, string value) => DuplicatePlatformDescriptor.Create(at, value);

    public static Diagnostic NoPlatforms(SourceLocation at, string variant) => NoPlatformsDescriptor.Create(at, variant);

    public static Diagnostic InvalidChannel(SourceLocation at, string value, string reason) => InvalidChannelDescriptor.Create(at, value, reason);

    public static Diagnostic DuplicateChannel(SourceLocation at, string value) => DuplicateChannelDescriptor.Create(at, value);

    // ---- Dependencies (TENV0022–TENV0036) ----

    public static readonly DiagnosticDescriptor UnknownDependencyDescriptor = new("TENV0022", DiagnosticSeverity.Error, ExitClass.BadInput,
        "Unknown dependency '{0}'.{1} Top-level dependencies are {2}.",
        "For any other NuGet package use the nuget: sub-list, e.g. '- nuget: [{0}=1.0.0]'.");

    public static readonly DiagnosticDescriptor UnknownSubListDescriptor = new("TENV0023", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}",
        "{1}");

    public static readonly DiagnosticDescriptor DuplicateDependencyDescriptor = new("TENV0024", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' is listed twice in the same dependency list (first at line {1}).",
        "Keep one entry; combine constraints in it, e.g. 'torchsharp>=0.105,<0.108'.");

    public static readonly DiagnosticDescriptor MatchSpecSyntaxDescriptor = new("TENV0025", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}",
        "{1}");

    public static readonly DiagnosticDescriptor InvalidVersionDescriptor = new("TENV0026", DiagnosticSeverity.Error, ExitClass.BadInput,
        "{0}",
        AcceptedVersionForms);

    public static readonly DiagnosticDescriptor NotEqualDescriptor = new("TENV0027", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' excludes a version; NuGet version ranges cannot express '!='.",
        "Use a range that leaves the version out, e.g. '>=1.3' or '<1.2'. " + AcceptedVersionForms);

    public static readonly DiagnosticDescriptor OrDescriptor = new("TENV0028", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' is a union of versions ('|'); NuGet version ranges cannot express it.",
        "Pick one range, e.g. '>=1.2,<1.5'. " + AcceptedVersionForms);

    public static readonly DiagnosticDescriptor BuildStringDescriptor = new("TENV0029", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' has a conda build string ('{1}'); NuGet packages have no build strings.",
        "Remove it: for the CPU or CUDA build write a separate 'cpu' or 'cuda=12.8' dependency. " + AcceptedVersionForms);

    public static readonly DiagnosticDescriptor EmptyRangeDescriptor = new("TENV0030", DiagnosticSeverity.Error, ExitClass.BadInput,
        "No version satisfies every constraint of '{0}'.",
        "Make the lower bound lower than the upper bound, e.g. '>=1.2,<2'.");

    public static readonly DiagnosticDescriptor VersionNotAllowedDescriptor = new("TENV0031", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' takes no version.",
        "Write just '- {0}'; the versions come from torchsharp= through the stack matrix.");

    public static readonly DiagnosticDescriptor InvalidPackageIdDescriptor = new("TENV0032", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' is not a valid NuGet package id.",
        "Write the id as on nuget.org (letters, digits, '.', '_', '-'), then '=' and the version, e.g. 'Spectre.Console=0.57.2'.");

    public static readonly DiagnosticDescriptor StackPackageInNuGetListDescriptor = new("TENV0033", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' is part of the TorchSharp stack, which the stack matrix chooses; it cannot be listed under nuget:.",
        "Use the top-level entries instead: torchsharp=…, torchvision=…, cpu or cuda=…, libtorch=… (see docs/stack-matrix.md).");

    public static readonly DiagnosticDescriptor CpuAndCudaDescriptor = new("TENV0034", DiagnosticSeverity.Error, ExitClass.BadInput,
        "A variant cannot use both 'cpu' and 'cuda': a build has exactly one libtorch runtime.",
        "Keep one of them; for both, declare two variants: variants: {{ cpu: {{ dependencies: [cpu] }}, cuda: {{ dependencies: [cuda=12.8] }} }}.");

    public static readonly DiagnosticDescriptor CudnnWithoutCudaDescriptor = new("TENV0035", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'cudnn' constrains the cuDNN bundled with the CUDA build of libtorch, but this variant uses the CPU build.",
        "Add 'cuda=12.8' (or the CUDA you need), or remove the cudnn line.");

    public static readonly DiagnosticDescriptor EmptyVariantsDescriptor = new("TENV0036", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'variants:' is empty.",
        "Declare at least one variant, e.g. 'variants: {{ cpu: {{ dependencies: [cpu] }} }}', or remove the key.");

    public static readonly DiagnosticDescriptor FrameworkNeedsNewerSdkDescriptor = new("TENV0037", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The framework {0} needs a newer .NET SDK than '{1}' allows.",
        "Raise dotnet-sdk (e.g. 'dotnet-sdk={2}.0.*') or lower the framework.");

    public static readonly DiagnosticDescriptor UnsupportedSdkDescriptor = new("TENV0038", DiagnosticSeverity.Error, ExitClass.BadInput,
        "'{0}' allows .NET SDKs older than 5.0, which cannot build TorchSharp projects (net5.0 or newer).",
        "Write e.g. 'dotnet-sdk=10.0.*'.");

    public static Diagnostic UnknownDependency(SourceLocation at, string name) =>
        UnknownDependencyDescriptor.Create(at, name, NameSuggestions.DidYouMean(name, KnownDependencies.Names), string.Join(", ", KnownDependencies.Names));

    public static Diagnostic UnknownSubList(SourceLocation at, string key)
    {
        var known = KnownDependencies.Find(key);
        return known is null
            ? UnknownSubListDescriptor.Create(at,
                $"Unknown dependency sub-list '{key}:'. Did you mean 'nuget'? TorchEnv installs NuGet packages only.",
                "Write '- nuget:' followed by a list of 'Id=version' entries, e.g. '- nuget: [Spectre.Console=0.57.2]'.")
            : UnknownSubListDescriptor.Create(at,
                $"'{key}' is written as a mapping ('{key}: …'); dependencies are match-spec strings.",
                $"Write '- {key.ToLowerInvariant()}=<version>' (e.g. '- cuda=12.8'), without the colon.");
    }

    public static Diagnostic DuplicateDependency(SourceLocation at, string name, SourceLocation first) => DuplicateDependencyDescriptor.Create(at, name, first.Line);

    public static Diagnostic MatchSpec(SourceLocation at, string text, MatchSpecError error) => error.Kind switch
    {
        MatchSpecErrorKind.Syntax => MatchSpecSyntaxDescriptor.Create(at,
            $"'{text}' is not a match spec (name, then an optional version).",
            "Write e.g. 'torchsharp=0.107.*', 'cuda=12.8', 'cpu'. " + AcceptedVersionForms),
        MatchSpecErrorKind.BracketForm => MatchSpecSyntaxDescriptor.Create(at,
            $"conda's bracket form '{error.Token}' is not supported.",
            "Write the version after the name, e.g. 'torchsharp>=0.105,<0.108'. " + AcceptedVersionForms),
        MatchSpecErrorKind.ChannelPrefix => MatchSpecSyntaxDescriptor.Create(at,
            $"A channel prefix ('{error.Token}') is not supported in a dependency.",
            "List the source under channels: and write the dependency without the prefix."),
        MatchSpecErrorKind.InvalidVersion => InvalidVersionDescriptor.Create(at,
            $"'{error.Token}' in '{text}' is not a version (one to four numbers separated by dots, optionally a pre-release label like -beta.1)."),
        MatchSpecErrorKind.MisplacedWildcard => InvalidVersionDescriptor.Create(at,
            $"The '*' in '{error.Token}' is not allowed there: a wildcard may only end a version after '=' or a space (1.2.*)."),
        MatchSpecErrorKind.CompatibleNeedsTwoParts => InvalidVersionDescriptor.Create(at,
            $"'{error.Token}' needs a release version of at least two parts (~=1.2 means >=1.2,<2)."),
        MatchSpecErrorKind.EmptyConstraint => InvalidVersionDescriptor.Create(at,
            $"'{text}' has an empty constraint between commas."),
        MatchSpecErrorKind.NotEqual => NotEqualDescriptor.Create(at, error.Token),
        MatchSpecErrorKind.Or => OrDescriptor.Create(at, error.Token),
        MatchSpecErrorKind.BuildString => BuildStringDescriptor.Create(at, text, error.Token),
        _ => EmptyRangeDescriptor.Create(at, text),
    };

    public static Diagnostic VersionNotAllowed(SourceLocation at, string name) => VersionNotAllowedDescriptor.Create(at, name);

    public static Diagnostic InvalidPackageId(SourceLocation at, string id) => InvalidPackageIdDescriptor.Create(at, id);

    public static Diagnostic StackPackageInNuGetList(SourceLocation at, string id) => StackPackageInNuGetListDescriptor.Create(at, id);

    public static Diagnostic CpuAndCuda(SourceLocation at) => CpuAndCudaDescriptor.Create(at);

    public static Diagnostic CudnnWithoutCuda(SourceLocation at) => CudnnWithoutCudaDescriptor.Create(at);

    public static Diagnostic EmptyVariants(SourceLocation at) => EmptyVariantsDescriptor.Create(at);

    public static Diagnostic FrameworkNeedsNewerSdk(SourceLocation at, string framework, string sdkText) =>
        FrameworkNeedsNewerSdkDescriptor.Create(at, framework, sdkText, FrameworkMajor(framework));

    public static Diagnostic UnsupportedSdk(SourceLocation at, string sdkText) => UnsupportedSdkDescriptor.Create(at, sdkText);

    // ---- Production policy (TENV0050–TENV0052) ----

    public static readonly DiagnosticDescriptor NotPinnedDescriptor = new("TENV0050", DiagnosticSeverity.Error, ExitClass.BadInput,
        "policy: production requires every dependency pinned exactly, but '{0}' allows more than one version.",
        "Write '{1}'{2}.");

    public static readonly DiagnosticDescriptor MissingInProductionDescriptor = new("TENV0051", DiagnosticSeverity.Error, ExitClass.BadInput,
        "policy: production requires '{0}' pinned exactly, but the variant '{1}' has no {0} dependency.",
        "Add '- {2}' to dependencies:{3}.");

    public static readonly DiagnosticDescriptor ChannelNotHttpsDescriptor = new("TENV0052", DiagnosticSeverity.Error, ExitClass.BadInput,
        "policy: production allows only HTTPS sources and local folders, but '{0}' is plain HTTP.",
        "Use the https:// address of the feed (or a local folder mirror).");

    public static Diagnostic NotPinned(SourceLocation at, string text, string pin, string pinNote) => NotPinnedDescriptor.Create(at, text, pin, pinNote);

    public static Diagnostic MissingInProduction(SourceLocation at, string name, string variant, string pin, string pinNote) =>
        MissingInProductionDescriptor.Create(at, name, variant, pin, pinNote);

    public static Diagnostic ChannelNotHttps(SourceLocation at, string value) => ChannelNotHttpsDescriptor.Create(at, value);

    private static string Sentence(string text)
    {
        var trimmed = text.Trim();
        return trimmed.EndsWith('.') ? trimmed : trimmed + ".";
    }

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string SuggestName(string name)
    {
        var cleaned = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_').ToArray()).Trim('_');
        return cleaned.Length == 0 ? "my_project_net10_cpu" : cleaned;
    }

    private static string FrameworkMajor(string framework) =>
        new(framework.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).ToArray());
}
