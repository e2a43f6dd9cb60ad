using TorchEnv.Core.Native;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Native;

/// <summary>
/// Shared, once per test run: the real TorchSharp / libtorch packages (restored if missing), the shim built with g++
/// from the source TorchEnv ships, a tiny C program that dlopens a library and calls an export, and two folders that
/// mirror a build output: one with the original libLibTorchSharp.so, one with the patched copy and the shim, each next
/// to (symlinks to) the libtorch natives.
/// </summary>
public sealed class RealNativeFixture : IDisposable
{
    private const string LoaderSource = """
        #include <dlfcn.h>
        #include <stdio.h>

        /* usage: loader LIBRARY SYMBOL -- dlopen LIBRARY, call int SYMBOL(void), print SYMBOL=value */
        int main(int argc, char **argv)
        {
            if (argc != 3) { fprintf(stderr, "usage: loader LIBRARY SYMBOL\n"); return 64; }
            void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
            if (!library) { printf("dlopen failed: %s\n", dlerror()); return 2; }
            int (*function)(void) = (int (*)(void))dlsym(library, argv[2]);
            if (!function) { printf("dlsym failed: %s\n", dlerror()); return 3; }
            printf("%s=%d\n", argv[2], function());
            return 0;
        }
        """;

    private readonly TempDirectory _temp = new("torchenv-real-native");

    public RealNativeFixture()
    {
        Packages = RealStackPackages.Get();
        var shimOutput = ProcessRunner.RunChecked(
            "sh", [Path.Combine(RepositoryRoot.Get(), "src", "Sdk", "native", "build-shim.sh"), _temp.Combine("shim")], TimeSpan.FromMinutes(2));
        Shim = shimOutput.StandardOutput.Trim();

        var loaderSource = _temp.WriteFile("loader.c", LoaderSource);
        Loader = _temp.Combine("loader");
        ProcessRunner.RunChecked("gcc", ["-O1", "-o", Loader, loaderSource, "-ldl"], TimeSpan.FromMinutes(2));

        OriginalDirectory = LayOut("original");
        File.Copy(Packages.LibTorchSharp, Path.Combine(OriginalDirectory, "libLibTorchSharp.so"));

        PatchedDirectory = LayOut("patched");
        File.Copy(Shim, Path.Combine(PatchedDirectory, LibStdCxxCompatPatcher.DefaultShimFileName));
        PatchResult = LibStdCxxCompatPatcher.Patch(Packages.LibTorchSharp, Path.Combine(PatchedDirectory, "libLibTorchSharp.so"));
    }

    public RealStackPackages Packages { get; }

    /// <summary>The shim built from <c>src/Sdk/native/torchenv_stdcxx_compat.cpp</c>.</summary>
    public string Shim { get; }

    /// <summary>The dlopen test program.</summary>
    public string Loader { get; }

    public string OriginalDirectory { get; }

    public string PatchedDirectory { get; }

    public CompatPatchResult PatchResult { get; }

    public IEnumerable<NativeFile> LibTorchFiles =>
        Directory.GetFiles(Packages.LibTorchNativeDirectory).Order(StringComparer.Ordinal)
            .Select(f => new NativeFile("libtorch-cpu-linux-x64", "runtimes/linux-x64/native/" + Path.GetFileName(f), f));

    public NativeFile TorchSharpFile => new("TorchSharp", "runtimes/linux-x64/native/libLibTorchSharp.so", Packages.LibTorchSharp);

    /// <summary>dlopens <paramref name="library"/> in a child process and calls the int-returning export <paramref name="symbol"/>.</summary>
    public ProcessResult Load(string library, string symbol = "THSTorch_get_num_threads") =>
        ProcessRunner.Run(Loader, [library, symbol], TimeSpan.FromMinutes(2));

    public void Dispose() => _temp.Dispose();

    private string LayOut(string name)
    {
        var directory = _temp.Combine(name);
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(Packages.LibTorchNativeDirectory))
        {
            File.CreateSymbolicLink(Path.Combine(directory, Path.GetFileName(file)), file);
        }

        return directory;
    }
}

[CollectionDefinition(Name)]
public sealed class RealNativeCollection : ICollectionFixture<RealNativeFixture>
{
    public const string Name = "Real TorchSharp natives";
}
