using TorchEnv.Core.Lock;
using TorchEnv.TestSupport.Adoption;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Tests.Fixtures;

namespace TorchEnv.Tool.Tests.Ops;

/// <summary><c>torchenv adopt</c> through the command line, against the stand-in feed of <see cref="OpsFolder"/> (offline).</summary>
public sealed class AdoptCommandTests : IDisposable
{
    private readonly OpsFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Repository(bool everyPackageOnTheFeed = true)
    {
        var root = _folder.Combine("repo");
        var feed = new TestSupport.LocalFeed(_folder.Combine("feed"));
        feed.Add("SharpZipLib", "1.4.2", p => p.File("lib/netstandard2.0/ICSharpCode.SharpZipLib.dll", "stand-in"));
        if (everyPackageOnTheFeed)
        {
            feed.Add("Newtonsoft.Json", "13.0.3", p => p.File("lib/netstandard2.0/Newtonsoft.Json.dll", "stand-in"));
        }

        RepositoryShapes.SolutionWithSharedUtility(root, StackReferences.LinuxCpu, central: true);
        return root;
    }

    [Fact]
    public void Dry_run_prints_the_diff_as_json_and_writes_nothing()
    {
        var root = Repository();
        var before = Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText);

        var run = _folder.Run(root, "adopt", "--dry-run", "--json", "--no-warn", "TENV0545");

        Golden.AssertMatches("adopt-dry-run", run.Out, (_folder.Root, "<root>"));
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order());
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllText(f.Key)));
    }

    [Fact]
    public void Adopt_rewrites_locks_and_says_what_to_commit_and_again_changes_nothing()
    {
        var root = Repository();

        var first = _folder.Run(root, "adopt", "--no-warn", "TENV0545");
        first.AssertExit(ExitCodes.Success);
        var lockFile = LockFileReader.Read(Path.Combine(root, "environment.lock.yml"));
        Assert.Equal("0.107.0", Assert.Single(lockFile.Environments).Stack.TorchSharp);
        Assert.Contains("git add", first.Out);
        Assert.Contains("environment.lock.yml", first.Out);
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        var second = _folder.Run(root, "adopt", "--json");
        var result = OpsFolder.Result(second, ExitCodes.Success);

        Assert.True(result.GetProperty("upToDate").GetBoolean());
        Assert.Empty(result.GetProperty("written").EnumerateArray());
        Assert.All(files, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }

    [Fact]
    public void A_package_that_cannot_be_locked_stops_adopt_before_any_file_is_written()
    {
        var root = Repository(everyPackageOnTheFeed: false);
        var before = Directory.GetFiles(_folder.Root, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(_folder.PackagesFolder, StringComparison.Ordinal))
            .ToDictionary(f => f, File.ReadAllBytes);

        var run = _folder.Run(root, "adopt", "--json", "--no-warn", "TENV0545");

        Assert.NotEqual(ExitCodes.Success, run.ExitCode);
        Assert.Contains(OpsFolder.Codes(run), code => code.StartsWith("TENV02", StringComparison.Ordinal));
        Assert.Contains("Newtonsoft.Json", run.Out);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(_folder.Root, "*", SearchOption.AllDirectories).Where(f => !f.StartsWith(_folder.PackagesFolder, StringComparison.Ordinal)).Order());
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }

    [Fact]
    public void A_project_that_cannot_be_adopted_exits_65_and_an_existing_different_spec_73()
    {
        var root = Repository();
        _folder.WriteFile("repo/src/Web/Web.csproj", """<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup><PackageReference Include="TorchSharp" Version="0.107.0" /></ItemGroup></Project>""");
        File.Delete(Path.Combine(root, "Shapes.sln"));

        var cannot = _folder.Run(root, "adopt", "--json");
        File.Delete(Path.Combine(root, "src/Web/Web.csproj"));
        _folder.WriteFile("repo/environment.yml", "name: mine_torchsharp_cpu\n");
        var exists = _folder.Run(root, "adopt", "--json");

        cannot.AssertExit(ExitCodes.BadInput);
        Assert.Contains("TENV0553", OpsFolder.Codes(cannot));
        exists.AssertExit(ExitCodes.CannotWrite);
        Assert.Contains("TENV0554", OpsFolder.Codes(exists));
    }
}
