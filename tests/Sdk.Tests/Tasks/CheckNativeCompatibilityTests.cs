using Microsoft.Build.Utilities;
using TorchEnv.Sdk.Tasks;
using TorchEnv.Sdk.Tasks.CoreServices;
using TorchEnv.Sdk.Tests.Support;

namespace TorchEnv.Sdk.Tests.Tasks;

/// <summary>The host ABI check: nothing, the patched copy (only the ios_base_library_init gap), or a clear error.</summary>
public sealed class CheckNativeCompatibilityTests : IDisposable
{
    private static readonly NativeHostGap IosBaseOnly = new(["GLIBCXX_3.4.32"], ["TorchSharp/runtimes/linux-x64/native/libLibTorchSharp.so"], true);

    private readonly TaskTestFolder _folder = new();
    private readonly MockBuildEngine _engine = new();
    private readonly FakeCore _core = new();
    private readonly string _shim;
    private readonly string _packageFile;

    public CheckNativeCompatibilityTests()
    {
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:x", line: 7)));
        _shim = _folder.WriteFile("sdk/native/linux-x64/libtorchenv_stdcxx_compat.so", "shim");
        _packageFile = _folder.WriteFile("packages/torchsharp/0.107.0/runtimes/linux-x64/native/libLibTorchSharp.so", "original");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void NoGapReplacesNothing()
    {
        Assert.True(Run(RidLess()), _engine.Log);

        Assert.Empty(ItemsFileReader.Read(_folder.Obj("native.proj")));
        Assert.Empty(_core.Patches);
        Assert.Empty(_engine.Warnings);
    }

    [Fact]
    public void OnlyIosBaseGapInAutoPatchesACopyAndPutsItWhereThePackageFileWouldGo()
    {
        _core.Gap = IosBaseOnly;

        Assert.True(Run(RidLess()), _engine.Log);

        var patch = Assert.Single(_core.Patches);
        Assert.Equal(_packageFile, patch.Source);
        Assert.StartsWith(_folder.Obj("native"), patch.Destination, StringComparison.Ordinal);
        Assert.Equal("libtorchenv_stdcxx_compat.so", patch.Shim);
        Assert.Equal("original", File.ReadAllText(_packageFile));

        var items = ItemsFileReader.Read(_folder.Obj("native.proj"));
        var replacement = Assert.Single(items, i => i["TorchEnvItemKind"] == "Replacement");
        Assert.Equal(patch.Destination, replacement.Include);
        Assert.Equal(_packageFile, replacement["TorchEnvOriginalItemSpec"]);
        Assert.Equal("RuntimeTargetsCopyLocalItems", replacement["TorchEnvItemGroup"]);
        Assert.Equal("runtimes/linux-x64/native/libLibTorchSharp.so", replacement["TorchEnvRelativePath"]);
        Assert.Equal("TorchSharp", replacement["NuGetPackageId"]);
        var shim = Assert.Single(items, i => i["TorchEnvItemKind"] == "Shim");
        Assert.Equal(_shim, shim.Include);
        Assert.Equal("runtimes/linux-x64/native/", shim["DestinationSubDirectory"]);

        var warning = Assert.Single(_engine.Warnings);
        Assert.Equal("TENV0430", warning.Code);
        Assert.Contains("GLIBCXX_3.4.32", warning.Message, StringComparison.Ordinal);
        Assert.Contains("NoWarn", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RidSpecificBuildReplacesTheNativeItemAtTheOutputRoot()
    {
        _core.Gap = IosBaseOnly;
        var native = new TaskItem(_packageFile, new Dictionary<string, string> { ["DestinationSubPath"] = "libLibTorchSharp.so", ["NuGetPackageId"] = "TorchSharp" });

        Assert.True(Run(t => t.NativeAssets = [native]), _engine.Log);

        var items = ItemsFileReader.Read(_folder.Obj("native.proj"));
        Assert.Equal("NativeCopyLocalItems", Assert.Single(items, i => i["TorchEnvItemKind"] == "Replacement")["TorchEnvItemGroup"]);
        var shim = Assert.Single(items, i => i["TorchEnvItemKind"] == "Shim");
        Assert.Equal("", shim["DestinationSubDirectory"]);
        Assert.Equal("libtorchenv_stdcxx_compat.so", shim["TorchEnvRelativePath"]);
    }

    [Fact]
    public void CompatOffIsTenv0431NamingTheVersionAndBothFixes()
    {
        _core.Gap = IosBaseOnly;

        Assert.False(Run(t => { RidLess()(t); t.Mode = "off"; }));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("TENV0431", error.Code);
        Assert.Contains("GLIBCXX_3.4.32", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer base image", error.Message, StringComparison.Ordinal);
        Assert.Contains("another TorchSharp version", error.Message, StringComparison.Ordinal);
        Assert.Contains("TorchEnvNativeCompat=auto", error.Message, StringComparison.Ordinal);
        Assert.Equal((_folder.LockFile, 7), (error.File, error.LineNumber));
        Assert.Empty(_core.Patches);
        Assert.False(File.Exists(_folder.Obj("native.proj")));
    }

    [Fact]
    public void AnyOtherGapIsTenv0431WithoutPatching()
    {
        _core.Gap = new NativeHostGap(["GLIBC_2.38"], ["libtorch-cpu-linux-x64/runtimes/linux-x64/native/libtorch_cpu.so"], false);

        Assert.False(Run(RidLess()));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("TENV0431", error.Code);
        Assert.Contains("GLIBC_2.38", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TorchEnvNativeCompat=auto", error.Message, StringComparison.Ordinal);
        Assert.Empty(_core.Patches);
    }

    [Fact]
    public void MissingShimIsTenv0432()
    {
        _core.Gap = IosBaseOnly;
        File.Delete(_shim);

        Assert.False(Run(RidLess()));

        Assert.Equal("TENV0432", Assert.Single(_engine.Errors).Code);
    }

    [Fact]
    public void UnknownModeIsTenv0436()
    {
        Assert.False(Run(t => t.Mode = "yes"));

        Assert.Equal("TENV0436", Assert.Single(_engine.Errors).Code);
    }

    private Action<CheckNativeCompatibility> RidLess() => t => t.RuntimeTargetAssets =
    [
        new TaskItem(_folder.WriteFile("packages/torchsharp/0.107.0/runtimes/win-x64/native/LibTorchSharp.dll", "win"),
            new Dictionary<string, string> { ["RuntimeIdentifier"] = "win-x64", ["DestinationSubPath"] = "runtimes/win-x64/native/LibTorchSharp.dll" }),
        new TaskItem(_packageFile, new Dictionary<string, string>
        {
            ["RuntimeIdentifier"] = "linux-x64",
            ["DestinationSubPath"] = "runtimes/linux-x64/native/libLibTorchSharp.so",
            ["NuGetPackageId"] = "TorchSharp",
            ["NuGetPackageVersion"] = "0.107.0",
        }),
    ];

    private bool Run(Action<CheckNativeCompatibility> configure)
    {
        var task = new CheckNativeCompatibility
        {
            BuildEngine = _engine,
            Core = _core,
            LockFile = _folder.LockFile,
            Variant = "cpu",
            Platform = "linux-x64",
            ProjectFile = _folder.ProjectFile,
            ShimFile = _shim,
            OutputDirectory = _folder.Obj("native"),
            ItemsFile = _folder.Obj("native.proj"),
        };
        configure(task);
        return task.Execute();
    }
}
