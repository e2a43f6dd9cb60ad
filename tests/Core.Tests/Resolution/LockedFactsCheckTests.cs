using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.TestSupport.Locking;

namespace TorchEnv.Core.Tests.Resolution;

public sealed class LockedFactsCheckTests(CudaLockFixture fixture) : IClassFixture<CudaLockFixture>
{
    private const string Linux = "platform: linux-x64\n";

    /// <summary>
    /// Hand edits of content-derived fields of the linux-x64 entry: (name, anchors, text, replacement, the field the
    /// finding names, the lock's value and the recomputed value it quotes, the section it points at).
    /// </summary>
    public static TheoryData<string, string, string, string, string, string, string, string> Edits => new()
    {
        { "glibcxx maximum", Linux, "glibcxx: 3.4.26", "glibcxx: 3.4.22", "host.glibcxx", "3.4.22", "3.4.26", "host" },
        { "glibc maximum", Linux, "glibc: \"2.29\"", "glibc: \"2.17\"", "host.glibc", "2.17", "2.29", "host" },
        { "cxxabi maximum", Linux, "cxxabi: 1.3.11", "cxxabi: 1.3.13", "host.cxxabi", "1.3.13", "1.3.11", "host" },
        { "nvidia driver", Linux, "nvidia-driver: 525.60.13", "nvidia-driver: 450.80.02", "host.nvidia-driver", "450.80.02", "525.60.13", "host" },
        { "a need's version", Linux + "|    host:\n|      needs:\n", "- version: GLIBC_2.29", "- version: GLIBC_2.28", "host.needs", "GLIBC_2.28 from libc.so.6", "GLIBC_2.29 from libc.so.6", "host" },
        { "a need's file", Linux + "|    host:\n|      needs:\n", "file: runtimes/linux-x64/native/libtorch.so", "file: runtimes/linux-x64/native/libtorch2.so", "host.needs", "libtorch2.so", "libtorch.so", "host" },
        { "stack cuda", Linux, "cuda: \"12.8\"", "cuda: \"12.6\"", "stack.cuda", "12.6", "12.8", "stack" },
        { "stack cudnn", Linux, "cudnn: \"9\"", "cudnn: \"8\"", "stack.cudnn", "8", "9", "stack" },
    };

