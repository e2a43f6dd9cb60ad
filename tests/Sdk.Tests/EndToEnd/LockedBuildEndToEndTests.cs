using System.Text.RegularExpressions;
using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;
using TorchEnv.Core.Spec;

namespace TorchEnv.Sdk.Tests.EndToEnd;

/// <summary>
/// <c>CI=true dotnet build</c> of copies of the shared locked project (its restore already done, so nothing downloads)
/// whose lock or spec was edited: the build fails with exactly the errors, codes and lines that Core's lock service
/// reports in locked mode — what <c>torchenv lock --check</c> reports — and leaves the lock as it was.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class LockedBuildEndToEndTests(SdkEndToEndFixture fixture)
{
    public static TheoryData<string, string> Edits => new()
    {
        // The issue's case: a package entry removed by hand from cpu/linux-x64, the spec untouched.
        { "closure edit", "TENV0236" },
        { "stale spec", "TENV0231" },
        { "changed hash", "TENV0238" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task ALockedBuildRefusesWhatLockCheckRefusesAtTheLocksLines(string edit, string code)
    {
        Assert.True(fixture.Locked.FirstBuild.Succeeded, fixture.Locked.FirstBuild.ToString());
        var project = fixture.CopyOfLocked("locked-" + edit.Replace(' ', '-'));
        var lockPath = project.PathOf("environment.lock.yml");
        Edit(project, edit);
        var lockBefore = File.ReadAllText(lockPath);

        var build = project.Build(new Dictionary<string, string?> { ["CI"] = "true" });

        Assert.False(build.Succeeded, build.ToString());
        Assert.Equal(lockBefore, File.ReadAllText(lockPath));
        var spec = EnvironmentSpecReader.Read(project.PathOf("environment.yml"));
        var service = LockService.For(spec, lockPath, new LockOptions { GlobalPackagesFolder = fixture.NuGetPackages });
        var expected = (await service.UseAsync(LockMode.Locked)).Findings
            .Select(f => $"{Path.GetFileName(f.Location!.File)}({f.Location.Line}): {f.Code}").Distinct().Order(StringComparer.Ordinal).ToList();
        var reported = BuildError().Matches(build.Output)
            .Select(m => $"{m.Groups["file"].Value}({m.Groups["line"].Value}): {m.Groups["code"].Value}").Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Contains(expected, e => e.EndsWith(code, StringComparison.Ordinal));
        Assert.Equal(expected, reported);
    }

    private static void Edit(TestSupport.EndToEnd.TestProject project, string edit)
    {
        var text = project.ReadFile("environment.lock.yml");
        switch (edit)
        {
            case "closure edit":
                var linux = text.IndexOf("platform: linux-x64", StringComparison.Ordinal);
                var start = text.IndexOf("      - id: SkiaSharp\n", linux, StringComparison.Ordinal);
                var end = text.IndexOf("      - id: ", start + 1, StringComparison.Ordinal);
                Assert.True(linux >= 0 && start > linux && end > start, text);
                project.WriteFile("environment.lock.yml", text[..start] + text[end..]);
                break;
            case "stale spec":
                project.WriteFile("environment.yml", SdkEndToEndFixture.Spec + "  - nuget:\n      - Spectre.Console=0.57.2\n");
                break;
            default:
                var hash = Regex.Match(text[text.IndexOf("platform: linux-x64", StringComparison.Ordinal)..], "- id: TorchSharp\n(?:.*\n)*?\\s+sha512: \"(?<hash>[^\"]+)\"");
                Assert.True(hash.Success, text);
                var value = hash.Groups["hash"].Value;
                project.WriteFile("environment.lock.yml", text.Replace(value, (value[0] == 'A' ? "B" : "A") + value[1..], StringComparison.Ordinal));
                break;
        }
    }

    [GeneratedRegex(@"(?<file>environment(?:\.lock)?\.yml)\((?<line>\d+),\d+\): TorchEnv error (?<code>TENV\d{4})")]
    private static partial Regex BuildError();
}
