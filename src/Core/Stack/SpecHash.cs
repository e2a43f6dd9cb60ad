using System.Security.Cryptography;
using System.Text.Json;
using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Stack;

/// <summary>
/// The hash of a spec as it applies to one variant × platform (conda-lock's <c>content_hash</c>): SHA-256 of a
/// canonical JSON document of the channels (in order), the policy, the framework, the platform, the device and the
/// variant's effective dependencies (sorted, ids lower-cased, ranges normalised). The spec's name, comments, key order, formatting, other
/// variants and other platforms do not enter it, so only a change that can change this lock entry makes it stale.
/// </summary>
internal static class SpecHash
{
    /// <summary>Bumped when the canonical form changes, so old hashes never collide with new ones.</summary>
    private const int CanonicalFormVersion = 1;

    /// <summary><c>sha256:</c> and the lower-case hex digest.</summary>
    public static string Compute(EnvironmentSpec spec, VariantSpec variant, string platform) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Canonical(spec, variant, platform)));

    /// <summary>The canonical document, exposed for tests and for <c>torchenv</c> diagnostics.</summary>
    internal static byte[] Canonical(EnvironmentSpec spec, VariantSpec variant, string platform)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("form", CanonicalFormVersion);
            json.WriteStartArray("channels");
            foreach (var channel in spec.Channels)
            {
                json.WriteStringValue(channel.Value);
            }

            json.WriteEndArray();
            json.WriteString("policy", spec.Policy == EnvironmentPolicy.Production ? "production" : "research");
            json.WriteString("framework", variant.Framework.GetShortFolderName());
            json.WriteString("platform", platform);
            json.WriteString("device", variant.IsCuda ? "cuda" : "cpu");
            json.WriteStartArray("dependencies");

            // "- cpu" only restates the default device, which "device" already records.
            foreach (var (kind, name, range) in variant.Dependencies
                         .Where(d => d.Kind != DependencyKind.Cpu)
                         .Select(d => (Kind: KindName(d.Kind), Name: d.Name.ToLowerInvariant(), Range: d.Range.ToNormalizedString()))
                         .OrderBy(d => d.Kind, StringComparer.Ordinal)
                         .ThenBy(d => d.Name, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("kind", kind);
                json.WriteString("name", name);
                json.WriteString("range", range);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    // Fixed names rather than enum ToString(), so renaming an enum member cannot change every hash.
    private static string KindName(DependencyKind kind) => kind switch
    {
        DependencyKind.DotnetSdk => "dotnet-sdk",
        DependencyKind.TorchSharp => "torchsharp",
        DependencyKind.LibTorch => "libtorch",
        DependencyKind.Cuda => "cuda",
        DependencyKind.Cpu => "cpu",
        DependencyKind.Cudnn => "cudnn",
        DependencyKind.TorchVision => "torchvision",
        _ => "nuget",
    };
}
