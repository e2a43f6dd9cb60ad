using TorchEnv.Core.Diagnostics;
using TorchEnv.Core.Packages;
using TorchEnv.Core.Spec;
using TorchEnv.TestSupport;

namespace TorchEnv.Core.Tests.Packages;

public sealed class PackageSourceSetTests : IDisposable
{
    private readonly TempDirectory _temp = new("torchenv-sources");
    private readonly string _spec;

    public PackageSourceSetTests()
    {
        Directory.CreateDirectory(_temp.Combine("feeds", "local"));
        _temp.WriteFile("repo/NuGet.config", """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="company" value="https://nuget.example.com/v3/index.json" />
                <add key="mirror" value="https://mirror.example.com/v3/index.json" />
                <add key="old" value="https://old.example.com/v3/index.json" />
              </packageSources>
              <disabledPackageSources>
                <add key="old" value="true" />
              </disabledPackageSources>
              <packageSourceCredentials>
                <company>
                  <add key="Username" value="ci" />
                  <add key="ClearTextPassword" value="secret" />
                </company>
              </packageSourceCredentials>
              <config>
                <add key="globalPackagesFolder" value="packages-from-config" />
              </config>
            </configuration>
            """);
        _spec = _temp.WriteFile("repo/app/environment.yml", "# not read\n");
    }

    public void Dispose() => _temp.Dispose();

    private PackageSourceSet Load(params string[] channels) =>
        PackageSourceSet.Load(_spec, channels.Select((c, i) => new ChannelSpec(c, new SourceLocation(_spec, 2, 12 + (3 * i)))).ToList());

    [Fact]
    public void A_source_name_selects_the_configured_source_with_its_credentials()
    {
        var source = Assert.Single(Load("company").Sources);

        Assert.Equal("https://nuget.example.com/v3/index.json", source.Source);
        Assert.Equal("ci", source.Credentials!.Username);
    }

    [Fact]
    public void A_url_that_nuget_config_lists_gets_its_credentials_and_another_url_gets_none()
    {
        var sources = Load("https://nuget.example.com/v3/index.json", "https://other.example.com/v3/index.json").Sources;

        Assert.Equal("ci", sources[0].Credentials!.Username);
        Assert.Null(sources[1].Credentials);
    }

    [Fact]
    public void Without_channels_the_enabled_sources_of_nuget_config_apply_in_order()
    {
        Assert.Equal(["company", "mirror"], Load().Sources.Select(s => s.Name));
    }

    [Fact]
    public void A_local_folder_is_relative_to_the_spec_and_recorded_relative_to_it()
    {
        var set = Load("../../feeds/local");

        Assert.Equal(_temp.Combine("feeds", "local"), set.Sources[0].Source);
        Assert.Equal("../../feeds/local", set.Describe(set.Sources[0]));
        Assert.Same(set.Sources[0], set.FindByDescription("../../feeds/local"));
    }

    [Fact]
    public void The_global_packages_folder_is_NUGET_PACKAGES_else_nuget_config_unless_given()
    {
        // NuGet's documented precedence: the variable (CI may set it) wins over every NuGet.config.
        var expected = Environment.GetEnvironmentVariable(GlobalPackagesFolderLocator.EnvironmentVariable) is { Length: > 0 } variable
            ? Path.GetFullPath(variable)
            : _temp.Combine("repo", "packages-from-config");
        Assert.Equal(expected, Load("company").GlobalPackagesFolder);
        Assert.Equal(_temp.Combine("mine"), PackageSourceSet.Load(_spec, [], _temp.Combine("mine")).GlobalPackagesFolder);
    }

    [Fact]
    public void The_locator_takes_NUGET_PACKAGES_from_the_environment_it_is_given_over_nuget_config()
    {
        var app = Path.GetDirectoryName(_spec)!;

        Assert.Equal(_temp.Combine("repo", "packages-from-config"), GlobalPackagesFolderLocator.For(app, _ => null));
        Assert.Equal(_temp.Combine("shared"), GlobalPackagesFolderLocator.For(app, name => name == "NUGET_PACKAGES" ? _temp.Combine("shared") : null));
        Assert.Equal(_temp.Combine("repo", "app", "relative"), GlobalPackagesFolderLocator.For(app, name => name == "NUGET_PACKAGES" ? "relative" : null));
    }

    [Fact]
    public void Without_NUGET_PACKAGES_or_a_setting_the_folder_is_nugets_default_under_the_home_folder()
    {
        using var bare = new TempDirectory("torchenv-sources-bare");
        bare.WriteFile("NuGet.config", "<configuration><config><clear /></config></configuration>");

        var folder = GlobalPackagesFolderLocator.For(bare.Path, _ => null);

        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"), folder);
    }

    [Fact]
    public void A_disabled_source_and_an_unknown_name_are_errors_at_their_channels()
    {
        var error = Assert.Throws<TorchEnvException>(() => Load("old", "compnay"));

        Assert.Equal(["TENV0214", "TENV0200"], error.Diagnostics.Select(d => d.Code));
        Assert.Equal((2, 15), (error.Diagnostics[1].Location!.Line, error.Diagnostics[1].Location!.Column));
        Assert.Contains("Did you mean 'company'?", error.Diagnostics[1].Message);
        Assert.Contains("company, mirror, old", error.Diagnostics[1].Message);
    }
}
