using Microsoft.Build.Utilities;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Native;
using TorchEnv.Sdk.Tasks;
using TorchEnv.Sdk.Tasks.CoreServices;
using TorchEnv.Sdk.Tests.Support;

namespace TorchEnv.Sdk.Tests.Tasks;

/// <summary>The host ABI check at build: nothing, the patched copy (only the ios_base_library_init gap), or Core's clear errors.</summary>
public sealed class CheckNativeCompatibilityTests : IDisposable
{
    private readonly TaskTestFolder _folder = new();
    private readonly MockBuildEngine _engine = new();
    private readonly FakeCore _core = new();
    private readonly string _shim;
    private readonly string _packageFile;
    private readonly string _libtorch;

    public CheckNativeCompatibilityTests()
    {
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:x", line: 7)));
        _shim = _folder.WriteFile("sdk/native/linux-x64/libtorchenv_stdcxx_compat.so", "shim");
        _packageFile = _folder.WriteFile("packages/torchsharp/0.107.0/runtimes/linux-x64/native/libLibTorchSharp.so", "original");
        _libtorch = _folder.WriteFile("packages/libtorch-cpu-linux-x64/2.10.0/runtimes/linux-x64/native/libtorch_cpu.so", "libtorch");
    }

    private NativeHostCheck IosBaseOnly => new(NativeHostStatus.Patchable, [], [_packageFile]);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ChecksThePlatformsNativeFilesAsPackageFiles()
    {
        Assert.True(Run(RidLess()), _engine.Log);

        var (files, compat) = Assert.Single(_core.HostChecks);
        Assert.True(compat);
        Assert.Equal(
            ["TorchSharp:runtimes/linux-x64/native/libLibTorchSharp.so", "libtorch-cpu-linux-x64:runtimes/linux-x64/native/libtorch_cpu.so"],
            files.Select(f => $"{f.Package}:{f.RelativePath}").Order(StringComparer.Ordinal));
        Assert.Empty(ItemsFileReader.Read(_folder.Obj("native.proj")));
        Assert.Empty(_core.Patches);
    }

    [Fact]
    public void ABuildForAnotherPlatformThanThisHostsChecksNothingAndReplacesNothing()
    {
        _core.Host = IosBaseOnly;
        var other = HostPlatform.IsCurrent("win-x64") ? "linux-x64" : "win-x64";

        Assert.True(Run(t => { RidLess()(t); t.Platform = other; }), _engine.Log);

        Assert.Empty(_core.HostChecks);
        Assert.Empty(_core.Patches);
        Assert.Empty(ItemsFileReader.Read(_folder.Obj("native.proj")));
    }

    [Fact]
    public void OnlyIosBaseGapInAutoPatchesACopyAndPutsItWhereThePackageFileWouldGo()
    {
        _core.Host = IosBaseOnly;

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
        var shim = Assert.Single(items, i => i["TorchEnvItemKind"] == "ExtraCopy");
        Assert.Equal(_shim, shim.Include);
        Assert.Equal("runtimes/linux-x64/native/", shim["DestinationSubDirectory"]);
        Assert.Equal("TENV0312", Assert.Single(_engine.Warnings).Code);
    }

    [Fact]
    public void ACudaVariantAlsoPutsThePatchedCopyAndTheShimIntoTorchSharpsFallbackFolder()
    {
        _core.Locks.Clear();
        _core.Locks.Enqueue(Models.Lock(Models.Entry(_folder.LockFile, "cuda", "linux-x64", "sha256:x", line: 7, device: "cuda")));
        _core.Host = IosBaseOnly;

        Assert.True(Run(t => { RidLess()(t); t.Variant = "cuda"; }), _engine.Log);

        var patched = Assert.Single(_core.Patches).Destination;
        var copies = ItemsFileReader.Read(_folder.Obj("native.proj")).Where(i => i["TorchEnvItemKind"] == "ExtraCopy")
            .Select(i => $"{i["TorchEnvRelativePath"]} <- {i.Include}").Order(StringComparer.Ordinal);
        Assert.Equal(
        [
            $"cuda-12.8/libLibTorchSharp.so <- {patched}",
            $"cuda-12.8/libtorchenv_stdcxx_compat.so <- {_shim}",
            $"runtimes/linux-x64/native/libtorchenv_stdcxx_compat.so <- {_shim}",
        ], copies);
    }

