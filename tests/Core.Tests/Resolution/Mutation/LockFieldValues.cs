using NuGet.Frameworks;
using NuGet.Versioning;
using TorchEnv.Core.Lock;

namespace TorchEnv.Core.Tests.Resolution.Mutation;

/// <summary>One value of a lock: the field as docs/lock-format.md names it, where it is, and the value.</summary>
/// <param name="Field">E.g. <c>packages.sha512</c>, <c>host.glibcxx</c>, <c>name</c>.</param>
/// <param name="Where">Entry and item indices, e.g. <c>env0.pkg3</c>.</param>
/// <param name="Value">The value as the checks compare it.</param>
internal sealed record LockFieldValue(string Field, string Where, string Value);

/// <summary>
/// Every value of a lock as it was read, so that two locks can be compared field by field: what a mutant changed is
/// the fields whose values differ. Values the checks compare loosely by design — names docs/lock-format.md says are
/// compared case-insensitively, frameworks compared as NuGet frameworks, package versions as NuGet versions (2.10 is
/// 2.10.0) — are compared the same way here.
/// </summary>
internal static class LockFieldValues
{
    public static IReadOnlyList<LockFieldValue> Of(EnvironmentLock lockFile, IReadOnlySet<string> caseInsensitive)
    {
        var values = new List<LockFieldValue>();
        void Add(string field, string where, string? value) =>
            values.Add(new LockFieldValue(field, where, caseInsensitive.Contains(field) ? (value ?? "(none)").ToLowerInvariant() : value ?? "(none)"));

        Add("version", "", lockFile.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("tool", "", lockFile.ToolVersion);
        Add("name", "", lockFile.Name);
        for (var i = 0; i < lockFile.Environments.Count; i++)
        {
            var e = lockFile.Environments[i];
            var at = $"env{i}";
            Add("variant", at, e.Variant);
            Add("platform", at, e.Platform);
            Add("spec-hash", at, e.SpecHash);
            Add("framework", at, NuGetFramework.Parse(e.Framework).GetShortFolderName());
            Add("stack.torchsharp", at, e.Stack.TorchSharp);
            Add("stack.libtorch", at, e.Stack.LibTorch);
            Add("stack.torchvision", at, e.Stack.TorchVision);
            Add("stack.device", at, e.Stack.Device);
            Add("stack.cuda", at, e.Stack.Cuda);
            Add("stack.cudnn", at, e.Stack.Cudnn);
            // As doctor and TorchEnvVariant=auto use them: a lock without the field falls back to the matrix row.
            Add("stack.cuda-architectures", at, string.Join(' ', Core.Stack.StackMatrix.CudaArchitecturesOf(e.Stack.CudaArchitectures, e.Stack.TorchSharp)));
            Add("stack.dotnet-sdk", at, e.Stack.DotnetSdk);
            Add("host.glibc", at, e.Host.Glibc);
            Add("host.glibcxx", at, e.Host.Glibcxx);
            Add("host.cxxabi", at, e.Host.Cxxabi);
            Add("host.nvidia-driver", at, e.Host.NvidiaDriver);
            for (var k = 0; k < e.Host.Needs.Count; k++)
            {
                var n = e.Host.Needs[k];
                Add("host.needs", $"{at}.need{k}", $"{n.Version} {n.Library} {n.Package} {n.File}");
            }

            for (var k = 0; k < e.Roots.Count; k++)
            {
                Add("roots.id", $"{at}.root{k}", e.Roots[k].Id);
                Add("roots.range", $"{at}.root{k}", e.Roots[k].Range);
                Add("roots.reason", $"{at}.root{k}", e.Roots[k].Reason);
            }

            for (var k = 0; k < e.Pruned.Count; k++)
            {
                Add("pruned", $"{at}.pruned{k}", $"{e.Pruned[k].Id}: {e.Pruned[k].ProvidedVersion}");
            }

            for (var k = 0; k < e.Packages.Count; k++)
            {
                var p = e.Packages[k];
                var where = $"{at}.pkg{k}";
                Add("packages.id", where, p.Id);
                Add("packages.version", where, NuGetVersion.TryParse(p.Version, out var version) ? version.ToNormalizedString() : p.Version);
                Add("packages.source", where, p.Source);
                Add("packages.sha512", where, p.Sha512);
                Add("packages.dependencies", where, string.Join(", ", p.Dependencies.Select(d => $"{d.Id} {d.Range}")));
            }
        }

        return values;
    }

    /// <summary>The fields whose values differ between two locks (counting repeated values).</summary>
    public static IReadOnlySet<string> Changed(IReadOnlyList<LockFieldValue> before, IReadOnlyList<LockFieldValue> after)
    {
        var left = before.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        var right = after.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        return left.Keys.Union(right.Keys)
            .Where(v => left.GetValueOrDefault(v) != right.GetValueOrDefault(v))
            .Select(v => v.Field)
            .ToHashSet(StringComparer.Ordinal);
    }
}
