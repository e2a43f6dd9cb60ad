using TorchEnv.Core.Lock;
using TorchEnv.Core.Resolution;

namespace TorchEnv.Core.Tests.Lock;

public sealed class LockVerifierTests(LockFeedFixture fixture) : IClassFixture<LockFeedFixture>
{
    /// <summary>A private global packages folder with the fixture's lock installed, so a test may damage it.</summary>
    private async Task<(EnvironmentLock Lock, string Folder)> InstallAsync()
    {
        var folder = fixture.Scratch("packages");
        var locked = await EnvironmentLocker.LockAsync(fixture.Spec, fixture.Plans, null, fixture.Options(folder));
        return (locked, folder);
    }

    [Fact]
    public async Task Intact_packages_pass_a_deep_verify()
    {
        var (locked, folder) = await InstallAsync();

        var findings = LockVerifier.Verify(locked, "cpu", "win-x64", fixture.LockPath, folder, new VerifyOptions { Deep = true });

        Assert.Empty(findings);
    }

    [Fact]
    public async Task A_tampered_native_library_is_found_by_a_deep_verify_only()
    {
        var (locked, folder) = await InstallAsync();
        var native = Path.Combine(folder, "libtorch-cpu-win-x64", "2.10.0", "runtimes", "win-x64", "native", "torch_cpu.dll");
        File.WriteAllText(native, "MZ evil");

        var shallow = LockVerifier.Verify(locked, "cpu", "win-x64", fixture.LockPath, folder);
        var deep = LockVerifier.Verify(locked, "cpu", "win-x64", fixture.LockPath, folder, new VerifyOptions { Deep = true });

        Assert.Empty(shallow);
        var finding = Assert.Single(deep);
        Assert.Equal("TENV0254", finding.Code);
        Assert.Contains("runtimes/win-x64/native/torch_cpu.dll", finding.Message);
    }

    [Fact]
    public async Task A_deleted_file_is_found_by_a_deep_verify()
    {
        var (locked, folder) = await InstallAsync();
        File.Delete(Path.Combine(folder, "torchsharp", "0.107.0", "lib", "net8.0", "TorchSharp.dll"));

        var deep = LockVerifier.Verify(locked, "cpu", "win-x64", fixture.LockPath, folder, new VerifyOptions { Deep = true });

        Assert.Equal("TENV0255", Assert.Single(deep).Code);
    }

    [Fact]
    public async Task A_replaced_nupkg_is_found_by_rehashing_it()
    {
        var (locked, folder) = await InstallAsync();
        File.Copy(
            Path.Combine(fixture.FeedFolder, "TorchSharp.0.106.0.nupkg"),
            Path.Combine(folder, "torchsharp", "0.107.0", "torchsharp.0.107.0.nupkg"), overwrite: true);

        var deep = LockVerifier.Verify(locked, "cpu", "win-x64", fixture.LockPath, folder, new VerifyOptions { Deep = true });

        Assert.Contains(deep, f => f.Code == "TENV0253");
    }

    [Fact]
    public async Task A_package_whose_recorded_hash_differs_from_the_lock_is_reported()
    {
        var (locked, folder) = await InstallAsync();
        var metadata = Path.Combine(folder, "extra.lib", "1.0.0", ".nupkg.metadata");
        var sha = locked.Find("cpu", "win-x64")!.Find("Extra.Lib")!.Sha512;
        File.WriteAllText(metadata, File.ReadAllText(metadata).Replace(sha, "A" + sha[1..], StringComparison.Ordinal));

        var findings = LockVerifier.Verify(locked, "cpu", "win-x64", fixture.LockPath, folder);

        Assert.Equal("TENV0252", Assert.Single(findings).Code);
    }

    [Fact]
    public async Task A_package_that_is_not_installed_is_reported()
    {
        var (locked, folder) = await InstallAsync();
        Directory.Delete(Path.Combine(folder, "torchvision"), recursive: true);

        var findings = LockVerifier.Verify(locked, "cpu", "win-x64", fixture.LockPath, folder);

        var finding = Assert.Single(findings);
        Assert.Equal("TENV0250", finding.Code);
        Assert.Contains("TorchVision 0.107.0", finding.Message);
    }

    [Fact]
    public void A_variant_and_platform_the_lock_does_not_have_is_reported()
    {
        var findings = LockVerifier.Verify(fixture.Lock, "cuda", "linux-x64", fixture.LockPath, fixture.PackagesFolder);

        Assert.Equal("TENV0258", Assert.Single(findings).Code);
    }

    [Fact]
    public void Restored_versions_and_hashes_in_project_assets_are_compared_with_the_lock()
    {
        var environment = fixture.Lock.Find("cpu", "win-x64")!;
        var libraries = environment.Packages.ToDictionary(p => $"{p.Id}/{p.Version}", p => (object)new { type = "package", sha512 = p.Sha512 });
        libraries.Remove("Extra.Lib/1.0.0");
        libraries["Extra.Lib/1.1.0"] = new { type = "package", sha512 = environment.Find("Extra.Lib")!.Sha512 };
        libraries.Remove("TorchVision/0.107.0");
        libraries["TorchVision/0.107.0"] = new { type = "package", sha512 = "A" + environment.Find("TorchVision")!.Sha512[1..] };
        libraries["Newtonsoft.Json/13.0.3"] = new { type = "package", sha512 = "x" };
        libraries["MyLibrary/1.0.0"] = new { type = "project" };
        var assets = Path.Combine(fixture.Scratch("obj"), "project.assets.json");
        Directory.CreateDirectory(Path.GetDirectoryName(assets)!);
        File.WriteAllText(assets, System.Text.Json.JsonSerializer.Serialize(new { version = 3, libraries }));

        var findings = LockVerifier.Verify(environment, fixture.PackagesFolder, new VerifyOptions { AssetsFile = assets });

        Assert.Equal(["TENV0251", "TENV0252", "TENV0257"], findings.Select(f => f.Code).Order());
        Assert.Contains("restored 1.1.0", findings.Single(f => f.Code == "TENV0251").Message);
        Assert.Contains("Newtonsoft.Json 13.0.3", findings.Single(f => f.Code == "TENV0257").Message);
    }
}
