using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using TorchEnv.Core.Gpu;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Native;
using TorchEnv.Core.Spec;
using TorchEnv.Core.Stack;
using TorchEnv.Sdk.Tasks;
using TorchEnv.Sdk.Tests.Support;

namespace TorchEnv.Sdk.Tests.Tasks;

/// <summary>What the build does with the lock before restore: exact references, locking, locked mode, conflicts, the SDK pin.</summary>
public sealed class ResolveLockedPackagesTests : IDisposable
{
    private readonly TaskTestFolder _folder = new();
    private readonly MockBuildEngine _engine = new();
    private readonly FakeCore _core = new();

    public ResolveLockedPackagesTests() => _core.Spec = Models.Spec(_folder.SpecFile);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void FreshLockBecomesOneExactReferencePerLockedPackage()
    {
        Fresh();

        Assert.True(Run(), _engine.Log);

        var items = ItemsFileReader.Read(_folder.Obj("app.torchenv.packages.proj"));
        var references = items.Where(i => i["TorchEnvItemKind"] == "PackageReference").ToList();
        Assert.Equal(
            ["Google.Protobuf=[3.21.9]", "SharpZipLib=[1.4.0]", "TorchSharp=[0.107.0]", "libtorch-cpu-linux-x64=[2.10.0]"],
            references.Select(r => $"{r.Include}={r["Version"]}").Order(StringComparer.Ordinal));
        Assert.Equal("https://api.nuget.org/v3/index.json", Assert.Single(items, i => i["TorchEnvItemKind"] == "Source").Include);
        var environment = Assert.Single(items, i => i["TorchEnvItemKind"] == "Environment");
        Assert.Equal("cpu", environment["Variant"]);
        Assert.Equal("linux-x64", environment["Platform"]);
        Assert.StartsWith("sha256:", environment["LockHash"], StringComparison.Ordinal);
        Assert.Empty(_core.LockCalls);
        Assert.Equal([_folder.LockFile], _core.RecordedLocks);
    }

    [Theory]
    [InlineData("8.0", "cuda", "TorchEnvVariant=auto chose 'cuda': NVIDIA driver 570.86.15 (≥ 525.60.13) and NVIDIA A100 (compute capability 8.0)")]
    [InlineData("6.1", "cpu", "TorchEnvVariant=auto chose 'cpu': NVIDIA A100 (compute capability 6.1): libtorch 2.10.0 (CUDA 12.8) has no kernels for it")]
    public void AutoBuildsTheVariantCoreChoosesForTheGpusAndSaysWhy(string computeCapability, string chosen, string message)
    {
        _core.Spec = Models.Spec(_folder.SpecFile, variants: [Models.Variant("cpu", _folder.SpecFile, 5, "linux-x64"), Models.Variant("cuda", _folder.SpecFile, 8, "linux-x64")]);
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(
            Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:cpu-linux-x64"),
            Models.Entry(_folder.LockFile, "cuda", "linux-x64", "sha256:cuda-linux-x64", line: 60, device: "cuda") with
            {
                Host = new HostRequirements { NvidiaDriver = "525.60.13" },
            }));
        _core.Gpus = new FixedGpuDetector(new GpuReport("570.86.15", "/proc/driver/nvidia/version",
            [new GpuDevice("NVIDIA A100", ComputeCapability.TryParse(computeCapability))], null, GpuDetection.ThisMachine));

        Assert.True(Run(t => t.Variant = "auto"), _engine.Log);

        var environment = Assert.Single(ItemsFileReader.Read(_folder.Obj("app.torchenv.packages.proj")), i => i["TorchEnvItemKind"] == "Environment");
        Assert.Equal(chosen, environment["Variant"]);
        Assert.Contains(message, _engine.Log, StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeIdentifierSelectsThatPlatformsPackages()
    {
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(
            Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:cpu-linux-x64"),
            Models.Entry(_folder.LockFile, "cpu", "win-x64", "sha256:cpu-win-x64", line: 60)));

        Assert.True(Run(t => t.Platform = "win-x64"), _engine.Log);

        var ids = ItemsFileReader.Read(_folder.Obj("app.torchenv.packages.proj")).Select(i => i.Include).ToList();
        Assert.Contains("libtorch-cpu-win-x64", ids);
        Assert.DoesNotContain("libtorch-cpu-linux-x64", ids);
    }

    [Fact]
    public void WithoutAPlatformTheBuildRestoresThisHostsAsCoreSaysIt()
    {
        var task = new ResolveLockedPackages { Platform = "" };

        Assert.Equal(HostPlatform.Current, task.Platform);
    }

