using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;

namespace TorchEnv.Core.Tests.Lock;

public sealed class LockCheckerTests(LockFeedFixture fixture) : IClassFixture<LockFeedFixture>
{
    private string WriteLock(string text)
    {
        var folder = fixture.Scratch("check");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, LockFileWriter.DefaultFileName);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task An_unchanged_lock_has_no_findings()
    {
        var findings = await RelockCheck.CheckAsync(fixture.Spec, fixture.Plans, WriteLock(fixture.LockText), fixture.Options());

        Assert.Empty(findings);
    }

    /// <summary>
    /// Single-field edits of the real lock text: (name, anchors the edit happens after — '|' separates anchors found one
    /// after the other —, text to replace, replacement or <c>&lt;flip&gt;</c> to change the first character of the value
    /// after it, a code that must be among the errors). Edits happen in the first environment (osx-arm64) unless the
    /// anchor says otherwise.
    /// </summary>
    public static TheoryData<string, string, string, string, string> Tampers => new()
    {
        { "transitive version below a range", "    packages:\n|      - id: Google.Protobuf\n", "version: 3.25.1", "version: 3.21.9", "TENV0235" },
        { "root version outside its range", "    packages:\n|      - id: TorchSharp\n        version", "0.107.0", "0.106.0", "TENV0234" },
        { "version that no source has", "    packages:\n|      - id: Extra.Lib\n        version", "1.0.0", "1.0.1", "TENV0204" },
        { "sha512", "    packages:\n|      - id: TorchSharp\n", "sha512: \"", "<flip>", "TENV0238" },
        { "spec hash", "platform: osx-arm64\n", "spec-hash: sha256:", "<flip>", "TENV0231" },
        { "dependency id", "    packages:\n|      - id: TorchSharp\n", "System.Memory: \"[4.5.5, )\"", "System.Memorx: \"[4.5.5, )\"", "TENV0237" },
        { "dependency range", "    packages:\n|      - id: TorchSharp\n", "Google.Protobuf: \"[3.21.9, )\"", "Google.Protobuf: \"[3.21.8, )\"", "TENV0237" },
        { "dependency removed", "    packages:\n|      - id: TorchSharp\n", "          System.Memory: \"[4.5.5, )\"\n", "", "TENV0237" },
        { "source", "    packages:\n|      - id: TorchSharp\n", "source: \"../feed\"", "source: \"../feed2\"", "TENV0241" },
        { "framework", "platform: osx-arm64\n", "framework: net10.0", "framework: net9.0", "TENV0243" },
        { "pruned version", "platform: osx-arm64\n", "System.Memory: 5.0.0", "System.Memory: 4.0.0", "TENV0236" },
        { "root range", "      - id: TorchVision\n", "range: \"[0.107.0, 0.107.0]\"", "range: \"[0.107.0, )\"", "TENV0244" },
        { "root reason", "      - id: TorchVision\n", "reason: \"torchvision", "reason: \"tv", "TENV0240" },
        { "stack torchvision", "platform: osx-arm64\n", "torchvision: 0.107.0", "torchvision: 0.106.0", "TENV0246" },
        { "name", "", "name: demo_torchsharp_cpu", "name: demo_torchsharp_gpu", "TENV0240" },
        { "second environment sha512", "platform: win-x64\n|    packages:\n", "sha512: \"", "<flip>", "TENV0238" },
    };

    [Theory]
    [MemberData(nameof(Tampers))]
    public async Task Every_single_field_tamper_is_detected(string name, string anchor, string find, string replace, string code)
    {
        var tampered = Tamper(fixture.LockText, anchor, find, replace);
        Assert.NotEqual(fixture.LockText, tampered);

        var findings = await RelockCheck.CheckAsync(fixture.Spec, fixture.Plans, WriteLock(tampered), fixture.Options());

        var errors = findings.Where(f => f.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Any(f => f.Code == code), $"{name}: expected {code}, found: {string.Join(" | ", findings)}");
    }

