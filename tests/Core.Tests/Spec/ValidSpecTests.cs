using NuGet.Versioning;
using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Spec;

namespace TorchEnv.Core.Tests.Spec;

/// <summary>Specs a user writes on purpose: what TorchEnv reads out of them.</summary>
public sealed class ValidSpecTests
{
    [Fact]
    public void Reads_the_design_example()
    {
        var spec = SpecTestFiles.Parse(SpecTestFiles.DesignExample);

        Assert.Equal("mnist_torchsharp_cpu", spec.Name);
        Assert.Equal(EnvironmentPolicy.Research, spec.Policy);
        var channel = Assert.Single(spec.Channels);
        Assert.Equal(("nuget.org", ChannelKind.SourceName), (channel.Value, channel.Kind));

        // No variants: key, one implicit variant named after its device.
        var variant = Assert.Single(spec.Variants);
        Assert.Equal("cuda", variant.Name);
        Assert.True(variant.IsCuda);
        Assert.Equal(["linux-x64", "win-x64", "osx-arm64"], variant.Platforms);
        Assert.Equal("net10.0", variant.Framework.GetShortFolderName());
        Assert.Equal(
            [
                (DependencyKind.DotnetSdk, "dotnet-sdk", "[10.0.0, 10.1.0)"),
                (DependencyKind.TorchSharp, "torchsharp", "[0.107.0, 0.108.0)"),
                (DependencyKind.Cuda, "cuda", "[12.8.0, 12.8.0]"),
                (DependencyKind.Cudnn, "cudnn", "[9.0.0, 10.0.0)"),
                (DependencyKind.TorchVision, "torchvision", "[0.107.0, 0.107.0]"),
                (DependencyKind.NuGet, "Spectre.Console", "[0.57.2, 0.57.2]"),
            ],
            variant.Dependencies.Select(d => (d.Kind, d.Name, d.Range.ToNormalizedString())));
    }

    [Fact]
    public void Dependencies_keep_their_text_and_location()
    {
        var torchSharp = SpecTestFiles.Parse(SpecTestFiles.DesignExample).DefaultVariant.Find(DependencyKind.TorchSharp)!;

        Assert.Equal("torchsharp=0.107.*", torchSharp.Text);
        Assert.Equal("0.107.*", torchSharp.VersionText);
        Assert.Equal(new SourceLocation(SpecTestFiles.FileName, 7, 5), torchSharp.Location);
        Assert.False(torchSharp.IsExactPin);
    }

    [Fact]
    public void Reads_cpu_and_cuda_variants_side_by_side()
    {
        var spec = SpecTestFiles.Parse(SpecTestFiles.CpuAndCudaVariants);

        Assert.Equal(["cpu", "cuda"], spec.Variants.Select(v => v.Name));
        Assert.Equal("cpu", spec.DefaultVariant.Name);
        var cpu = spec.FindVariant("CPU")!;
        var cuda = spec.FindVariant("cuda")!;
        Assert.False(cpu.IsCuda);
        Assert.True(cuda.IsCuda);
        Assert.Equal(["linux-x64", "win-x64", "osx-arm64"], cpu.Platforms);
        Assert.Equal(["linux-x64", "win-x64"], cuda.Platforms);
        Assert.Equal(["dotnet-sdk", "torchsharp", "torchvision", "cpu"], cpu.Dependencies.Select(d => d.Name));
        Assert.Equal(["dotnet-sdk", "torchsharp", "torchvision", "cuda", "cudnn"], cuda.Dependencies.Select(d => d.Name));
        Assert.Equal(new SourceLocation(SpecTestFiles.FileName, 9, 3), cpu.Location);
        Assert.Equal(new SourceLocation(SpecTestFiles.FileName, 11, 28), cpu.PlatformLocations["win-x64"]);
    }

    [Fact]
    public void A_variant_overrides_top_level_entries_by_name_in_place()
    {
        const string yaml = """
            name: demo
            platforms: [linux-x64]
            dependencies:
              - torchsharp=0.107.*
              - cuda=12.8
              - cudnn=9
              - nuget: [Spectre.Console=0.57.2, Humanizer=2.14.1]
            variants:
              train: {}
              ci:
                dependencies:
                  - cpu
                  - torchsharp=0.106.0
                  - nuget: [spectre.console=0.57.1, Serilog=4.0.0]
            """;

        var spec = SpecTestFiles.Parse(yaml);

        Assert.Equal(["torchsharp", "cuda", "cudnn", "Spectre.Console", "Humanizer"], spec.FindVariant("train")!.Dependencies.Select(d => d.Name));
        var ci = spec.FindVariant("ci")!;
        // cpu takes cuda's place; the inherited cudnn only applies to CUDA builds and is dropped.
        Assert.Equal(
            ["torchsharp=0.106.0", "cpu", "spectre.console=0.57.1", "Humanizer=2.14.1", "Serilog=4.0.0"],
            ci.Dependencies.Select(d => d.Text));
        Assert.False(ci.IsCuda);
    }

