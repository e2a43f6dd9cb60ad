using TorchEnv.Core.Lock;

namespace TorchEnv.Sdk.Tasks.Generation;

/// <summary>The values baked into the generated <c>TorchEnvironment</c> class.</summary>
internal sealed record TorchEnvironmentModel
{
    /// <summary>Namespace of the generated types; empty for the global namespace.</summary>
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    public required string Variant { get; init; }

    public required string Platform { get; init; }

    public required string TorchSharpVersion { get; init; }

    public required string LibTorchVersion { get; init; }

    public string? LibTorchPackage { get; init; }

    public required string Device { get; init; }

    public string? CudaVersion { get; init; }

    public string? CudnnVersion { get; init; }

    public string? DotnetSdkVersion { get; init; }

    public required string LockHash { get; init; }

    public required string SpecHash { get; init; }

    /// <summary>The model of one lock entry.</summary>
    public static TorchEnvironmentModel From(EnvironmentLock environmentLock, LockedEnvironment entry, string ns, string lockHash) => new()
    {
        Namespace = ns,
        Name = environmentLock.Name,
        Variant = entry.Variant,
        Platform = entry.Platform,
        TorchSharpVersion = entry.Stack.TorchSharp,
        LibTorchVersion = entry.Stack.LibTorch,
        LibTorchPackage = LibTorchPackageOf(entry),
        Device = entry.Stack.Device,
        CudaVersion = entry.Stack.Cuda,
        CudnnVersion = entry.Stack.Cudnn,
        DotnetSdkVersion = entry.Stack.DotnetSdk,
        LockHash = lockHash,
        SpecHash = entry.SpecHash,
    };

    /// <summary>
    /// The platform package of libtorch (<c>libtorch-cpu-linux-x64</c>, <c>libtorch-cuda-12.8-linux-x64</c>), not the
    /// meta package (<c>libtorch-cpu</c>) nor a CUDA part package (<c>…-part3-primary</c>).
    /// </summary>
    private static string? LibTorchPackageOf(LockedEnvironment entry) =>
        entry.Packages.Select(p => p.Id)
            .Where(id => id.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault(id => id.EndsWith("-" + entry.Platform, StringComparison.OrdinalIgnoreCase));
}
