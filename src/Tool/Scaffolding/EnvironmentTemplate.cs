using System.Text;
using TorchEnv.Core.Naming;

namespace TorchEnv.Tool.Scaffolding;

/// <summary>Which libtorch build a new spec asks for.</summary>
internal enum InitDevice
{
    /// <summary>libtorch-cpu: runs everywhere, the default.</summary>
    Cpu,

    /// <summary>libtorch-cuda: NVIDIA GPUs on linux-x64 and win-x64.</summary>
    Cuda,
}

/// <summary>
/// The commented <c>environment.yml</c> that <c>torchenv init</c> writes: conda's shape, today's stack (TorchSharp
/// 0.107 ↔ libtorch 2.10.0 ↔ CUDA 12.8 ↔ cuDNN 9), and a comment on every line saying what it means.
/// </summary>
internal static class EnvironmentTemplate
{
    /// <summary>The framework part of the <c>&lt;project&gt;_&lt;framework&gt;_&lt;device&gt;</c> naming convention.</summary>
    public const string Framework = EnvironmentNaming.DefaultFramework;

    /// <summary>The platforms a new spec locks for: every platform with a build of the device.</summary>
    public static IReadOnlyList<string> PlatformsFor(InitDevice device) => device == InitDevice.Cuda
        ? ["linux-x64", "win-x64"]
        : ["linux-x64", "win-x64", "osx-arm64"];

    /// <summary>
    /// The conventional name for a project folder: <c>&lt;folder&gt;_torchsharp_&lt;device&gt;</c>, lower case, with anything
    /// but letters, digits, <c>-</c> and <c>.</c> turned into <c>_</c> (Core's <see cref="EnvironmentNaming.Conventional"/>).
    /// </summary>
    public static string DefaultName(string projectFolderName, InitDevice device) =>
        EnvironmentNaming.Conventional(projectFolderName, DeviceName(device), Framework);

    /// <summary>The spec text.</summary>
    public static string Render(string name, InitDevice device, IReadOnlyList<string> platforms)
    {
        var text = new StringBuilder();
        text.Append("# The TorchSharp environment of this project, read by `torchenv` and by TorchEnv.Sdk during `dotnet build`.\n");
        text.Append("# `torchenv lock` pins every package of it, with hashes, into environment.lock.yml: commit both files.\n");
        text.Append("# CI checks the lock with `torchenv lock --check` (exit code 2 when it is stale).\n");
        text.Append('\n');
        text.Append($"name: {name}  # <project>_<framework>_<device>\n");
        text.Append("channels: [nuget.org]  # NuGet sources: a name from NuGet.config, an https URL or a local folder\n");
        text.Append("policy: research  # research: version ranges allowed; production: torchsharp, cuda, cudnn and dotnet-sdk pinned exactly\n");
        text.Append($"platforms: [{string.Join(", ", platforms)}]  # runtime identifiers to lock for\n");
        text.Append("dependencies:\n");
        text.Append("  - dotnet-sdk=10.0.*  # the .NET SDK: locked, and checked by TorchEnv.Sdk at build (pin it for dotnet too in global.json)\n");
        text.Append("  - torchsharp=0.107.*  # TorchSharp; the libtorch build follows from the stack matrix (0.107 -> libtorch 2.10.0)\n");
        if (device == InitDevice.Cuda)
        {
            text.Append("  - cuda=12.8  # CUDA build of libtorch (needs an NVIDIA driver >= 525.60.13 on Linux); `cpu` for the CPU build\n");
            text.Append("  - cudnn=9  # the cuDNN major bundled in the CUDA packages\n");
        }
        else
        {
            text.Append("  - cpu  # CPU build of libtorch; for NVIDIA GPUs use `cuda=12.8` and `cudnn=9` instead\n");
        }

        text.Append("  # - torchvision=0.107.0  # TorchVision (datasets, models, transforms)\n");
        text.Append("  # - nuget:  # any other NuGet package, locked the same way\n");
        text.Append("  #     - Spectre.Console=0.57.2\n");
        return text.ToString();
    }

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public static string DeviceName(InitDevice device) => device == InitDevice.Cuda ? "cuda" : "cpu";
}
