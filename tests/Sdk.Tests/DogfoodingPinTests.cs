using System.Text.Json;
using System.Xml.Linq;
using TorchEnv.TestSupport;

namespace TorchEnv.Sdk.Tests;

/// <summary>
/// The repository's own TorchEnv.Sdk projects (tests/Training.Tests, bench/training) name the SDK without a version;
/// the root global.json pins it (<c>msbuild-sdks</c>), and it must be the version this repository packs, or they would
/// build on another (or a missing) TorchEnv.Sdk than the one eng/test.sh just packed.
/// </summary>
public sealed class DogfoodingPinTests
{
    [Fact]
    public void Global_json_pins_TorchEnv_Sdk_to_the_repository_VersionPrefix()
    {
        var root = RepositoryRoot.Get();
        using var globalJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "global.json")));
        var pinned = globalJson.RootElement.GetProperty("msbuild-sdks").GetProperty("TorchEnv.Sdk").GetString();

        var versionPrefix = XDocument.Load(Path.Combine(root, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

        Assert.Equal(versionPrefix, pinned);
    }

    [Theory]
    [InlineData("tests/Training.Tests/TorchEnv.Training.Tests.csproj")]
    [InlineData("bench/training/TemplateApp/TemplateApp.csproj")]
    [InlineData("bench/training/PlainLoop/PlainLoop.csproj")]
    [InlineData("bench/training/DecodeSpeed/DecodeSpeed.csproj")]
    public void Dogfooded_projects_take_the_version_from_global_json(string project)
    {
        var sdk = XDocument.Load(Path.Combine(RepositoryRoot.Get(), project)).Root!.Attribute("Sdk")?.Value;

        Assert.Equal("TorchEnv.Sdk", sdk);
    }
}