    [Fact]
    public async Task Checking_an_unchanged_lock_contacts_no_source()
    {
        // The same lock, but its packages recorded from an HTTP source nothing listens on: every package is installed,
        // so the check must succeed without a single request.
        const string Unreachable = "https://127.0.0.1:9/v3/index.json";
        var spec = LockFeedFixture.SpecFor(fixture.SpecPath, Unreachable);
        var text = fixture.LockText.Replace("source: \"../feed\"", "source: \"" + Unreachable + "\"", StringComparison.Ordinal);

        var findings = await RelockCheck.CheckAsync(spec, fixture.Plans, WriteLock(text), fixture.Options());

        Assert.Empty(findings);
    }

    [Fact]
    public async Task Findings_point_at_the_tampered_package_entry()
    {
        var tampered = Tamper(fixture.LockText, "    packages:\n|      - id: TorchSharp\n", "sha512: \"", "<flip>");
        var path = WriteLock(tampered);

        var findings = await RelockCheck.CheckAsync(fixture.Spec, fixture.Plans, path, fixture.Options());

        var finding = Assert.Single(findings);
        Assert.Equal("TENV0238", finding.Code);
        Assert.Equal(path, finding.Location!.File);
        Assert.Contains("- id: TorchSharp", tampered.Split('\n')[finding.Location.Line - 1]);
        Assert.Contains("osx-arm64", finding.Message);
    }

    [Fact]
    public async Task A_missing_lock_is_reported()
    {
        var path = Path.Combine(fixture.Scratch("missing"), LockFileWriter.DefaultFileName);

        var findings = await RelockCheck.CheckAsync(fixture.Spec, fixture.Plans, path, fixture.Options());

        Assert.Equal("TENV0230", Assert.Single(findings).Code);
    }

    [Fact]
    public void A_platform_added_to_the_spec_or_removed_from_it_is_reported()
    {
        var added = fixture.Plans.Append(TestPlans.Cpu("cpu", "linux-x64")).ToList();
        var removed = fixture.Plans.Where(p => p.Platform == "win-x64").ToList();

        var missing = LockChecker.Check(fixture.Spec, added, fixture.Lock, fixture.LockPath, fixture.PackagesFolder);
        var extra = LockChecker.Check(fixture.Spec, removed, fixture.Lock, fixture.LockPath, fixture.PackagesFolder);

        Assert.Contains("cpu/linux-x64", Assert.Single(missing, f => f.Code == "TENV0232").Message);
        Assert.Contains("cpu/osx-arm64", Assert.Single(extra, f => f.Code == "TENV0233").Message);
    }

    [Fact]
    public void A_changed_spec_makes_the_lock_stale_and_says_which_variant_and_platform()
    {
        var plans = fixture.Plans.Select(p => p.Platform == "win-x64" ? p with { SpecHash = TestPlans.Hash("changed") } : p).ToList();

        var findings = LockChecker.Check(fixture.Spec, plans, fixture.Lock, fixture.LockPath, fixture.PackagesFolder);

        var stale = Assert.Single(findings);
        Assert.Equal("TENV0231", stale.Code);
        Assert.Contains("cpu/win-x64", stale.Message);
    }

    [Fact]
    public void A_locked_package_that_is_not_installed_is_a_warning_offline()
    {
        var findings = LockChecker.Check(fixture.Spec, fixture.Plans, fixture.Lock, fixture.LockPath, fixture.Scratch("empty-packages"));

        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Equal(("TENV0239", DiagnosticSeverity.Warning), (f.Code, f.Severity)));
    }

    [Fact]
    public void Without_the_global_packages_folder_only_the_lock_and_spec_are_compared()
    {
        var findings = LockChecker.Check(fixture.Spec, fixture.Plans, fixture.Lock, fixture.LockPath, fixture.Scratch("empty-packages"), checkInstalled: false);

        Assert.Empty(findings);
    }

    private static string Tamper(string text, string anchors, string find, string replace)
    {
        var start = 0;
        foreach (var anchor in anchors.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            start = text.IndexOf(anchor, start, StringComparison.Ordinal);
            Assert.True(start >= 0, $"anchor '{anchor}' not found");
            start += anchor.Length;
        }

        var index = text.IndexOf(find, start, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{find}' not found after '{anchors}'");
        if (replace != "<flip>")
        {
            return text[..index] + replace + text[(index + find.Length)..];
        }

        // Change one character of the value so it stays well-formed (hex stays hex, base64 stays base64) but differs.
        var at = index + find.Length;
        var flipped = text[at] == '0' ? '1' : '0';
        return text[..at] + flipped + text[(at + 1)..];
    }
}