    [Fact]
    public void RidSpecificBuildReplacesTheNativeItemAtTheOutputRoot()
    {
        _core.Host = IosBaseOnly;
        var native = new TaskItem(_packageFile, new Dictionary<string, string> { ["DestinationSubPath"] = "libLibTorchSharp.so", ["NuGetPackageId"] = "TorchSharp" });

        Assert.True(Run(t => t.NativeAssets = [native]), _engine.Log);

        var items = ItemsFileReader.Read(_folder.Obj("native.proj"));
        Assert.Equal("NativeCopyLocalItems", Assert.Single(items, i => i["TorchEnvItemKind"] == "Replacement")["TorchEnvItemGroup"]);
        var shim = Assert.Single(items, i => i["TorchEnvItemKind"] == "ExtraCopy");
        Assert.Equal("", shim["DestinationSubDirectory"]);
        Assert.Equal("libtorchenv_stdcxx_compat.so", shim["TorchEnvRelativePath"]);
    }

    [Fact]
    public void CoresErrorsStopTheBuildWithoutPatching()
    {
        _core.Host = new NativeHostCheck(NativeHostStatus.CannotLoad,
            [new Diagnostic(NativeMessages.HostVersionMissingDescriptor, "libtorch_cpu.so needs GLIBC_2.38", null, "newer base image", DiagnosticSeverity.Error)], []);

        Assert.False(Run(RidLess()));

        Assert.Equal("TENV0310", Assert.Single(_engine.Errors).Code);
        Assert.Empty(_core.Patches);
        Assert.False(File.Exists(_folder.Obj("native.proj")));
    }

    [Fact]
    public void CompatOffAsksCoreForTheOffDiagnosticsAndNeverPatches()
    {
        _core.Host = new NativeHostCheck(NativeHostStatus.Patchable,
            [new Diagnostic(NativeMessages.CompatibilityDisabledDescriptor, "needs GLIBCXX_3.4.32; TorchEnvNativeCompat is off", null, null, DiagnosticSeverity.Error)], [_packageFile]);

        Assert.False(Run(t => { RidLess()(t); t.Mode = "off"; }));

        Assert.False(Assert.Single(_core.HostChecks).CompatibilityEnabled);
        Assert.Equal("TENV0311", Assert.Single(_engine.Errors).Code);
        Assert.Empty(_core.Patches);
    }

    [Fact]
    public void AFileToPatchThatIsNotCopiedIsTenv0431()
    {
        _core.Host = IosBaseOnly;

        Assert.False(Run(t => t.RuntimeTargetAssets = []));

        Assert.Equal("TENV0431", Assert.Single(_engine.Errors).Code);
    }

    [Fact]
    public void MissingShimIsTenv0430()
    {
        _core.Host = IosBaseOnly;
        File.Delete(_shim);

        Assert.False(Run(RidLess()));

        Assert.Equal("TENV0430", Assert.Single(_engine.Errors).Code);
    }

    [Fact]
    public void UnknownModeIsTenv0432()
    {
        Assert.False(Run(t => t.Mode = "yes"));

        Assert.Equal("TENV0432", Assert.Single(_engine.Errors).Code);
    }

    private Action<CheckNativeCompatibility> RidLess() => t => t.RuntimeTargetAssets =
    [
        new TaskItem(_folder.WriteFile("packages/torchsharp/0.107.0/runtimes/win-x64/native/LibTorchSharp.dll", "win"),
            new Dictionary<string, string> { ["RuntimeIdentifier"] = "win-x64", ["DestinationSubPath"] = "runtimes/win-x64/native/LibTorchSharp.dll" }),
        new TaskItem(_packageFile, new Dictionary<string, string>
        {
            ["RuntimeIdentifier"] = "linux-x64",
            ["AssetType"] = "native",
            ["DestinationSubPath"] = "runtimes/linux-x64/native/libLibTorchSharp.so",
            ["PathInPackage"] = "runtimes/linux-x64/native/libLibTorchSharp.so",
            ["NuGetPackageId"] = "TorchSharp",
            ["NuGetPackageVersion"] = "0.107.0",
        }),
        new TaskItem(_libtorch, new Dictionary<string, string>
        {
            ["RuntimeIdentifier"] = "linux-x64",
            ["DestinationSubPath"] = "runtimes/linux-x64/native/libtorch_cpu.so",
            ["NuGetPackageId"] = "libtorch-cpu-linux-x64",
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
