using TorchEnv.Core.Diagnostics;
using TorchEnv.Sdk.Tasks;
using TorchEnv.Sdk.Tests.Support;

namespace TorchEnv.Sdk.Tests.Tasks;

/// <summary>After restore: the restored and installed packages must be the locked ones.</summary>
public sealed class VerifyLockedPackagesTests : IDisposable
{
    private readonly TaskTestFolder _folder = new();
    private readonly MockBuildEngine _engine = new();
    private readonly FakeCore _core = new();

    public VerifyLockedPackagesTests()
    {
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:x")));
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void CleanRestorePassesAndWritesTheStamp()
    {
        Assert.True(Run(Assets(("TorchSharp", "0.107.0"), ("Google.Protobuf", "3.21.9"))), _engine.Log);

        Assert.True(File.Exists(_folder.Obj("verified")));
    }

    [Fact]
    public void DriftFromCoreIsTenv0410AtTheLockLine()
    {
        _core.Drift =
        [
            new Diagnostic("TENV0230", DiagnosticSeverity.Error, "TorchSharp 0.107.0 has SHA-512 abc in the packages folder, the lock says def.",
                new SourceLocation(_folder.LockFile, 45, 9), "delete the package folder and restore."),
        ];

        Assert.False(Run(Assets(("TorchSharp", "0.107.0"))));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("TENV0410", error.Code);
        Assert.Equal((_folder.LockFile, 45, 9), (error.File, error.LineNumber, error.ColumnNumber));
        Assert.Contains("SHA-512", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Obj("verified")));
    }

    [Fact]
    public void RestoredVersionOtherThanLockedIsTenv0411()
    {
        Assert.False(Run(Assets(("TorchSharp", "0.108.0"))));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("TENV0411", error.Code);
        Assert.Equal(45, error.LineNumber);
    }

    private string Assets(params (string Id, string Version)[] libraries)
    {
        var entries = string.Join(",", libraries.Select(l => $"\"{l.Id}/{l.Version}\": {{ \"type\": \"package\" }}"));
        return _folder.WriteFile("app/obj/project.assets.json", $"{{ \"version\": 3, \"libraries\": {{ {entries} }} }}");
    }

    private bool Run(string assetsFile) => new VerifyLockedPackages
    {
        BuildEngine = _engine,
        Core = _core,
        LockFile = _folder.LockFile,
        Variant = "cpu",
        Platform = "linux-x64",
        ProjectAssetsFile = assetsFile,
        StampFile = _folder.Obj("verified"),
    }.Execute();
}
