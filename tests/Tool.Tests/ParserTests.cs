using System.CommandLine;
using TorchEnv.Tool.Cli;
using TorchEnv.Tool.Commands;

namespace TorchEnv.Tool.Tests;

/// <summary>Every command and option of the real command tree parses (dotnet/format's ProgramTests style).</summary>
public sealed class ParserTests
{
    private static readonly ToolHost Host = new()
    {
        Out = TextWriter.Null,
        Error = TextWriter.Null,
        WorkingDirectory = Path.GetTempPath(),
        GetEnvironmentVariable = _ => null,
    };

    public static TheoryData<string> ValidCommandLines => new()
    {
        "init",
        "init --device cpu",
        "init --device cuda --name mnist_torchsharp_cuda --force",
        "init -f sub/environment.yml",
        "init --platform linux-x64",
        "init --platform linux-x64 win-x64 --platform osx-arm64",
        "lock",
        "lock --check",
        "lock --update",
        "lock --update TorchSharp",
        "lock --update TorchSharp libtorch-cpu-linux-x64",
        "lock --update TorchSharp --update Google.Protobuf",
        "lock --locked",
        "lock --frozen",
        "lock --file env/environment.yml --lock-file env/other.lock.yml",
        "lock --json --verbose",
        "--json lock --check",
        "verify",
        "verify --deep",
        "verify --assets-file obj/project.assets.json",
        "lock --check --no-warn TENV0239",
        "lock --check --no-warn TENV0239 TENV0257",
        "--no-warn TENV0239,TENV0257 verify",
        "verify --variant cpu --platform linux-x64",
        "verify --locked -f environment.yml",
        "verify --frozen --lock-file environment.lock.yml",
        "why TorchSharp",
        "why libtorch-cpu-linux-x64 --variant cpu --platform linux-x64",
        "why TorchSharp --frozen --json",
        "why TorchSharp --locked",
        "diff old.lock.yml new.lock.yml",
        "diff old.lock.yml new.lock.yml --variant cuda --platform win-x64 --json",
        "export",
        "export --project src/App/App.csproj --output environment.yml --force",
        "export -p App -o env.yml --from-history --json",
        "export --project All.sln",
        "adopt",
        "adopt All.slnx --dry-run --json",
        "adopt src --force --from-history --no-lock",
        "doctor",
        "doctor --variant cuda --platform linux-x64 --lock-file environment.lock.yml --json",
        "dockerfile",
        "dockerfile --variant cuda --project src/Train/Train.csproj --force --locked",
        "dockerfile --frozen -f environment.yml",
        "cache list",
        "cache list --json",
        "cache prune",
        "cache prune --dry-run --min-age 0",
        "__native-probe /tmp/stage cpu",
        "--version",
        "--help",
        "lock --help",
    };

    [Theory]
    [MemberData(nameof(ValidCommandLines))]
    public void Command_line_parses_without_errors(string commandLine)
    {
        var result = TorchEnvCommand.Create(Host).Parse(commandLine);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Common_options_have_their_defaults()
    {
        var result = TorchEnvCommand.Create(Host).Parse("lock");

        Assert.Equal("environment.yml", result.GetValue(CommonOptions.File));
        Assert.Null(result.GetValue(CommonOptions.LockFile));
        Assert.False(result.GetValue(CommonOptions.Json));
        Assert.False(result.GetValue(CommonOptions.Locked));
        Assert.False(result.GetValue(CommonOptions.Frozen));
    }

    [Fact]
    public void Update_takes_several_ids_after_one_flag()
    {
        var result = TorchEnvCommand.Create(Host).Parse("lock --update TorchSharp libtorch-cpu-linux-x64");

        Assert.Equal(["TorchSharp", "libtorch-cpu-linux-x64"], result.GetValue<string[]>("--update") ?? []);
    }

    [Fact]
    public void Update_without_ids_is_given_but_empty()
    {
        var result = TorchEnvCommand.Create(Host).Parse("lock --update");

        Assert.NotNull(result.GetResult("--update"));
        Assert.Empty(result.GetValue<string[]>("--update") ?? []);
    }

    [Theory]
    [InlineData("why")]
    [InlineData("diff only-one.lock.yml")]
    [InlineData("init --device")]
    [InlineData("verify --platform")]
    [InlineData("lock extra-argument")]
    [InlineData("export --project")]
    [InlineData("cache")]
    [InlineData("cache clean")]
    [InlineData("cache prune --min-age soon")]
    [InlineData("doctor extra-argument")]
    public void Incomplete_or_extra_arguments_are_errors(string commandLine)
    {
        var result = TorchEnvCommand.Create(Host).Parse(commandLine);

        Assert.NotEmpty(result.Errors);
    }
}