    [Fact]
    public void Reads_a_production_spec()
    {
        var spec = SpecTestFiles.Parse(SpecTestFiles.Production);

        Assert.Equal(EnvironmentPolicy.Production, spec.Policy);
        Assert.All(spec.DefaultVariant.Dependencies, d => Assert.True(d.IsExactPin, d.Text));
        Assert.Equal("net10.0", spec.DefaultVariant.Framework.GetShortFolderName());
        Assert.Equal([ChannelKind.Url, ChannelKind.LocalFolder], spec.Channels.Select(c => c.Kind));
    }

    [Fact]
    public void Reads_any_nuget_package_in_the_nuget_sub_list()
    {
        const string yaml = """
            name: demo
            platforms: [linux-x64]
            dependencies:
              - torchsharp=0.107.*
              - nuget:
                  - Spectre.Console=0.57.2
                  - Microsoft.Extensions.Logging>=9.0,<11
                  - "Humanizer.Core 2.14.*"
                  - Newtonsoft.Json
            """;

        var packages = SpecTestFiles.Parse(yaml).DefaultVariant.Dependencies.Where(d => d.Kind == DependencyKind.NuGet).ToList();

        Assert.Equal(
            [
                ("Spectre.Console", "[0.57.2, 0.57.2]"),
                ("Microsoft.Extensions.Logging", "[9.0.0, 11.0.0)"),
                ("Humanizer.Core", "[2.14.0, 2.15.0)"),
                ("Newtonsoft.Json", "(, )"),
            ],
            packages.Select(p => (p.Name, p.Range.ToNormalizedString())));
        Assert.Equal(new SourceLocation(SpecTestFiles.FileName, 8, 9), packages[2].Location);
    }

    [Fact]
    public void Reads_channels_of_all_three_kinds()
    {
        const string yaml = """
            name: demo
            platforms: [linux-x64]
            channels:
              - nuget.org
              - My Company Feed
              - https://api.nuget.org/v3/index.json
              - http://localhost:5555/v3/index.json
              - ./packages
              - ../shared/feed
              - /srv/nuget
              - ~/feeds/local
              - C:\feeds\local
            """;

        var channels = SpecTestFiles.Parse(yaml).Channels;

        Assert.Equal(
            [
                ChannelKind.SourceName, ChannelKind.SourceName, ChannelKind.Url, ChannelKind.Url, ChannelKind.LocalFolder,
                ChannelKind.LocalFolder, ChannelKind.LocalFolder, ChannelKind.LocalFolder, ChannelKind.LocalFolder,
            ],
            channels.Select(c => c.Kind));
        Assert.Equal("My Company Feed", channels[1].Value);
    }

    [Fact]
    public void Relative_folder_channels_resolve_from_the_spec_folder()
    {
        var root = Path.Combine(Path.GetTempPath(), "torchenv-spec-tests", "project");
        var spec = EnvironmentSpecReader.Parse("name: demo\nplatforms: [linux-x64]\nchannels: [./packages, ../feed]\n", Path.Combine(root, "environment.yml"));

        Assert.Equal(Path.Combine(root, "packages"), spec.Channels[0].ResolveFolder());
        Assert.Equal(Path.GetFullPath(Path.Combine(root, "..", "feed")), spec.Channels[1].ResolveFolder());
        Assert.Equal(Path.Combine(root, "environment.yml"), spec.FilePath);
    }

    [Theory]
    [InlineData("dependencies: [torchsharp=0.107.*]", "net10.0")]
    [InlineData("dependencies: [dotnet-sdk=8.0.*]", "net8.0")]
    [InlineData("dependencies: [dotnet-sdk==9.0.305]", "net9.0")]
    [InlineData("framework: net8.0\ndependencies: [dotnet-sdk=10.0.*]", "net8.0")]
    [InlineData("framework: net9.0", "net9.0")]
    public void Framework_comes_from_the_key_else_the_sdk_major_else_net10(string lines, string expected) =>
        Assert.Equal(expected, SpecTestFiles.Parse("name: demo\nplatforms: [linux-x64]\n" + lines + "\n").DefaultVariant.Framework.GetShortFolderName());