    [Fact]
    public void MissingSpecIsTenv0401AtTheProjectFile()
    {
        File.Delete(_folder.SpecFile);

        Assert.False(Run());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("TENV0401", error.Code);
        Assert.Equal(_folder.ProjectFile, error.File);
        Assert.Contains("torchenv init", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownVariantIsTenv0402ListingTheVariants()
    {
        Fresh();

        Assert.False(Run(t => t.Variant = "cuda"));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("TENV0402", error.Code);
        Assert.Contains("it has: cpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlatformOutsideTheVariantIsTenv0403AtTheVariantInTheSpec()
    {
        Fresh();

        Assert.False(Run(t => t.Platform = "osx-arm64"));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("TENV0403", error.Code);
        Assert.Equal((_folder.SpecFile, 5, 3), (error.File, error.LineNumber, error.ColumnNumber));
        Assert.Contains("platforms:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LockedModeWithoutLockIsTenv0230AsInLockCheckAndNeverLocks()
    {
        _core.Locker = (_, _) => throw new InvalidOperationException("must not lock");

        Assert.False(Run(t => t.LockedMode = true));

        Assert.Equal("TENV0230", Assert.Single(_engine.Errors).Code);
        Assert.Equal([LockMode.Locked], _core.Modes);
        Assert.Empty(_core.LockCalls);
        Assert.False(File.Exists(_folder.LockFile));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("yes")]
    [InlineData("On")]
    public void TorchEnvLockedTurnsLockedModeOnWithTheValuesTheToolAccepts(string value)
    {
        _core.Locker = (_, _) => throw new InvalidOperationException("must not lock");

        Assert.False(Run(t => t.LockedVariable = value));

        Assert.Equal("TENV0230", Assert.Single(_engine.Errors).Code);
        Assert.Equal([LockMode.Locked], _core.Modes);
        Assert.Empty(_core.LockCalls);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("false")]
    [InlineData("no")]
    [InlineData("")]
    public void TorchEnvLockedOffLeavesTheBuildFreeToLock(string value)
    {
        _core.Locker = (_, _) => Models.Lock(Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:cpu-linux-x64"));

        Assert.True(Run(t => t.LockedVariable = value), _engine.Log);

        Assert.Single(_core.LockCalls);
    }

    [Fact]
    public void TorchEnvLockedThatIsNotABooleanIsTenv0504EvenWithAFreshLock()
    {
        Fresh();

        Assert.False(Run(t => t.LockedVariable = "sometimes"));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("TENV0504", error.Code);
        Assert.Contains("TORCHENV_LOCKED='sometimes'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LockedModeWithStaleLockIsCoresTenv0231AtTheEntryLine()
    {
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(
            Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:old", line: 12),
            Models.Entry(_folder.LockFile, "cpu", "win-x64", "sha256:cpu-win-x64", line: 60)));

        Assert.False(Run(t => t.LockedMode = true));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("TENV0231", error.Code);
        Assert.Equal((_folder.LockFile, 12), (error.File, error.LineNumber));
        Assert.Empty(_core.LockCalls);
        Assert.Equal("# lock\n", File.ReadAllText(_folder.LockFile));
    }

    [Fact]
    public void LockedModeWithoutEntryForThePlatformIsTenv0232()
    {
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:cpu-linux-x64")));

        Assert.False(Run(t => { t.LockedMode = true; t.Platform = "win-x64"; }));

        Assert.Equal("TENV0232", Assert.Single(_engine.Errors).Code);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("yes")]
    public void TorchEnvFrozenBuildsWithAStaleLockAsItIsEvenInCi(string value)
    {
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:old")));
        _core.Locker = (_, _) => throw new InvalidOperationException("must not lock");

        Assert.True(Run(t => { t.LockedMode = true; t.FrozenVariable = value; }), _engine.Log);

        Assert.Equal([LockMode.Frozen], _core.Modes);
        Assert.True(File.Exists(_folder.Obj("app.torchenv.packages.proj")));
    }

    [Fact]
    public void TorchEnvFrozenWithoutALockIsTenv0230()
    {
        Assert.False(Run(t => t.FrozenVariable = "true"));

        Assert.Equal("TENV0230", Assert.Single(_engine.Errors).Code);
        Assert.Empty(_core.LockCalls);
    }

    [Theory]
    [InlineData("sometimes", null, "TENV0504")]
    [InlineData(null, "2", "TENV0504")]
    [InlineData("1", "1", "TENV0505")]
    public void LockModeVariablesThatDoNotMakeSenseAreCodedErrors(string? locked, string? frozen, string code)
    {
        Fresh();

        Assert.False(Run(t => { t.LockedVariable = locked; t.FrozenVariable = frozen; }));

        Assert.Equal(code, Assert.Single(_engine.Errors).Code);
        Assert.Empty(_core.Modes);
    }

    [Fact]
    public void FirstBuildLocksOnceAndSaysSo()
    {
        _core.Locker = (_, previous) =>
        {
            Assert.Null(previous);
            return Models.Lock(Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:cpu-linux-x64"));
        };

        Assert.True(Run(), _engine.Log);

        Assert.Single(_core.LockCalls);
        Assert.Equal(1, _core.GuardsAcquired);
        var message = Assert.Single(_engine.Messages, m => m.Code == "TENV0420");
        Assert.Contains("4 packages", message.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(_folder.Obj("app.torchenv.packages.proj")));
    }

    [Fact]
    public void ChangedSpecRelocksOutsideLockedModeAndSaysSo()
    {
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:old")));
        _core.Locker = (_, previous) =>
        {
            Assert.NotNull(previous);
            return Models.Lock(Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:cpu-linux-x64"));
        };

        Assert.True(Run(), _engine.Log);

        Assert.Single(_core.LockCalls);
        Assert.Contains("TENV0421", _engine.Codes);
        Assert.Empty(_engine.Warnings);
    }

    [Fact]
    public void ALockWrittenMeanwhileByAnotherProjectIsUsedWithoutLockingAgain()
    {
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:old")));
        _core.Locks.Enqueue(Models.Lock(
            Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:cpu-linux-x64"),
            Models.Entry(_folder.LockFile, "cpu", "win-x64", "sha256:cpu-win-x64", line: 60)));
        _core.Locker = (_, _) => throw new InvalidOperationException("the other project already locked");

        Assert.True(Run(), _engine.Log);

        Assert.Equal(1, _core.GuardsAcquired);
        Assert.Empty(_core.LockCalls);
    }

    [Fact]
    public void AutoLockOffMakesAMissingLockTenv0423()
    {
        Assert.False(Run(t => t.AutoLock = false));

        Assert.Equal("TENV0423", Assert.Single(_engine.Errors).Code);
    }

    [Fact]
    public void DesignTimeBuildWithoutLockNeitherLocksNorWrites()
    {
        Assert.True(Run(t => t.DesignTimeBuild = true), _engine.Log);

        Assert.Empty(_core.LockCalls);
        Assert.Equal(0, _core.GuardsAcquired);
        Assert.Contains("TENV0422", _engine.Codes);
        Assert.False(File.Exists(_folder.Obj("app.torchenv.packages.proj")));
    }

    [Fact]
    public void DesignTimeBuildUsesAStaleLockAsItIs()
    {
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:old")));

        Assert.True(Run(t => t.DesignTimeBuild = true), _engine.Log);

        Assert.Empty(_core.LockCalls);
        Assert.True(File.Exists(_folder.Obj("app.torchenv.packages.proj")));
        Assert.Empty(_core.RecordedLocks);
    }

    [Fact]
    public void UserReferenceWithAnotherVersionIsTenv0407AtItsLine()
    {
        Fresh();

        Assert.False(Run(t => t.PackageReferences = [Reference("TorchSharp", "0.106.0", _folder.ProjectFile)]));

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("TENV0407", error.Code);
        Assert.Equal((_folder.ProjectFile, 7, 5), (error.File, error.LineNumber, error.ColumnNumber));
        Assert.Contains("0.106.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.107.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("remove the Version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UserReferenceToALockedIdKeepsItsMetadataAndGetsTheLockedVersion()
    {
        Fresh();
        var reference = Reference("torchsharp", "", _folder.ProjectFile);
        reference.SetMetadata("PrivateAssets", "all");
        reference.SetMetadata("GeneratePathProperty", "true");

        Assert.True(Run(t => t.PackageReferences = [reference, Reference("Spectre.Console", "0.57.2", _folder.ProjectFile)]), _engine.Log);

        var items = ItemsFileReader.Read(_folder.Obj("app.torchenv.packages.proj"));
        var torchSharp = Assert.Single(items, i => i.Include == "torchsharp");
        Assert.Equal("[0.107.0]", torchSharp["Version"]);
        Assert.Equal("all", torchSharp["PrivateAssets"]);
        Assert.Equal("true", torchSharp["GeneratePathProperty"]);
        Assert.DoesNotContain(items, i => i.Include == "Spectre.Console");
    }

    [Fact]
    public void CentralPackageManagementGetsExactPackageVersionsAndChecksThem()
    {
        Fresh();
        var userVersion = new TaskItem("TorchSharp", new Dictionary<string, string> { ["Version"] = "0.107.0" });

        Assert.True(Run(t => { t.CentralPackageManagement = true; t.PackageVersions = [userVersion]; }), _engine.Log);

        var items = ItemsFileReader.Read(_folder.Obj("app.torchenv.packages.proj"));
        Assert.All(items.Where(i => i["TorchEnvItemKind"] == "PackageReference"), r => Assert.Equal("", r["Version"]));
        Assert.Equal("[0.107.0]", Assert.Single(items, i => i["TorchEnvItemKind"] == "PackageVersion" && i.Include == "TorchSharp")["Version"]);

        userVersion.SetMetadata("Version", "0.105.0");
        _engine.Errors.Clear();
        Assert.False(Run(t => { t.CentralPackageManagement = true; t.PackageVersions = [userVersion]; }));
        Assert.Equal("TENV0407", Assert.Single(_engine.Errors).Code);
    }

    [Fact]
    public void ImplicitReferencesAddedByTheSdkAreNotTheUsers()
    {
        Fresh();
        var implicitReference = Reference("TorchSharp", "9.9.9", _folder.ProjectFile);
        implicitReference.SetMetadata("IsImplicitlyDefined", "true");

        Assert.True(Run(t => t.PackageReferences = [implicitReference]), _engine.Log);
    }

    [Fact]
    public void DotnetSdkMismatchWarnsUnderResearchPolicy()
    {
        Fresh(dotnetSdk: "10.0.100");

        Assert.True(Run(), _engine.Log);

        var warning = Assert.Single(_engine.Warnings);
        Assert.Equal("TENV0409", warning.Code);
        Assert.Contains("10.0.401", warning.Message, StringComparison.Ordinal);
        Assert.Contains("global.json", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DotnetSdkMismatchFailsUnderProductionPolicy()
    {
        _core.Spec = Models.Spec(_folder.SpecFile, EnvironmentPolicy.Production);
        Fresh(dotnetSdk: "10.0.100");

        Assert.False(Run());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal("TENV0408", error.Code);
        Assert.Equal(_folder.LockFile, error.File);
    }

    [Theory]
    [InlineData("10.0.401")]
    [InlineData("10.0.*")]
    [InlineData("[10.0.400, 10.1.0)")]
    public void MatchingDotnetSdkIsQuiet(string locked)
    {
        Fresh(dotnetSdk: locked);

        Assert.True(Run(), _engine.Log);

        Assert.Empty(_engine.Warnings);
    }

    [Fact]
    public void UnchangedOutputKeepsItsTextButGetsANewTimestamp()
    {
        Fresh();
        Assert.True(Run());
        var output = _folder.Obj("app.torchenv.packages.proj");
        var text = File.ReadAllText(output);
        File.SetLastWriteTimeUtc(output, DateTime.UtcNow.AddHours(-1));

        Assert.True(Run());

        Assert.Equal(text, File.ReadAllText(output));
        Assert.True(File.GetLastWriteTimeUtc(output) > DateTime.UtcNow.AddMinutes(-1));
    }

    private void Fresh(string? dotnetSdk = null)
    {
        _folder.WriteLock();
        _core.Locks.Enqueue(Models.Lock(
            Models.Entry(_folder.LockFile, "cpu", "linux-x64", "sha256:cpu-linux-x64", dotnetSdk: dotnetSdk),
            Models.Entry(_folder.LockFile, "cpu", "win-x64", "sha256:cpu-win-x64", line: 60, dotnetSdk: dotnetSdk)));
    }

    private static TaskItem Reference(string id, string version, string definingProject)
    {
        var item = new TaskItem(id);
        if (version.Length > 0)
        {
            item.SetMetadata("Version", version);
        }

        // MSBuild's own items know their DefiningProjectFullPath; a TaskItem does not, and the task falls back to ProjectFile.
        _ = definingProject;
        return item;
    }

    private bool Run(Action<ResolveLockedPackages>? configure = null)
    {
        var task = new ResolveLockedPackages
        {
            BuildEngine = _engine,
            Core = _core,
            SpecFile = _folder.SpecFile,
            LockFile = _folder.LockFile,
            Platform = "linux-x64",
            ProjectFile = _folder.ProjectFile,
            DotnetSdkVersion = "10.0.401",
            OutputFile = _folder.Obj("app.torchenv.packages.proj"),
        };
        configure?.Invoke(task);
        return task.Execute();
    }
}
