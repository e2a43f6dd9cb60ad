using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Packages;

/// <summary>
/// The diagnostics of mapping the spec's channels onto package sources (TENV0200–TENV0202, TENV0214, in resolution's
/// range: they are found when resolution starts). Each code is described in docs/diagnostics.md.
/// </summary>
internal static class PackageMessages
{
    public static readonly DiagnosticDescriptor UnknownChannelDescriptor = new(
        "TENV0200", DiagnosticSeverity.Error, ExitClass.BadInput,
        "Channel '{0}' is not a source in NuGet.config, an http(s) URL or an existing folder.{1}{2}",
        "Use the name of a source from NuGet.config (`dotnet nuget list source`), a full https:// URL, or a folder path relative to environment.yml.");

    public static readonly DiagnosticDescriptor MissingFolderDescriptor = new(
        "TENV0201", DiagnosticSeverity.Error, ExitClass.SourceUnavailable,
        "Channel '{0}' is a local folder feed, but '{1}' does not exist.",
        "Create the folder (and put the .nupkg files in it), or correct the path; it is relative to environment.yml.");

    public static readonly DiagnosticDescriptor NoSourcesDescriptor = new(
        "TENV0202", DiagnosticSeverity.Error, ExitClass.BadInput,
        "The spec has no channels and NuGet.config enables no package source, so there is nowhere to resolve packages from.",
        "Add `channels: [nuget.org]` to environment.yml, or add a source with `dotnet nuget add source <url> --name <name>`.");

    public static readonly DiagnosticDescriptor DisabledSourceDescriptor = new(
        "TENV0214", DiagnosticSeverity.Error, ExitClass.BadInput,
        "Channel '{0}' names the NuGet.config source '{1}', which is disabled there.",
        "Enable it (`dotnet nuget enable source {1}`) or remove it from channels.");

    public static Diagnostic UnknownChannel(ChannelSpec channel, IReadOnlyList<string> configured) => UnknownChannelDescriptor.Create(
        channel.Location,
        channel.Value,
        NameSuggestions.DidYouMean(channel.Value, configured),
        configured.Count == 0 ? " NuGet.config defines no sources." : $" Configured sources: {string.Join(", ", configured)}.");

    public static Diagnostic MissingFolder(ChannelSpec channel, string fullPath) => MissingFolderDescriptor.Create(channel.Location, channel.Value, fullPath);

    public static Diagnostic NoSources(string specPath) => NoSourcesDescriptor.Create(new SourceLocation(specPath, 1, 1));

    public static Diagnostic DisabledSource(ChannelSpec channel, string name) => DisabledSourceDescriptor.Create(channel.Location, channel.Value, name);
}
