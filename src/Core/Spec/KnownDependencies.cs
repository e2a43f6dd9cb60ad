namespace TorchEnv.Core.Spec;

/// <summary>
/// The names allowed at the top of <c>dependencies:</c> (everything else goes into the <c>nuget:</c> sub-list), and the
/// NuGet ids the stack matrix chooses itself and which therefore may not appear in <c>nuget:</c>.
/// </summary>
internal static class KnownDependencies
{
    /// <summary>The key of the sub-list for other NuGet packages.</summary>
    public const string NuGetListKey = "nuget";

    private static readonly Dictionary<string, DependencyKind> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dotnet-sdk"] = DependencyKind.DotnetSdk,
        ["torchsharp"] = DependencyKind.TorchSharp,
        ["libtorch"] = DependencyKind.LibTorch,
        ["cuda"] = DependencyKind.Cuda,
        ["cpu"] = DependencyKind.Cpu,
        ["cudnn"] = DependencyKind.Cudnn,
        ["torchvision"] = DependencyKind.TorchVision,
    };

    /// <summary>Known names in the order the docs list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ByName.Keys];

    /// <summary>The kind of a known name (case-insensitive), or null.</summary>
    public static DependencyKind? Find(string name) => ByName.TryGetValue(name, out var kind) ? kind : null;

    /// <summary>The canonical (lower-case) name of a kind.</summary>
    public static string NameOf(DependencyKind kind) => ByName.First(p => p.Value == kind).Key;

    /// <summary>
    /// How many version parts make a version exact: CUDA versions have two (<c>cuda=12.8</c> is exact, as CUDA
    /// packages are named), everything else three (NuGet packages here use three-part versions).
    /// </summary>
    public static int FullParts(DependencyKind kind) => kind == DependencyKind.Cuda ? 2 : 3;

    /// <summary>
    /// True for ids the stack matrix picks (TorchSharp, its CUDA bundles, TorchVision, libtorch-*): writing them under
    /// <c>nuget:</c> would bypass the matrix, so the spec asks for <c>torchsharp=</c> and friends instead.
    /// </summary>
    public static bool IsStackPackage(string id) =>
        id.Equals("TorchSharp", StringComparison.OrdinalIgnoreCase)
        || id.StartsWith("TorchSharp-", StringComparison.OrdinalIgnoreCase)
        || id.Equals("TorchVision", StringComparison.OrdinalIgnoreCase)
        || id.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase)
        || id.Equals("libtorch", StringComparison.OrdinalIgnoreCase);
}
