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

    public static Diagnostic YamlSyntax(SourceLocation at, string yamlMessage) => Error("TENV0001", at,
        $"The spec is not valid YAML: {Sentence(yamlMessage)}",
        "Correct the YAML at this line and column (indentation, a missing ':' or closing bracket or quote). " + DocsHint);

    public static Diagnostic FileTooLarge(string file, long bytes) => Error("TENV0002", new SourceLocation(file, 1, 1),
        $"The spec is {bytes:N0} bytes; TorchEnv reads spec files of at most {SpecLimits.MaxFileBytes:N0} bytes (1 MiB).",
        "An environment.yml is a few hundred bytes: point TorchEnv at the right file, or remove generated content from it.");

    public static Diagnostic TooDeep(SourceLocation at) => Error("TENV0003", at,
        $"The spec nests lists and mappings more than {SpecLimits.MaxDepth} levels deep.",
        "Flatten the structure: the spec's own shape needs at most five levels (variants → name → dependencies → nuget → entry).");

    public static Diagnostic TooManyNodes(SourceLocation at) => Error("TENV0004", at,
        $"The spec has more than {SpecLimits.MaxNodes:N0} values (aliases counted as the values they stand for); reading stopped here.",
        "Remove the repetition. If aliases (*name) refer to anchors that contain aliases themselves, the file grows exponentially (an \"alias bomb\").");

    public static Diagnostic TooManyAliases(SourceLocation at) => Error("TENV0005", at,
        $"The spec uses more than {SpecLimits.MaxAliases} aliases (*name).",
        "Write the values out, or share fewer of them through anchors.");

    public static Diagnostic TagNotAllowed(SourceLocation at, string tag) => Error("TENV0006", at,
        $"The YAML tag '{tag}' is not allowed in a spec: TorchEnv reads plain values only and never creates objects from tags.",
        "Remove the tag (the text starting with '!') and write the plain value.");

    public static Diagnostic DuplicateKey(SourceLocation at, string key, SourceLocation first) => Error("TENV0007", at,
        $"The key '{key}' appears twice in the same mapping (first at line {first.Line}, column {first.Column}).",
        $"Keep one '{key}:' and merge the values into it.");

    public static Diagnostic KeyNotScalar(SourceLocation at, string found) => Error("TENV0012", at,
        $"A key must be a plain name, found {found}.",
        "Write keys as names followed by ':', e.g. 'dependencies:'.");

    public static Diagnostic FileUnreadable(string file, string reason) => Error("TENV0008", new SourceLocation(file, 1, 1),
        $"The spec file cannot be read: {Sentence(reason)}",
        "Check the path (run 'torchenv init' to create an environment.yml) and that the file is readable.");

    public static Diagnostic NotAMapping(SourceLocation at, string found) => Error("TENV0009", at,
        $"The spec must be a mapping of keys (name:, channels:, dependencies:…), found {found}.",
        "Start the file with 'name: <project>_<framework>_<device>' and the other keys, as in docs/environment-yml.md.");

    public static Diagnostic MultipleDocuments(SourceLocation at) => Error("TENV0010", at,
        "The spec contains more than one YAML document ('---' separates documents).",
        "Keep one document: remove the '---' line and everything that belongs to a second environment (use variants: for several).");

    // ---- Keys and types (TENV0011–TENV0013) ----

    public static Diagnostic UnknownKey(SourceLocation at, string key, string where, IReadOnlyList<string> validKeys) => Error("TENV0011", at,
        $"Unknown key '{key}' {where}.{NameSuggestions.DidYouMean(key, validKeys)}",
        $"Valid keys here: {string.Join(", ", validKeys)}.");

    public static Diagnostic WrongType(SourceLocation at, string what, string expected, string found, string example) => Error("TENV0012", at,
        $"{Capitalise(what)} must be {expected}, found {found}.",
        $"Write it as: {example}");

    public static Diagnostic MissingKey(SourceLocation at, string key, string example) => Error("TENV0013", at,
        $"The spec has no '{key}:'; it is required.",
        $"Add it, e.g. '{example}'.");

    // ---- Values (TENV0014–TENV0021) ----

    public static Diagnostic InvalidName(SourceLocation at, string what, string name) => Error("TENV0014", at,
        $"The {what} '{name}' may contain only letters, digits, '_', '-' and '.'.",
        $"Rename it, e.g. '{SuggestName(name)}' (convention for environments: <project>_<framework>_<device>).");

    public static Diagnostic InvalidPolicy(SourceLocation at, string value) => Error("TENV0015", at,
        $"Unknown policy '{value}'.{NameSuggestions.DidYouMean(value, ["research", "production"])}",
        "Write 'policy: research' (ranges allowed; the default) or 'policy: production' (every key component pinned exactly, HTTPS or local sources only).");

    public static Diagnostic InvalidFramework(SourceLocation at, string value) => Error("TENV0016", at,
        $"'{value}' is not a .NET target framework TorchEnv can build for (a net5.0 or newer TFM).",
        "Write e.g. 'framework: net10.0' or 'framework: net8.0', or remove the key to derive it from dotnet-sdk.");

    public static Diagnostic UnknownPlatform(SourceLocation at, string value, bool isCondaName, string? mapped)
    {
        if (isCondaName)
        {
            return Error("TENV0017", at,
                mapped is null
                    ? $"'{value}' is a conda platform with no .NET runtime identifier TorchSharp builds for."
                    : $"'{value}' is conda's name for a platform; TorchEnv uses .NET runtime identifiers. Did you mean '{mapped}'?",
                mapped is null
                    ? $"Remove it. Supported platforms: {string.Join(", ", KnownPlatforms.All)}."
                    : $"Write '{mapped}'. Supported platforms: {string.Join(", ", KnownPlatforms.All)}.");
        }

        return Error("TENV0017", at,
            $"Unknown platform '{value}'.{NameSuggestions.DidYouMean(value, KnownPlatforms.All)}",
            $"Use .NET runtime identifiers: {string.Join(", ", KnownPlatforms.All)}.");
    }

    public static Diagnostic DuplicatePlatform(SourceLocation at, string value) => Error("TENV0018", at,
        $"The platform '{value}' is listed twice.",
        "Remove the second entry.");

    public static Diagnostic NoPlatforms(SourceLocation at, string variant) => Error("TENV0019", at,
        $"The variant '{variant}' has no platforms: neither the spec nor the variant lists any.",
        "Add 'platforms: [linux-x64]' (and every other platform you run on) at the top of the spec or in the variant.");

    public static Diagnostic InvalidChannel(SourceLocation at, string value, string reason) => Error("TENV0020", at,
        $"The channel '{value}' is not usable: {reason}",
        "Write a source name from NuGet.config (e.g. nuget.org), an https:// URL (e.g. https://api.nuget.org/v3/index.json) or a local folder path (e.g. ./packages).");

    public static Diagnostic DuplicateChannel(SourceLocation at, string value) => Error("TENV0021", at,
        $"The channel '{value}' is listed twice.",
        "Remove the second entry; sources are searched in the order written.");

    // ---- Dependencies (TENV0022–TENV0036) ----

    public static Diagnostic UnknownDependency(SourceLocation at, string name) => Error("TENV0022", at,
        $"Unknown dependency '{name}'.{NameSuggestions.DidYouMean(name, KnownDependencies.Names)} Top-level dependencies are {string.Join(", ", KnownDependencies.Names)}.",
        $"For any other NuGet package use the nuget: sub-list, e.g. '- nuget: [{name}=1.0.0]'.");

    public static Diagnostic UnknownSubList(SourceLocation at, string key)
    {
        var known = KnownDependencies.Find(key);
        return known is null
            ? Error("TENV0023", at,
                $"Unknown dependency sub-list '{key}:'. Did you mean 'nuget'? TorchEnv installs NuGet packages only.",
                "Write '- nuget:' followed by a list of 'Id=version' entries, e.g. '- nuget: [Spectre.Console=0.57.2]'.")
            : Error("TENV0023", at,
                $"'{key}' is written as a mapping ('{key}: …'); dependencies are match-spec strings.",
                $"Write '- {key.ToLowerInvariant()}=<version>' (e.g. '- cuda=12.8'), without the colon.");
    }

    public static Diagnostic DuplicateDependency(SourceLocation at, string name, SourceLocation first) => Error("TENV0024", at,
        $"'{name}' is listed twice in the same dependency list (first at line {first.Line}).",
        "Keep one entry; combine constraints in it, e.g. 'torchsharp>=0.105,<0.108'.");

    public static Diagnostic MatchSpec(SourceLocation at, string text, MatchSpecError error) => error.Kind switch
    {
        MatchSpecErrorKind.Syntax => Error("TENV0025", at,
            $"'{text}' is not a match spec (name, then an optional version).",
            "Write e.g. 'torchsharp=0.107.*', 'cuda=12.8', 'cpu'. " + AcceptedVersionForms),
        MatchSpecErrorKind.BracketForm => Error("TENV0025", at,
            $"conda's bracket form '{error.Token}' is not supported.",
            "Write the version after the name, e.g. 'torchsharp>=0.105,<0.108'. " + AcceptedVersionForms),
        MatchSpecErrorKind.ChannelPrefix => Error("TENV0025", at,
            $"A channel prefix ('{error.Token}') is not supported in a dependency.",
            "List the source under channels: and write the dependency without the prefix."),
        MatchSpecErrorKind.InvalidVersion => Error("TENV0026", at,
            $"'{error.Token}' in '{text}' is not a version (one to four numbers separated by dots, optionally a pre-release label like -beta.1).",
            AcceptedVersionForms),
        MatchSpecErrorKind.MisplacedWildcard => Error("TENV0026", at,
            $"The '*' in '{error.Token}' is not allowed there: a wildcard may only end a version after '=' or a space (1.2.*).",
            AcceptedVersionForms),
        MatchSpecErrorKind.CompatibleNeedsTwoParts => Error("TENV0026", at,
            $"'{error.Token}' needs a release version of at least two parts (~=1.2 means >=1.2,<2).",
            AcceptedVersionForms),
        MatchSpecErrorKind.EmptyConstraint => Error("TENV0026", at,
            $"'{text}' has an empty constraint between commas.",
            AcceptedVersionForms),
        MatchSpecErrorKind.NotEqual => Error("TENV0027", at,
            $"'{error.Token}' excludes a version; NuGet version ranges cannot express '!='.",
            "Use a range that leaves the version out, e.g. '>=1.3' or '<1.2'. " + AcceptedVersionForms),
        MatchSpecErrorKind.Or => Error("TENV0028", at,
            $"'{error.Token}' is a union of versions ('|'); NuGet version ranges cannot express it.",
            "Pick one range, e.g. '>=1.2,<1.5'. " + AcceptedVersionForms),
        MatchSpecErrorKind.BuildString => Error("TENV0029", at,
            $"'{text}' has a conda build string ('{error.Token}'); NuGet packages have no build strings.",
            "Remove it: for the CPU or CUDA build write a separate 'cpu' or 'cuda=12.8' dependency. " + AcceptedVersionForms),
        _ => Error("TENV0030", at,
            $"No version satisfies every constraint of '{text}'.",
            "Make the lower bound lower than the upper bound, e.g. '>=1.2,<2'."),
    };

    public static Diagnostic VersionNotAllowed(SourceLocation at, string name) => Error("TENV0031", at,
        $"'{name}' takes no version.",
        $"Write just '- {name}'; the versions come from torchsharp= through the stack matrix.");

    public static Diagnostic InvalidPackageId(SourceLocation at, string id) => Error("TENV0032", at,
        $"'{id}' is not a valid NuGet package id.",
        "Write the id as on nuget.org (letters, digits, '.', '_', '-'), then '=' and the version, e.g. 'Spectre.Console=0.57.2'.");

    public static Diagnostic StackPackageInNuGetList(SourceLocation at, string id) => Error("TENV0033", at,
        $"'{id}' is part of the TorchSharp stack, which the stack matrix chooses; it cannot be listed under nuget:.",
        "Use the top-level entries instead: torchsharp=…, torchvision=…, cpu or cuda=…, libtorch=… (see docs/stack-matrix.md).");

    public static Diagnostic CpuAndCuda(SourceLocation at) => Error("TENV0034", at,
        "A variant cannot use both 'cpu' and 'cuda': a build has exactly one libtorch runtime.",
        "Keep one of them; for both, declare two variants: variants: { cpu: { dependencies: [cpu] }, cuda: { dependencies: [cuda=12.8] } }.");

    public static Diagnostic CudnnWithoutCuda(SourceLocation at) => Error("TENV0035", at,
        "'cudnn' constrains the cuDNN bundled with the CUDA build of libtorch, but this variant uses the CPU build.",
        "Add 'cuda=12.8' (or the CUDA you need), or remove the cudnn line.");

    public static Diagnostic EmptyVariants(SourceLocation at) => Error("TENV0036", at,
        "'variants:' is empty.",
        "Declare at least one variant, e.g. 'variants: { cpu: { dependencies: [cpu] } }', or remove the key.");

    public static Diagnostic FrameworkNeedsNewerSdk(SourceLocation at, string framework, string sdkText) => Error("TENV0037", at,
        $"The framework {framework} needs a newer .NET SDK than '{sdkText}' allows.",
        $"Raise dotnet-sdk (e.g. 'dotnet-sdk={FrameworkMajor(framework)}.0.*') or lower the framework.");

    public static Diagnostic UnsupportedSdk(SourceLocation at, string sdkText) => Error("TENV0038", at,
        $"'{sdkText}' allows .NET SDKs older than 5.0, which cannot build TorchSharp projects (net5.0 or newer).",
        "Write e.g. 'dotnet-sdk=10.0.*'.");

    // ---- Production policy (TENV0050–TENV0052) ----

    public static Diagnostic NotPinned(SourceLocation at, string text, SuggestedPin pin) => Error("TENV0050", at,
        $"policy: production requires every dependency pinned exactly, but '{text}' allows more than one version.",
        $"Write '{pin.Text}'{pin.Note}.");

    public static Diagnostic MissingInProduction(SourceLocation at, string name, string variant, SuggestedPin pin) => Error("TENV0051", at,
        $"policy: production requires '{name}' pinned exactly, but the variant '{variant}' has no {name} dependency.",
        $"Add '- {pin.Text}' to dependencies:{pin.Note}.");

    public static Diagnostic ChannelNotHttps(SourceLocation at, string value) => Error("TENV0052", at,
        $"policy: production allows only HTTPS sources and local folders, but '{value}' is plain HTTP.",
        "Use the https:// address of the feed (or a local folder mirror).");

    private static Diagnostic Error(string code, SourceLocation at, string message, string fix) =>
        new(code, DiagnosticSeverity.Error, message, at, fix);

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
