using Microsoft.Build.Utilities;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Sdk.Tasks;
using TorchEnv.Sdk.Tests.Support;

namespace TorchEnv.Sdk.Tests.Tasks;

/// <summary>After restore: the restored and installed packages must be the locked ones.</summary>
public sealed class VerifyLockedPackagesTests : IDisposable
{
    private readonly TaskTestFolder _folder = new();
    private readonly MockBuildEngine _engine = new();
    private readonly FakeCore _core = new();
    private readonly string _assets;

    public VerifyLockedPackagesTests()
    {
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:x")));
        _assets = _folder.WriteFile("app/obj/project.assets.json", "{}");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void CleanRestorePassesAndWritesTheStamp()
    {
        Assert.True(Run(), _engine.Log);

        Assert.True(File.Exists(_folder.Obj("verified")));
        Assert.Equal(("/packages", _assets), Assert.Single(_core.Checks));
    }

    [Fact]
    public void DriftFromCoreIsTenv0410AtTheLockLine()
    {
        _core.Drift =
        [
            new Diagnostic(LockMessages.VerifyHashDiffersDescriptor, "TorchSharp 0.107.0 has SHA-512 abc in the packages folder, the lock says def.",
                new SourceLocation(_folder.LockFile, 45, 9), "delete the package folder and restore.", DiagnosticSeverity.Error),
        ];

        Assert.False(Run());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("TENV0410", error.Code);
        Assert.Equal((_folder.LockFile, 45, 9), (error.File, error.LineNumber, error.ColumnNumber));
        Assert.Contains("(TENV0252)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Fix: delete the package folder", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Obj("verified")));
    }

    [Fact]
    public void AnExtraRestoredPackageIsASuppressibleWarningUnderItsOwnCodeAndTheBuildGoesOn()
    {
        _core.Drift =
        [
            new Diagnostic(LockMessages.VerifyExtraRestoredDescriptor, "cpu/linux-x64: the project restored xunit 2.9.3, which the lock does not have.",
                null, "Add the package to the spec's `nuget:` list and lock again, or remove the PackageReference. Suppress with NoWarn TENV0257.", DiagnosticSeverity.Warning),
        ];

        Assert.True(Run(), _engine.Log);

        Assert.Empty(_engine.Errors);
        var warning = Assert.Single(_engine.Warnings);
        Assert.Equal("TENV0257", warning.Code);
        Assert.Contains("xunit 2.9.3", warning.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(_folder.Obj("verified")));
    }

    [Fact]
    public void WithoutResolvedVariantThereIsNothingToCheck()
    {
        Assert.True(Run(variant: ""), _engine.Log);

        Assert.Empty(_core.Checks);
    }

    private bool Run(string variant = "cpu") => new VerifyLockedPackages
    {
        BuildEngine = _engine,
        Core = _core,
        LockFile = _folder.LockFile,
        Variant = variant,
        Platform = "linux-x64",
        ProjectAssetsFile = _assets,
        PackageFolders = [new TaskItem("/packages")],
        StampFile = _folder.Obj("verified"),
    }.Execute();
}
