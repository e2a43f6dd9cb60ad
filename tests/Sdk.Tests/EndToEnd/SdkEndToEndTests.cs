using System.Text.RegularExpressions;
using TorchEnv.Core.Lock;
using TorchEnv.TestSupport;
using TorchEnv.TestSupport.EndToEnd;

namespace TorchEnv.Sdk.Tests.EndToEnd;

/// <summary>
/// Real <c>dotnet build</c> / <c>dotnet run</c> of temporary projects on the packed TorchEnv.Sdk (artifacts/packages)
/// against the real NuGet registry, on this machine (Debian 12: TorchSharp 0.107.0 needs the libstdc++ compatibility step).
/// Slow: filter them out with <c>--filter Category!=EndToEnd</c> for quick runs.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class SdkEndToEndTests(SdkEndToEndFixture fixture)
{
    private static readonly string[] WorkTargets =
    [
        "TorchEnvResolveLockedPackages", "TorchEnvVerifyPackages", "TorchEnvRestitchSplitFiles", "TorchEnvCheckNativeCompatibility", "_TorchEnvGenerateEnvironmentSource",
    ];

    private static readonly string[] TaskNames =
    [
        "ResolveLockedPackages", "VerifyLockedPackages", "RestitchSplitFiles", "CheckNativeCompatibility", "GenerateTorchEnvironmentSource",
    ];

    [Fact]
    public void FreshCpuProjectLocksBuildsAndRunsOnTheLockedStack()
    {
        var locked = fixture.Locked;
        var project = locked.Project;
        Assert.True(locked.FirstBuild.Succeeded, locked.FirstBuild.ToString());
        Assert.Contains("TENV0420", locked.FirstBuild.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(project.PathOf("environment.lock.yml")), locked.FirstBuild.ToString());

        // Exactly the locked versions were restored, transitive packages included.
        var entry = LockFileReader.Read(project.PathOf("environment.lock.yml")).Find("cpu", "linux-x64");
        Assert.NotNull(entry);
        var restored = project.RestoredPackages();
        Assert.Equal(
            entry.Packages.Select(p => $"{p.Id}/{p.Version}").Order(StringComparer.OrdinalIgnoreCase),
            restored.Order(StringComparer.OrdinalIgnoreCase));

        // On Debian 12 the build patched a copy of libLibTorchSharp.so and said so.
        Assert.Contains("warning TENV0312", locked.FirstBuild.Output, StringComparison.Ordinal);

        var run = locked.FirstRun!;
        Assert.True(run.Succeeded, run.ToString());
        Assert.Contains("sum=10 dot=30", run.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"TorchEnv e2e_net10_cpu \(variant cpu, linux-x64, lock sha256:[0-9a-f]+\): OK", run.StandardOutput);
        Assert.Matches(@"libtorch\s+locked 2\.10\.0\s+loaded 2\.10\.0", run.StandardOutput);
        Assert.Matches(@"TorchSharp\s+locked 0\.107\.0\s+loaded 0\.107\.0", run.StandardOutput);

        // The LibTorchSharp the process mapped is the patched copy TorchEnv put into the output, not the package's file,
        // and TorchSharp's fallback loader (which copies natives into bin/…/cpu/) never ran.
        var mapped = MappedLine().Match(run.StandardOutput);
        Assert.True(mapped.Success, run.ToString());
        var loaded = mapped.Groups["path"].Value.Trim();
        var output = project.PathOf("bin/Debug/net10.0/");
        Assert.Equal(Path.Combine(output, "runtimes/linux-x64/native/libLibTorchSharp.so"), loaded);
        var patched = Directory.GetFiles(project.PathOf("obj"), "libLibTorchSharp.so", SearchOption.AllDirectories).Single();
        Assert.Equal(File.ReadAllBytes(patched), File.ReadAllBytes(loaded));
        var packageCopy = Path.Combine(fixture.NuGetPackages, "torchsharp/0.107.0/runtimes/linux-x64/native/libLibTorchSharp.so");
        Assert.NotEqual(File.ReadAllBytes(packageCopy), File.ReadAllBytes(loaded));
        Assert.False(Directory.Exists(Path.Combine(output, "cpu")), "TorchSharp's fallback loader ran");
        Assert.True(File.Exists(Path.Combine(output, "runtimes/linux-x64/native/libtorchenv_stdcxx_compat.so")));
    }

    [Fact]
    public void SecondBuildRunsNoneOfTorchEnvsWork()
    {
        var project = fixture.Locked.Project;
        Assert.True(fixture.Locked.FirstBuild.Succeeded, fixture.Locked.FirstBuild.ToString());

        var again = project.Build("-v:d");

        Assert.True(again.Succeeded, again.ToString());
        foreach (var target in WorkTargets)
        {
            Assert.Contains($"Skipping target \"{target}\" because all output files are up-to-date", again.Output, StringComparison.Ordinal);
        }

        foreach (var task in TaskNames)
        {
            Assert.DoesNotContain($"Task \"{task}\"", again.Output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("TENV04", again.Output, StringComparison.Ordinal);

        // A source edit recompiles; the skipped generation step still contributes TorchEnvironment (output inference).
        File.SetLastWriteTimeUtc(project.PathOf("Program.cs"), DateTime.UtcNow);
        var edited = project.Build("-v:d");
        Assert.True(edited.Succeeded, edited.ToString());
        Assert.Contains("Skipping target \"_TorchEnvGenerateEnvironmentSource\"", edited.Output, StringComparison.Ordinal);
        Assert.Contains("Building target \"CoreCompile\" completely", edited.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void EditedSpecFailsInCiWithTheLockUntouchedAndRelocksOutsideCi()
    {
        var project = fixture.CopyOfLocked("edited");
        var lockBefore = project.ReadFile("environment.lock.yml");
        project.WriteFile("environment.yml", SdkEndToEndFixture.Spec + "  - nuget:\n      - Spectre.Console=0.57.2\n");

        var ci = project.Build(new Dictionary<string, string?> { ["CI"] = "true" });

        Assert.False(ci.Succeeded, ci.ToString());
        Assert.Matches(@"environment\.lock\.yml\(\d+,\d+\): TorchEnv error TENV0231", ci.Output);
        Assert.Equal(lockBefore, project.ReadFile("environment.lock.yml"));

        var local = project.Build();

        Assert.True(local.Succeeded, local.ToString());
        Assert.Contains("TENV0421", local.Output, StringComparison.Ordinal);
        var relocked = LockFileReader.Read(project.PathOf("environment.lock.yml")).Find("cpu", "linux-x64");
        Assert.NotNull(relocked);
        Assert.NotNull(relocked.Find("Spectre.Console"));
        Assert.Contains("Spectre.Console/0.57.2", project.RestoredPackages());
    }

    [Fact]
    public void ALockWithAChangedPackageHashFailsTheBuild()
    {
        var project = fixture.CopyOfLocked("tampered");
        var lines = project.ReadFile("environment.lock.yml").Split('\n');
        var (idLine, hashLine) = PackageHashLine(lines, "linux-x64", "TorchSharp");
        var hash = lines[hashLine][(lines[hashLine].IndexOf(':') + 1)..].Trim().Trim('"');
        lines[hashLine] = lines[hashLine].Replace(hash, (hash[0] == 'A' ? "B" : "A") + hash[1..], StringComparison.Ordinal);
        project.WriteFile("environment.lock.yml", string.Join('\n', lines));

        var build = project.Build();

        Assert.False(build.Succeeded, build.ToString());
        var error = LockError().Match(build.Output);
        Assert.True(error.Success, build.ToString());
        Assert.Equal("TENV0410", error.Groups["code"].Value);
        Assert.InRange(int.Parse(error.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), idLine + 1, hashLine + 1);
    }

    [Fact]
    public void RidSpecificBuildRestoresThatPlatformsLockedPackages()
    {
        var project = fixture.CopyOfLocked("winx64", "<UseAppHost>false</UseAppHost>");

        var build = project.Build("-r", "win-x64");

        Assert.True(build.Succeeded, build.ToString());
        var entry = LockFileReader.Read(project.PathOf("environment.lock.yml")).Find("cpu", "win-x64");
        Assert.NotNull(entry);
        var restored = project.RestoredPackages();
        Assert.Contains("libtorch-cpu-win-x64/2.10.0", restored);
        Assert.DoesNotContain(restored, p => p.StartsWith("libtorch-cpu-linux-x64/", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(entry.Packages.Select(p => $"{p.Id}/{p.Version}").Order(StringComparer.OrdinalIgnoreCase), restored.Order(StringComparer.OrdinalIgnoreCase));
        Assert.DoesNotContain("TENV0312", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeCompatOffGivesTheClearAbiErrorInsteadOfTorchSharpsMisleadingOne()
    {
        var project = fixture.CopyOfLocked("compat-off", "<TorchEnvNativeCompat>off</TorchEnvNativeCompat>");

        var build = project.Build();

        Assert.False(build.Succeeded, build.ToString());
        Assert.Contains("error TENV0311", build.Output, StringComparison.Ordinal);
        Assert.Contains("GLIBCXX_3.4.32", build.Output, StringComparison.Ordinal);
        Assert.Contains("TorchEnvNativeCompat", build.Output, StringComparison.Ordinal);
        Assert.Contains("Ubuntu 24.04", build.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("doesn't contain a reference", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void GlobalJsonMsbuildSdksFormPublishesThePatchedCopyAndWarningsAreSuppressible()
    {
        var project = fixture.CopyOfLocked("globaljson", "<NoWarn>$(NoWarn);TENV0312</NoWarn>", sdk: "TorchEnv.Sdk");
        project.WriteGlobalJson("TorchEnv.Sdk", fixture.SdkVersion);

        var publish = project.Dotnet("publish", "-nologo", "-o", "pub");

        Assert.True(publish.Succeeded, publish.ToString());
        Assert.DoesNotContain("warning TENV0312", publish.Output, StringComparison.Ordinal);
        var native = project.PathOf("pub/runtimes/linux-x64/native/");
        Assert.True(File.Exists(native + "libtorchenv_stdcxx_compat.so"), publish.ToString());
        var patched = Directory.GetFiles(project.PathOf("obj"), "libLibTorchSharp.so", SearchOption.AllDirectories).Single();
        Assert.Equal(File.ReadAllBytes(patched), File.ReadAllBytes(native + "libLibTorchSharp.so"));

        var run = project.Dotnet($"pub/{project.Name}.dll");
        Assert.True(run.Succeeded, run.ToString());
        Assert.Contains("sum=10 dot=30", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void WarningsCanAlsoBeDemotedWithMSBuildWarningsAsMessages()
    {
        var project = fixture.CopyOfLocked("asmessages");

        var restore = project.Dotnet("msbuild", "-nologo", "-restore", "-t:ResolveReferences", "-p:MSBuildWarningsAsMessages=TENV0312", "-v:d");

        Assert.True(restore.Succeeded, restore.ToString());
        Assert.DoesNotContain("warning TENV0312", restore.Output, StringComparison.Ordinal);
        Assert.Contains("TENV0312: This host's libstdc++", restore.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void DesignTimeBuildWithoutLockNeverLocks()
    {
        var project = fixture.CreateProject("designtime");
        project.WriteProject($"TorchEnv.Sdk/{fixture.SdkVersion}", SdkEndToEndFixture.ProjectBody());
        project.WriteFile("environment.yml", SdkEndToEndFixture.Spec);

        // What an IDE runs to read a project's package references.
        var designTime = project.Dotnet("msbuild", "-nologo", "-t:CollectPackageReferences", "-p:DesignTimeBuild=true", "-v:n");

        Assert.True(designTime.Succeeded, designTime.ToString());
        Assert.Contains("TENV0422", designTime.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(project.PathOf("environment.lock.yml")));
    }

    [Fact]
    public void ProjectsOfASolutionRestoringInParallelWriteOneLock()
    {
        var root = fixture.CreateProject("solution");
        root.WriteFile("environment.yml", SdkEndToEndFixture.Spec);
        foreach (var name in new[] { "first", "second" })
        {
            root.WriteFile($"{name}/{name}.csproj", $"<Project Sdk=\"TorchEnv.Sdk/{fixture.SdkVersion}\">\n{SdkEndToEndFixture.ProjectBody()}\n</Project>\n");
            root.WriteFile($"{name}/Program.cs", "System.Console.WriteLine(1);\n");
        }

        var solution = root.Dotnet("new", "sln", "-n", "all", "--format", "sln");
        Assert.True(solution.Succeeded, solution.ToString());
        var added = root.Dotnet("sln", "all.sln", "add", "first/first.csproj", "second/second.csproj");
        Assert.True(added.Succeeded, added.ToString());

        var restore = root.Dotnet("restore", "all.sln", "-m:2");

        Assert.True(restore.Succeeded, restore.ToString());
        Assert.Single(Regex.Matches(restore.Output, "TENV0420"));
        var environmentLock = LockFileReader.Read(root.PathOf("environment.lock.yml"));
        Assert.NotNull(environmentLock.Find("cpu", "linux-x64"));
        // Neither the build's guard file nor the writer's lock file nor a temporary file is left behind.
        Assert.Equal(["environment.lock.yml", "environment.yml"], Directory.GetFiles(root.Directory, "environment*").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TorchEnvVariantSelectsTheCudaVariantOfTheSameLock()
    {
        // CUDA packages are not served here: a local feed mirrors their ids, dependencies and layout with tiny files.
        var project = fixture.CreateProject("cuda");
        var feed = project.PathOf("cuda-feed");
        CudaFixtureFeed.Build(new LocalFeed(feed), new CudaFixtureOptions { Windows = false });
        project.WriteProject($"TorchEnv.Sdk/{fixture.SdkVersion}", SdkEndToEndFixture.ProjectBody());
        project.WriteFile("Program.cs", "System.Console.WriteLine(E2eApp.TorchEnvironment.Device);\n");
        project.WriteFile("environment.yml", """
            name: e2e_net10_multi
            channels: [nuget.org, ./cuda-feed]
            platforms: [linux-x64]
            dependencies:
              - torchsharp=0.107.0
            variants:
              cpu:
                dependencies: [cpu]
              cuda:
                dependencies: [cuda=12.8, cudnn=9]

            """);

        // Restore and generate only: the tiny CUDA files are not meant to load.
        var restore = project.Dotnet("msbuild", "-nologo", "-restore", "-t:GenerateTorchEnvironment", "-p:TorchEnvVariant=cuda");

        Assert.True(restore.Succeeded, restore.ToString());
        var environmentLock = LockFileReader.Read(project.PathOf("environment.lock.yml"));
        Assert.NotNull(environmentLock.Find("cpu", "linux-x64"));
        var cuda = environmentLock.Find("cuda", "linux-x64");
        Assert.NotNull(cuda);
        var restored = project.RestoredPackages();
        Assert.Equal(cuda.Packages.Select(p => $"{p.Id}/{p.Version}").Order(StringComparer.OrdinalIgnoreCase), restored.Order(StringComparer.OrdinalIgnoreCase));
        Assert.Contains("libtorch-cuda-12.8-linux-x64/2.10.0", restored);
        Assert.DoesNotContain(restored, p => p.StartsWith("libtorch-cpu", StringComparison.OrdinalIgnoreCase));
        var generated = File.ReadAllText(Directory.GetFiles(project.PathOf("obj"), "*.TorchEnvironment.g.cs", SearchOption.AllDirectories).Single());
        Assert.Contains("public const string Variant = \"cuda\";", generated, StringComparison.Ordinal);
        Assert.Contains("public const string? CudaVersion = \"12.8\";", generated, StringComparison.Ordinal);
        Assert.Contains("public const string? CudnnVersion = \"9", generated, StringComparison.Ordinal);

        // NuGet.config does not list the spec's ./cuda-feed channel: restore finds the packages there because the
        // build hands it the lock's sources. Forget the installed CUDA packages and restore again to prove it.
        foreach (var installed in Directory.GetDirectories(fixture.NuGetPackages, "*cuda*"))
        {
            Directory.Delete(installed, recursive: true);
        }

        Directory.Delete(project.PathOf("obj"), recursive: true);
        var again = project.Dotnet("restore", "-p:TorchEnvVariant=cuda");
        Assert.True(again.Succeeded, again.ToString());
        Assert.Contains("libtorch-cuda-12.8-linux-x64/2.10.0", project.RestoredPackages());
    }


    /// <summary>The 0-based lines of a package's <c>- id:</c> and <c>sha512:</c> in the entry of a platform.</summary>
    private static (int IdLine, int HashLine) PackageHashLine(string[] lines, string platform, string id)
    {
        var platformLine = Array.FindIndex(lines, l => l.Trim() == $"platform: {platform}");
        var idLine = Array.FindIndex(lines, platformLine, l => l.Trim() == $"- id: {id}");
        var hashLine = Array.FindIndex(lines, idLine, l => l.TrimStart().StartsWith("sha512:", StringComparison.Ordinal));
        Assert.True(platformLine >= 0 && idLine > platformLine && hashLine > idLine, string.Join('\n', lines));
        return (idLine, hashLine);
    }

    [GeneratedRegex(@"^mapped: (?<path>.+)$", RegexOptions.Multiline)]
    private static partial Regex MappedLine();

    [GeneratedRegex(@"environment\.lock\.yml\((?<line>\d+),\d+\): TorchEnv error (?<code>TENV\d{4})")]
    private static partial Regex LockError();
}