    [Fact]
    public void An_unchanged_lock_agrees_with_its_installed_packages_on_both_platforms()
    {
        Assert.All(fixture.Lock.Environments, environment => Assert.Empty(LockedFactsCheck.Check(environment, fixture.Feed.PackagesFolder)));
        Assert.Contains(fixture.Lock.Environments, e => e.Host.Needs.Count > 0 && e.Host.Glibcxx is not null);
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void A_hand_edited_host_or_stack_field_is_an_error_naming_the_field_both_values_and_the_fix(
        string name, string anchors, string find, string replace, string field, string locked, string recomputed, string section)
    {
        var text = LockTampers.Tamper(fixture.LockText, anchors, find, replace);
        var path = fixture.WriteLock(text);
        var environment = LockFileReader.Read(path).Find("cuda", "linux-x64")!;

        var finding = Assert.Single(LockedFactsCheck.Check(environment, fixture.Feed.PackagesFolder));

        Assert.Equal(("TENV0248", DiagnosticSeverity.Error), (finding.Code, finding.Severity));
        Assert.True(finding.Message.Contains($"the lock's {field} is ", StringComparison.Ordinal), $"{name}: {finding}");
        Assert.Contains(locked, finding.Message.Split(", but ")[0]);
        Assert.Contains(recomputed, finding.Message.Split(", but ")[1]);
        Assert.Contains("torchenv lock", finding.Fix);
        Assert.Equal(path, finding.Location!.File);
        var lines = text.Split('\n');
        Assert.Equal($"    {section}:", lines[finding.Location.Line - 2]);
    }

    [Fact]
    public void Lock_check_verify_and_the_build_report_the_same_finding_through_the_lock_service()
    {
        var text = LockTampers.Tamper(fixture.LockText, Linux, "glibcxx: 3.4.26", "glibcxx: 3.4.22");
        var path = fixture.WriteLock(text);
        var service = fixture.Service(path);
        var lockFile = service.Read()!;

        var check = service.Check(lockFile, checkInstalled: true);
        var verify = LockService.VerifyInstalled(lockFile.Find("cuda", "linux-x64")!, fixture.Feed.PackagesFolder);

        var fromCheck = Assert.Single(check, f => f.Severity == DiagnosticSeverity.Error);
        Assert.Equal(fromCheck, Assert.Single(verify));
        Assert.Equal("TENV0248", fromCheck.Code);
        Assert.DoesNotContain(service.Check(lockFile, checkInstalled: false), LockService.IsError);
    }

    [Fact]
    public async Task Without_the_packages_installed_nothing_is_recomputed_and_nothing_is_downloaded()
    {
        var text = LockTampers.Tamper(fixture.LockText, Linux, "glibcxx: 3.4.26", "glibcxx: 3.4.22");
        var path = fixture.WriteLock(text);
        var empty = fixture.Feed.Scratch("empty-packages");
        Directory.CreateDirectory(empty);

        var findings = await RelockCheck.CheckAsync(fixture.Feed.Spec(), fixture.Plans, path, fixture.Feed.Options(empty), reResolve: false);

        Assert.DoesNotContain(findings, f => f.Code == "TENV0248");
        Assert.Contains(findings, f => f.Code == "TENV0239"); // not installed: a warning, the check itself offline
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty));
    }

    [Fact]
    public void A_package_installed_with_another_hash_is_left_to_the_hash_check()
    {
        var text = LockTampers.Tamper(fixture.LockText, Linux + "|    packages:\n|      - id: TorchSharp\n", "sha512: \"", "<flip>");
        var tampered = LockTampers.Tamper(text, Linux, "glibcxx: 3.4.26", "glibcxx: 3.4.22");
        var environment = LockFileReader.Parse(tampered, "environment.lock.yml").Find("cuda", "linux-x64")!;

        Assert.Empty(LockedFactsCheck.Check(environment, fixture.Feed.PackagesFolder));
    }

    [Fact]
    public void A_pruned_version_other_than_the_one_the_installed_dotnet_provides_is_an_error_offline()
    {
        var text = LockTampers.Tamper(fixture.LockText, Linux + "|    pruned:\n", "System.Memory: 5.0.0", "System.Memory: 6.0.0");
        var path = fixture.WriteLock(text);
        var service = fixture.Service(path, packagesFolder: fixture.Feed.Scratch("no-packages"));

        var finding = Assert.Single(service.Check(service.Read(), checkInstalled: false), LockService.IsError);

        Assert.Equal("TENV0248", finding.Code);
        Assert.Contains("the lock's pruned System.Memory is 6.0.0, but recomputed from the pruning data of the installed .NET for net10.0 it is 5.0.0", finding.Message);
        Assert.Equal("  - variant: cuda", text.Split('\n')[finding.Location!.Line - 1]);
    }

    [Fact]
    public void Edited_gpu_architectures_are_an_error_offline_and_a_lock_without_them_reads_the_matrix_row()
    {
        var edited = LockTampers.Tamper(fixture.LockText, Linux, "cuda-architectures: \"sm_70 sm_75", "cuda-architectures: \"sm_60 sm_70 sm_75");
        var path = fixture.WriteLock(edited);
        var service = fixture.Service(path, packagesFolder: fixture.Feed.Scratch("no-packages"));

        var finding = Assert.Single(service.Check(service.Read(), checkInstalled: false), LockService.IsError);

        Assert.Equal("TENV0248", finding.Code);
        Assert.Contains("the lock's stack.cuda-architectures is sm_60 sm_70 sm_75 sm_80 sm_86 sm_90 sm_100 sm_120, but recomputed from the stack matrix row of TorchSharp 0.106.0–0.107.0 it is sm_70 sm_75", finding.Message);
        Assert.Equal("    stack:", edited.Split('\n')[finding.Location!.Line - 2]);

        var withoutField = LockTampers.Tamper(fixture.LockText, Linux, "      cuda-architectures: \"sm_70 sm_75 sm_80 sm_86 sm_90 sm_100 sm_120\"\n", "");
        var older = fixture.WriteLock(withoutField);
        var olderService = fixture.Service(older, packagesFolder: fixture.Feed.Scratch("no-packages"));
        Assert.DoesNotContain(olderService.Check(olderService.Read(), checkInstalled: false), LockService.IsError);
    }
}
