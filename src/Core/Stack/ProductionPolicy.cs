using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Versioning;

namespace TorchEnv.Core.Stack;

/// <summary>
/// <c>policy: production</c>: every dependency written in the spec is pinned to one version, every variant pins
/// torchsharp and dotnet-sdk, and no channel is plain HTTP. Source names are checked by the resolver once it has
/// mapped them onto NuGet.config's URLs. It belongs to the stack layer because its fixes name versions from the stack
/// matrix; <see cref="StackPlanner"/> applies it before planning, so every spec that is used is checked.
/// </summary>
internal static class ProductionPolicy
{
    /// <summary>Throws every violation at once (each names its line and the pin to write); does nothing under research.</summary>
    public static void ThrowIfViolated(EnvironmentSpec spec)
    {
        if (spec.Policy != EnvironmentPolicy.Production)
        {
            return;
        }

        var diagnostics = new DiagnosticBag();
        Check(spec.Channels, spec.WrittenDependencies, spec.Variants, diagnostics);
        diagnostics.ThrowIfErrors();
    }

    private static void Check(
        IReadOnlyList<ChannelSpec> channels,
        IReadOnlyList<DependencySpec> written,
        IReadOnlyList<VariantSpec> variants,
        DiagnosticBag diagnostics)
    {
        foreach (var channel in channels)
        {
            if (channel.Kind == ChannelKind.Url && ChannelClassifier.Scheme(channel.Value) == "http")
            {
                diagnostics.Add(SpecMessages.ChannelNotHttps(channel.Location, channel.Value));
            }
        }

        var hadErrors = diagnostics.HasErrors;
        foreach (var dependency in written)
        {
            if (dependency.Kind != DependencyKind.Cpu && !VersionRanges.IsExact(dependency.Range))
            {
                var pin = PinExample(dependency);
                diagnostics.Add(SpecMessages.NotPinned(dependency.Location, dependency.Text, pin.Text, pin.Note));
            }
        }

        // A dependency missing only because its line had an error is reported by that error, not again here.
        if (hadErrors)
        {
            return;
        }

        foreach (var variant in variants)
        {
            foreach (var kind in new[] { DependencyKind.TorchSharp, DependencyKind.DotnetSdk })
            {
                if (variant.Find(kind) is null)
                {
                    var name = KnownDependencies.NameOf(kind);
                    var pin = PinExample(kind, name, VersionRange.All);
                    diagnostics.Add(SpecMessages.MissingInProduction(variant.Location, name, variant.Name, pin.Text, pin.Note));
                }
            }
        }
    }

    /// <summary>The exact pin to suggest, e.g. <c>torchsharp==0.107.0</c> for <c>torchsharp=0.107.*</c>, with a note where a pin needs one.</summary>
    private static SuggestedPin PinExample(DependencySpec dependency) => PinExample(dependency.Kind, dependency.Name, dependency.Range);

    private static SuggestedPin PinExample(DependencyKind kind, string name, VersionRange range)
    {
        switch (kind)
        {
            case DependencyKind.TorchSharp or DependencyKind.TorchVision:
                var torchSharp = StackMatrix.Rows
                    .Select(r => VersionRanges.Intersect(range, r.TorchSharp))
                    .OfType<VersionRange>()
                    .Select(VersionRanges.HighestNamed)
                    .FirstOrDefault() ?? StackMatrix.Rows[0].TorchSharp.MaxVersion!;
                return new SuggestedPin($"{name}=={torchSharp.ToNormalizedString()}", "");
            case DependencyKind.Cuda:
                var cuda = StackMatrix.Rows.Select(r => r.Cuda).FirstOrDefault(c => range.Satisfies(NuGetVersion.Parse(c))) ?? StackMatrix.Rows[0].Cuda;
                return new SuggestedPin($"cuda={cuda}", " (two parts are exact for CUDA)");
            case DependencyKind.LibTorch:
                var libTorch = StackMatrix.Rows.Select(r => r.LibTorch).FirstOrDefault(range.Satisfies) ?? StackMatrix.Rows[0].LibTorch;
                return new SuggestedPin($"libtorch=={libTorch.ToNormalizedString()}", "");
            case DependencyKind.Cudnn:
                return new SuggestedPin("cudnn==9.10.2",
                    " with the exact cuDNN version, or remove the cudnn line: the stack matrix fixes the cuDNN major through torchsharp");
            case DependencyKind.DotnetSdk:
                var band = range.MinVersion is { } min ? $"{min.Major}.{min.Minor}.100" : "10.0.100";
                return new SuggestedPin($"dotnet-sdk=={band}", " with the version 'dotnet --version' prints on your build machine");
            default:
                var version = range.HasLowerBound && range.IsMinInclusive ? range.MinVersion!.ToNormalizedString() : "1.0.0";
                return new SuggestedPin($"{name}=={version}", "");
        }
    }
}

/// <summary>An exact pin to suggest in a fix, and a note when the pin needs explaining.</summary>
/// <param name="Text">E.g. <c>torchsharp==0.107.0</c>.</param>
/// <param name="Note">Starts with a space, or empty.</param>
internal sealed record SuggestedPin(string Text, string Note);
