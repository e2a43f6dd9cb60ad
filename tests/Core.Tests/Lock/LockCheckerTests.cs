using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.TestSupport.Locking;

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

    /// <summary>The shared single-field tamper list (TestSupport's <see cref="LockTampers"/>), with the code of the full check.</summary>
    public static TheoryData<string, string, string, string, string> Tampers
    {
        get
        {
            var data = new TheoryData<string, string, string, string, string>();
            foreach (var (name, anchors, find, replace, code, _) in LockTampers.SingleField)
            {
                data.Add(name, anchors, find, replace, code);
            }

            return data;
        }
    }

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

    private static string Tamper(string text, string anchors, string find, string replace = "<flip>") => LockTampers.Tamper(text, anchors, find, replace);
}
