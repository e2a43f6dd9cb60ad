using System.Text;
using TorchEnv.Core.Diagnostics;

namespace TorchEnv.Core.Tests.Spec;

/// <summary>
/// One row per broken spec a user could write: each must fail with its code, at the line and column of the fault,
/// with a message or fix that tells the user what to do.
/// </summary>
public sealed class MalformedSpecTests
{
    private const string Head = "name: demo\nplatforms: [linux-x64]\n";

    public static TheoryData<string, string, string, int, int, string> Cases => new()
    {
        // ---- YAML syntax ----
        { "indentation", "name: demo\n  platforms: [linux-x64]\n", "TENV0001", 2, 12, "not valid YAML" },
        { "unclosed quote", "name: 'demo\nplatforms: [linux-x64]\n", "TENV0001", 1, 7, "quoted scalar" },
        { "unclosed flow list", "name: demo\nplatforms: [linux-x64\ndependencies: [cpu]\n", "TENV0001", 3, 1, "unclosed [" },
        { "undefined alias", Head + "dependencies: *deps\n", "TENV0001", 3, 15, "refers to no anchor &deps" },
        { "reserved character", "name: @demo\n", "TENV0001", 1, 7, "cannot start any token" },
        { "two documents", "name: a\nplatforms: [linux-x64]\n---\nname: b\n", "TENV0010", 3, 1, "more than one YAML document" },
        { "empty file", "# nothing here\n", "TENV0009", 1, 1, "an empty file" },
        { "list at top", "- torchsharp=0.107.*\n", "TENV0009", 1, 1, "found a list" },

        // ---- limits and tags ----
        { "deep nesting", Head + "variants:\n  cpu:\n    dependencies: " + new string('[', 20) + new string(']', 20) + "\n", "TENV0003", 5, 32, "levels deep" },
        { "python tag", "name: !!python/object:os.system demo\nplatforms: [linux-x64]\n", "TENV0006", 1, 7, "'!!python/object:os.system' is not allowed" },
        { "local tag", Head + "dependencies:\n  - !cmd torchsharp\n", "TENV0006", 4, 5, "'!cmd'" },

        // ---- duplicate keys ----
        { "duplicate name", "name: a\nplatforms: [linux-x64]\nname: b\n", "TENV0007", 3, 1, "first at line 1, column 1" },
        { "duplicate variant", Head + "variants:\n  cpu: {}\n  cpu: {}\n", "TENV0007", 5, 3, "'cpu' appears twice" },

        // ---- unknown keys ----
        { "misspelt dependencies", Head + "dependancies:\n  - cpu\n", "TENV0011", 3, 1, "Did you mean 'dependencies'?" },
        { "misspelt platforms", "name: demo\nplatfroms: [linux-x64]\n", "TENV0011", 2, 1, "Did you mean 'platforms'?" },
        { "conda prefix key", Head + "prefix: /opt/conda/envs/demo\n", "TENV0011", 3, 1, "Valid keys here: name, channels, policy, platforms, framework, dependencies, variants" },
        { "misspelt variant key", Head + "variants:\n  cpu:\n    dependecies: [cpu]\n", "TENV0011", 5, 5, "Did you mean 'dependencies'?" },

        // ---- wrong types ----
        { "name is a list", "name: [a, b]\nplatforms: [linux-x64]\n", "TENV0012", 1, 7, "must be a single value, found a list" },
        { "channels is a scalar", Head + "channels: nuget.org\n", "TENV0012", 3, 11, "must be a list" },
        { "dependencies is a scalar", Head + "dependencies: torchsharp=0.107.*\n", "TENV0012", 3, 15, "must be a list" },
        { "platforms is a mapping", "name: demo\nplatforms:\n  linux: x64\n", "TENV0012", 3, 3, "found a mapping" },
        { "variants is a list", Head + "variants: [cpu, cuda]\n", "TENV0012", 3, 11, "a mapping of variant names" },
        { "dependency entry is a list", Head + "dependencies:\n  - [cpu]\n", "TENV0012", 4, 5, "found a list" },
        { "nuget is a scalar", Head + "dependencies:\n  - nuget: Spectre.Console=0.57.2\n", "TENV0012", 4, 12, "a list of 'Id=version' entries" },
        { "policy is empty", Head + "policy:\n", "TENV0012", 3, 8, "found an empty value" },
        { "key is a list", Head + "? [a]\n: b\n", "TENV0012", 3, 3, "A key must be a plain name" },

        // ---- names, policy, framework ----
        { "missing name", "platforms: [linux-x64]\n", "TENV0013", 1, 1, "no 'name:'" },
        { "name with space", "name: my env\nplatforms: [linux-x64]\n", "TENV0014", 1, 7, "may contain only letters" },
        { "variant name with slash", Head + "variants:\n  gpu/a100: {}\n", "TENV0014", 4, 3, "variant name 'gpu/a100'" },
        { "misspelt policy", Head + "policy: producton\n", "TENV0015", 3, 9, "Did you mean 'production'?" },
        { "unknown policy", Head + "policy: strict\n", "TENV0015", 3, 9, "policy: research" },
        { "framework netstandard", Head + "framework: netstandard2.0\n", "TENV0016", 3, 12, "net5.0 or newer" },
        { "framework garbage", Head + "framework: banana\n", "TENV0016", 3, 12, "framework: net10.0" },
        { "framework newer than sdk", Head + "framework: net10.0\ndependencies: [dotnet-sdk=8.0.*]\n", "TENV0037", 3, 12, "dotnet-sdk=10.0.*" },
        { "sdk older than 5", Head + "dependencies: [dotnet-sdk=3.1]\n", "TENV0038", 3, 16, "older than 5.0" },

        // ---- platforms ----
        { "conda platform name", "name: demo\nplatforms: [linux-64]\n", "TENV0017", 2, 13, "Did you mean 'linux-x64'?" },
        { "conda win-64", "name: demo\nplatforms: [linux-x64, win-64]\n", "TENV0017", 2, 24, "Did you mean 'win-x64'?" },
        { "conda 32-bit platform", "name: demo\nplatforms: [win-32]\n", "TENV0017", 2, 13, "no .NET runtime identifier" },
        { "misspelt rid", "name: demo\nplatforms: [linux-x46]\n", "TENV0017", 2, 13, "Did you mean 'linux-x64'?" },
        { "duplicate platform", "name: demo\nplatforms: [linux-x64, linux-x64]\n", "TENV0018", 2, 24, "listed twice" },
        { "no platforms", "name: demo\ndependencies: [cpu]\n", "TENV0019", 2, 1, "platforms: [linux-x64]" },

        // ---- channels ----
        { "ftp channel", Head + "channels: ['ftp://example.com/feed']\n", "TENV0020", 3, 12, "'ftp://' is not supported" },
        { "file url channel", Head + "channels: ['file:///srv/feed']\n", "TENV0020", 3, 12, "local folder path" },
        { "empty channel", Head + "channels: ['']\n", "TENV0020", 3, 12, "it is empty" },
        { "duplicate channel", Head + "channels: [nuget.org, nuget.org]\n", "TENV0021", 3, 23, "listed twice" },

        // ---- dependency names ----
        { "misspelt torchsharp", Head + "dependencies:\n  - torchsharpp=0.107.*\n", "TENV0022", 4, 5, "Did you mean 'torchsharp'?" },
        { "unknown package at top", Head + "dependencies:\n  - numpy=1.21\n", "TENV0022", 4, 5, "- nuget: [numpy=1.0.0]" },
        { "pip sub-list", Head + "dependencies:\n  - pip:\n      - numpy\n", "TENV0023", 4, 5, "Did you mean 'nuget'?" },
        { "cuda as mapping", Head + "dependencies:\n  - cuda: 12.8\n", "TENV0023", 4, 5, "- cuda=<version>" },
        { "duplicate torchsharp", Head + "dependencies:\n  - torchsharp=0.107.*\n  - torchsharp=0.106.*\n", "TENV0024", 5, 5, "first at line 4" },
        { "duplicate nuget id", Head + "dependencies:\n  - nuget: [Spectre.Console=0.57.2, spectre.console=0.57.1]\n", "TENV0024", 4, 37, "listed twice" },

        // ---- match-spec syntax and versions (column = the offending part) ----
        { "channel prefix", Head + "dependencies:\n  - conda-forge::torchsharp\n", "TENV0025", 4, 5, "channel prefix" },
        { "bracket form", Head + "dependencies:\n  - torchsharp[version='>=0.105']\n", "TENV0025", 4, 15, "bracket form" },
        { "no name", Head + "dependencies:\n  - '=0.107.0'\n", "TENV0025", 4, 6, "is not a match spec" },
        { "word as version", Head + "dependencies:\n  - torchsharp=latest\n", "TENV0026", 4, 16, "'latest' in 'torchsharp=latest' is not a version" },
        { "x as wildcard", Head + "dependencies:\n  - torchsharp=0.107.x\n", "TENV0026", 4, 16, "Accepted forms" },
        { "five parts", Head + "dependencies:\n  - torchsharp==1.2.3.4.5\n", "TENV0026", 4, 17, "one to four numbers" },
        { "wildcard after >=", Head + "dependencies:\n  - torchsharp>=0.105.*\n", "TENV0026", 4, 17, "wildcard may only end a version" },
        { "wildcard after ==", Head + "dependencies:\n  - torchsharp==0.107.*\n", "TENV0026", 4, 17, "'*'" },
        { "wildcard in the middle", Head + "dependencies:\n  - torchsharp=0.*.1\n", "TENV0026", 4, 16, "'*'" },
        { "compatible with one part", Head + "dependencies:\n  - torchsharp~=1\n", "TENV0026", 4, 15, "at least two parts" },
        { "trailing comma", Head + "dependencies:\n  - torchsharp>=0.105,\n", "TENV0026", 4, 22, "empty constraint" },
        { "bad version in range", "name: demo\nplatforms: [linux-x64]\ndependencies:\n  - nuget:\n      - Spectre.Console>=0.57,<one\n", "TENV0026", 5, 32, "'one'" },
        { "not equal", Head + "dependencies:\n  - torchsharp>=0.105,!=0.106.0\n", "TENV0027", 4, 23, "'!='" },
        { "or", Head + "dependencies:\n  - torchsharp=0.106.0|0.107.0\n", "TENV0028", 4, 23, "union" },
        { "build string", Head + "dependencies:\n  - torchsharp=0.107.0=cpu_0\n", "TENV0029", 4, 24, "build string ('cpu_0')" },
        { "build string after space", Head + "dependencies:\n  - torchsharp 0.107.0 py_0\n", "TENV0029", 4, 24, "'py_0'" },
        { "quoted build string", Head + "dependencies:\n  - \"torchsharp==0.107.0=h1\"\n", "TENV0029", 4, 26, "'h1'" },
        { "empty range", Head + "dependencies:\n  - torchsharp>=0.108,<0.100\n", "TENV0030", 4, 15, "No version satisfies" },
        { "cpu with version", Head + "dependencies:\n  - cpu=1.0\n", "TENV0031", 4, 8, "'cpu' takes no version" },

        // ---- nuget entries ----
        { "invalid package id", Head + "dependencies:\n  - nuget: [Spectre..Console=0.57.2]\n", "TENV0032", 4, 13, "not a valid NuGet package id" },
        { "stack package under nuget", Head + "dependencies:\n  - nuget: [TorchSharp-cpu=0.107.0]\n", "TENV0033", 4, 13, "stack matrix chooses" },
        { "libtorch under nuget", Head + "dependencies:\n  - nuget:\n      - libtorch-cpu-linux-x64=2.10.0\n", "TENV0033", 5, 9, "torchsharp=" },

        // ---- devices and variants ----
        { "cpu and cuda", Head + "dependencies:\n  - cpu\n  - torchsharp=0.107.*\n  - cuda=12.8\n", "TENV0034", 6, 5, "exactly one libtorch runtime" },
        { "cpu and cuda in a variant", Head + "variants:\n  gpu:\n    dependencies: [cuda=12.8, cpu]\n", "TENV0034", 5, 31, "two variants" },
        { "cudnn without cuda", Head + "dependencies:\n  - torchsharp=0.107.*\n  - cudnn=9\n", "TENV0035", 5, 5, "CPU build" },
        { "cudnn in a cpu variant", Head + "variants:\n  cpu:\n    dependencies: [cpu, cudnn=9]\n", "TENV0035", 5, 25, "cuda=12.8" },
        { "empty variants", Head + "variants: {}\n", "TENV0036", 3, 1, "at least one variant" },
        { "null variants", Head + "variants:\n", "TENV0036", 3, 1, "'variants:' is empty" },
        { "variant is a list", Head + "variants:\n  cpu: [cpu]\n", "TENV0012", 4, 8, "a mapping with dependencies: and platforms:" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fails_with_code_location_and_fix(string name, string yaml, string code, int line, int column, string fragment)
    {
        var exception = SpecTestFiles.Fails(yaml);

        SpecTestFiles.AssertReports(exception, name, code, line, column, fragment);
    }

    [Fact]
    public void An_alias_bomb_fails_with_a_code_instead_of_expanding()
    {
        // The "billion laughs": nine levels of nine aliases each would stand for 9^9 values.
        var yaml = new StringBuilder("name: demo\nplatforms: [linux-x64]\nlol0: &l0 lol\n");
        for (var level = 1; level <= 9; level++)
        {
            yaml.Append($"lol{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 9))}]\n");
        }

        var exception = SpecTestFiles.Fails(yaml.ToString());

        var diagnostic = Assert.Single(exception.Diagnostics);
        Assert.Equal("TENV0004", diagnostic.Code);
        Assert.Contains("alias bomb", diagnostic.Fix);
    }

    [Fact]
    public void Too_many_aliases_fail_with_their_own_code()
    {
        var yaml = "name: demo\nplatforms: &p [linux-x64]\nx: [" + string.Join(", ", Enumerable.Repeat("*p", 101)) + "]\n";

        var diagnostic = Assert.Single(SpecTestFiles.Fails(yaml).Diagnostics);

        Assert.Equal(("TENV0005", 3, 1 + 4 + 100 * 4), (diagnostic.Code, diagnostic.Location!.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void Text_over_one_mebibyte_is_rejected_before_parsing()
    {
        // Not even valid YAML: the size check must come first.
        var yaml = "name: demo\n" + new string('[', 1024 * 1024);

        var diagnostic = Assert.Single(SpecTestFiles.Fails(yaml).Diagnostics);

        Assert.Equal(("TENV0002", 1, 1), (diagnostic.Code, diagnostic.Location!.Line, diagnostic.Location.Column));
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_together()
    {
        const string yaml = """
            name: my env
            platforms: [linux-64]
            dependencies:
              - torchsharpp=0.107.*
              - cuda=12.x
            polcy: research
            """;

        var codes = SpecTestFiles.Fails(yaml).Diagnostics.Select(d => (d.Code, d.Location!.Line)).ToList();

        Assert.Equal([("TENV0014", 1), ("TENV0017", 2), ("TENV0022", 4), ("TENV0026", 5), ("TENV0011", 6)], codes);
    }

    [Fact]
    public void Diagnostics_print_like_compiler_errors()
    {
        var diagnostic = SpecTestFiles.Fails(Head + "dependencies:\n  - torchsharp!=0.106.0\n").Diagnostic;

        Assert.StartsWith("environment.yml(4,15): error TENV0027: ", diagnostic.ToString());
        Assert.Contains(" Fix: ", diagnostic.ToString());
    }
}
