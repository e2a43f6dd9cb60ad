using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;

namespace TorchEnv.Training.Amp;

/// <summary>
/// Finds the handle of the <c>libtorch_cpu</c> that TorchSharp already loaded, the way TorchSharp loaded it, so that
/// exports are looked up in exactly that binary (the locked one), never in another copy on the library path.
/// </summary>
internal static class LibTorchLibrary
{
    private const string LibraryName = "torch_cpu";

    /// <summary>Loads TorchSharp's native backend if needed and returns the handle of its libtorch_cpu.</summary>
    public static (IntPtr Handle, string Description) Find()
    {
        // TorchSharp loads torch_cpu by name relative to its own assembly (deps.json native assets) when the type
        // initialiser of `torch` runs; touching a device makes sure that happened.
        torch.InitializeDeviceType(DeviceType.CPU);

        if (NativeLibrary.TryLoad(LibraryName, typeof(torch).Assembly, null, out var handle))
        {
            return (handle, LoadedPath() ?? LibraryName);
        }

        // TorchSharp's fallback loads from a consolidated folder by full path; the runtime's probing does not see
        // that, the process's module list does. dlopen of an already loaded file returns the same handle.
        var path = LoadedPath();
        if (path is not null && NativeLibrary.TryLoad(path, out handle))
        {
            return (handle, path);
        }

        throw Diagnostics.TrainingMessages.LibTorchNotLoaded(
            path is null ? "no libtorch_cpu in the process's module list" : $"'{path}' could not be opened");
    }

    private static string? LoadedPath()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            foreach (ProcessModule module in process.Modules)
            {
                var name = Path.GetFileName(module.FileName);
                if (name.StartsWith("libtorch_cpu.", StringComparison.Ordinal)
                    || name.Equals("torch_cpu.dll", StringComparison.OrdinalIgnoreCase))
                {
                    return module.FileName;
                }
            }
        }
        catch (InvalidOperationException)
        {
            // The module list is not available on every platform; the caller reports what it found.
        }

        return null;
    }
}
