using System.Text.RegularExpressions;
using TorchEnv.Core.Native;

namespace TorchEnv.Core.Gpu;

/// <summary>The NVIDIA driver and the GPUs of a Linux host, as the kernel module and the loader show them; no program is run.</summary>
/// <param name="root">The file-system root to read <c>/proc</c> and <c>/dev</c> under (<c>/</c>; another folder in tests).</param>
/// <param name="host">The host's libraries, to find <c>libcuda.so.1</c> where the kernel module says nothing (containers).</param>
public sealed partial class NvidiaHost(string root, HostAbi? host)
{
    [GeneratedRegex(@"Kernel Module(?:\s+for\s+\S+)?\s+(?<version>\d+\.\d+(?:\.\d+)*)", RegexOptions.IgnoreCase)]
    private static partial Regex KernelModuleVersion();

    [GeneratedRegex(@"^libcuda\.so\.(?<version>\d+\.\d+(?:\.\d+)*)$")]
    private static partial Regex LibcudaFileVersion();

    [GeneratedRegex(@"^nvidia\d+$")]
    private static partial Regex DeviceNode();

    [GeneratedRegex(@"^Model:\s*(?<model>.+)$", RegexOptions.Multiline)]
    private static partial Regex GpuModel();

    /// <summary>The NVIDIA state of this machine.</summary>
    public static NvidiaHost Current(HostAbi host) => new("/", host);

    /// <summary>
    /// The driver version and where it was read: the kernel module's <c>/proc/driver/nvidia/version</c>, else the file
    /// <c>libcuda.so.1</c> resolves to (<c>libcuda.so.550.54.14</c>). (null, null) when neither exists; (null, path) when
    /// libcuda exists but shows no version.
    /// </summary>
    public (string? Version, string? Source) Driver()
    {
        var proc = Path.Combine(root, "proc", "driver", "nvidia", "version");
        if (File.Exists(proc) && KernelModuleVersion().Match(File.ReadAllText(proc)) is { Success: true } module)
        {
            return (module.Groups["version"].Value, "/proc/driver/nvidia/version");
        }

        if (host?.FindLibrary("libcuda.so.1") is { } libcuda)
        {
            var target = new FileInfo(libcuda.Path).ResolveLinkTarget(returnFinalTarget: true)?.Name ?? Path.GetFileName(libcuda.Path);
            return (LibcudaFileVersion().Match(target) is { Success: true } m ? m.Groups["version"].Value : null, libcuda.Path);
        }

        return (null, null);
    }

    /// <summary>The GPUs: models from <c>/proc/driver/nvidia/gpus/*/information</c>, else the <c>/dev/nvidiaN</c> device nodes.</summary>
    public IReadOnlyList<string> Gpus()
    {
        var gpus = Path.Combine(root, "proc", "driver", "nvidia", "gpus");
        if (Directory.Exists(gpus))
        {
            var models = Directory.EnumerateDirectories(gpus).Order(StringComparer.Ordinal).Select(d =>
            {
                var information = Path.Combine(d, "information");
                var model = File.Exists(information) ? GpuModel().Match(File.ReadAllText(information)) : Match.Empty;
                return model.Success ? $"{model.Groups["model"].Value.Trim()} ({Path.GetFileName(d)})" : Path.GetFileName(d);
            }).ToList();
            if (models.Count > 0)
            {
                return models;
            }
        }

        var dev = Path.Combine(root, "dev");
        return Directory.Exists(dev)
            ? Directory.EnumerateFileSystemEntries(dev).Select(Path.GetFileName).Where(n => DeviceNode().IsMatch(n!)).Order(StringComparer.Ordinal).Select(n => "/dev/" + n).ToList()!
            : [];
    }
}