    [Fact]
    public void Each_variant_derives_its_framework_from_its_own_sdk()
    {
        const string yaml = """
            name: demo
            platforms: [linux-x64]
            dependencies: [dotnet-sdk=10.0.*]
            variants:
              current: {}
              lts:
                dependencies: [dotnet-sdk=8.0.*]
            """;

        var spec = SpecTestFiles.Parse(yaml);

        Assert.Equal(["net10.0", "net8.0"], spec.Variants.Select(v => v.Framework.GetShortFolderName()));
    }

    [Theory]
    [InlineData("dependencies: [torchsharp=0.107.*]", "cpu")]
    [InlineData("dependencies: [torchsharp=0.107.*, cpu]", "cpu")]
    [InlineData("dependencies: [cuda=12.8]", "cuda")]
    [InlineData("", "cpu")]
    public void Without_variants_the_one_variant_is_named_after_its_device(string lines, string expected) =>
        Assert.Equal(expected, Assert.Single(SpecTestFiles.Parse("name: demo\nplatforms: [linux-x64]\n" + lines + "\n").Variants).Name);

    [Fact]
    public void Anchors_and_aliases_share_values_without_copying_errors()
    {
        const string yaml = """
            name: demo
            platforms: &everywhere [linux-x64, win-x64]
            dependencies: [torchsharp=0.107.*]
            variants:
              cpu:
                dependencies: &cpu [cpu]
                platforms: *everywhere
              cpu-too:
                dependencies: *cpu
            """;

        var spec = SpecTestFiles.Parse(yaml);

        Assert.Equal(["linux-x64", "win-x64"], spec.FindVariant("cpu")!.Platforms);
        Assert.Equal(["torchsharp", "cpu"], spec.FindVariant("cpu-too")!.Dependencies.Select(d => d.Name));
    }

    [Fact]
    public void Known_names_are_case_insensitive_and_flow_style_and_quotes_are_fine()
    {
        var spec = SpecTestFiles.Parse("{name: \"demo\", platforms: ['linux-x64'], dependencies: ['TorchSharp=0.107.0', CUDA=12.8], channels: []}");

        var variant = spec.DefaultVariant;
        Assert.Equal(["torchsharp", "cuda"], variant.Dependencies.Select(d => d.Name));
        Assert.Equal(VersionRange.Parse("[0.107.0]"), variant.Find(DependencyKind.TorchSharp)!.Range);
        Assert.Empty(spec.Channels);
    }

    [Fact]
    public void Empty_optional_keys_mean_not_given()
    {
        var spec = SpecTestFiles.Parse("name: demo\nplatforms: [linux-x64]\nchannels:\ndependencies:\n");

        Assert.Empty(spec.Channels);
        Assert.Empty(spec.DefaultVariant.Dependencies);
    }

    [Fact]
    public void Reads_a_file_from_disk() => WithSpecFile(SpecTestFiles.CpuAndCudaVariants, path =>
    {
        var spec = EnvironmentSpecReader.Read(path);

        Assert.Equal(path, spec.FilePath);
        Assert.Equal(path, spec.DefaultVariant.Location.File);
    });

    [Fact]
    public void A_missing_file_is_a_coded_error()
    {
        var path = Path.Combine(Path.GetTempPath(), "torchenv-no-such-folder", "environment.yml");

        var diagnostic = Assert.Throws<TorchEnvException>(() => EnvironmentSpecReader.Read(path)).Diagnostic;

        Assert.Equal(("TENV0008", path, 1), (diagnostic.Code, diagnostic.Location!.File, diagnostic.Location.Line));
        Assert.Contains("torchenv init", diagnostic.Fix);
    }

    [Fact]
    public void A_file_over_one_mebibyte_is_rejected_before_it_is_read() =>
        WithSpecFile("name: demo\n# " + new string('x', 1024 * 1024) + "\n", path =>
        {
            var diagnostic = Assert.Throws<TorchEnvException>(() => EnvironmentSpecReader.Read(path)).Diagnostic;

            Assert.Equal("TENV0002", diagnostic.Code);
            Assert.Contains("1,048,5", diagnostic.Message);
        });

    private static void WithSpecFile(string text, Action<string> test)
    {
        var folder = Directory.CreateTempSubdirectory("torchenv-spec-");
        try
        {
            var path = Path.Combine(folder.FullName, EnvironmentSpecReader.DefaultFileName);
            File.WriteAllText(path, text);
            test(path);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
