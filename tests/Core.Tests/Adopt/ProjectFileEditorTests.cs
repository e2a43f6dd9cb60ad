using System.Text;
using TorchEnv.Core.Adopt;

namespace TorchEnv.Core.Tests.Adopt;

/// <summary>The rewrite keeps every byte it does not mean to change: comments, odd indentation, CRLF, a BOM, entities, quotes.</summary>
public sealed class ProjectFileEditorTests
{
    // Written with \n here and turned into CRLF below; tabs and odd spaces on purpose.
    private const string Before = """
        <?xml version="1.0" encoding="utf-8"?>
        <!-- A hand-kept project: keep this comment. -->
        <Project   Sdk = 'Microsoft.NET.Sdk' >
          <PropertyGroup>
        	<OutputType>Exe</OutputType>
               <TargetFramework>net10.0</TargetFramework>
            <Description>Tensors &amp; more</Description>
          </PropertyGroup>
          <ItemGroup>
            <!-- the stack -->
            <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
        	  <PackageReference Include="TorchVision"
                              Version="0.107.0" />
            <PackageReference Include="Newtonsoft.Json"><Version>13.0.3</Version></PackageReference>
            <PackageReference Include="Microsoft.SourceLink.GitHub" Version="8.0.0" PrivateAssets="all" />
            <PackageReference Include="SharpZipLib" Version="1.4.2"><PrivateAssets>all</PrivateAssets></PackageReference>
          </ItemGroup>
          <ItemGroup>
              <PackageReference Include="TorchSharp-cuda-linux" Version="0.107.0" Condition="'$(OS)' != 'Windows_NT'" />
          </ItemGroup>
          <ItemGroup><Compile Remove="old/**" /></ItemGroup>
        </Project>
        """;

    private const string After = """
        <?xml version="1.0" encoding="utf-8"?>
        <!-- A hand-kept project: keep this comment. -->
        <Project   Sdk = 'TorchEnv.Sdk' >
          <PropertyGroup>
        	<OutputType>Exe</OutputType>
               <TargetFramework>net10.0</TargetFramework>
            <Description>Tensors &amp; more</Description>
          </PropertyGroup>
          <ItemGroup>
            <!-- the stack -->
            <PackageReference Include="Microsoft.SourceLink.GitHub" Version="8.0.0" PrivateAssets="all" />
            <PackageReference Include="SharpZipLib" Version="1.4.2"><PrivateAssets>all</PrivateAssets></PackageReference>
          </ItemGroup>
          <ItemGroup><Compile Remove="old/**" /></ItemGroup>
        </Project>
        """;

    private static readonly HashSet<string> Supplied = new(StringComparer.OrdinalIgnoreCase)
    {
        "TorchSharp-cpu", "TorchVision", "TorchSharp-cuda-linux", "Newtonsoft.Json", "SharpZipLib", "Microsoft.SourceLink.GitHub",
    };

    private static string Crlf(string text) => text.Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n";

    [Fact]
    public void Golden_rewrite_with_comments_odd_indentation_crlf_and_a_bom_changes_only_the_sdk_and_the_supplied_items()
    {
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).GetPreamble().Concat(Encoding.UTF8.GetBytes(Crlf(Before))).ToArray();
        var content = TextFileContent.Decode(bytes)!;

        var rewritten = content.Encode(ProjectFileEditor.Rewrite(content.Text, "TorchEnv.Sdk", Supplied.Contains));

        var expected = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).GetPreamble().Concat(Encoding.UTF8.GetBytes(Crlf(After))).ToArray();
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(rewritten));
        Assert.Equal(expected, rewritten);
        Assert.Equal(ProjectSdkForm.TorchEnvSdk, ProjectFileEditor.SdkForm(content.Text.Replace("Microsoft.NET.Sdk", "TorchEnv.Sdk/0.1.0", StringComparison.Ordinal)));
    }

    [Fact]
    public void Nothing_supplied_and_no_sdk_leaves_the_text_as_it_is_and_utf16_round_trips()
    {
        var bytes = new UnicodeEncoding(bigEndian: false, byteOrderMark: true).GetPreamble().Concat(Encoding.Unicode.GetBytes(Crlf(Before))).ToArray();
        var content = TextFileContent.Decode(bytes)!;

        Assert.Equal(bytes, content.Encode(ProjectFileEditor.Rewrite(content.Text, sdk: null, _ => false)));
        Assert.Equal("\r\n", content.LineEnding);
    }

    [Theory]
    [InlineData("<Project Sdk=\"Microsoft.NET.Sdk.Web\" />", "Other")]
    [InlineData("<Project><Sdk Name=\"Microsoft.NET.Sdk\" /></Project>", "Other")]
    [InlineData("<Project><Import Project=\"Sdk.props\" Sdk=\"Microsoft.NET.Sdk\" /></Project>", "Other")]
    [InlineData("<Project ToolsVersion=\"15.0\" xmlns=\"http://schemas.microsoft.com/developer/msbuild/2003\"><Import Project=\"$(MSBuildToolsPath)\\Microsoft.CSharp.targets\" /></Project>", "None")]
    [InlineData("<Project Sdk=\" microsoft.net.sdk \" />", "MicrosoftNetSdk")]
    public void The_sdk_form_tells_what_adopt_can_rewrite(string text, string form) =>
        Assert.Equal(form, ProjectFileEditor.SdkForm(text).ToString());

    [Theory]
    [InlineData("{ \"sdk\": { \"version\": \"10.0.100\" } }\n", "{ \"sdk\": { \"version\": \"10.0.100\" },\n  \"msbuild-sdks\": {\n    \"TorchEnv.Sdk\": \"0.1.0\"\n  } }\n")]
    [InlineData("{\r\n    // pinned for CI\r\n    \"sdk\": { \"version\": \"10.0.100\" },\r\n    \"msbuild-sdks\": { \"Other.Sdk\": \"1.0.0\" }\r\n}\r\n", "{\r\n    // pinned for CI\r\n    \"sdk\": { \"version\": \"10.0.100\" },\r\n    \"msbuild-sdks\": {\r\n        \"TorchEnv.Sdk\": \"0.1.0\", \"Other.Sdk\": \"1.0.0\" }\r\n}\r\n")]
    [InlineData("{\n  \"msbuild-sdks\": {\n    \"TorchEnv.Sdk\": \"0.0.9\"\n  }\n}\n", "{\n  \"msbuild-sdks\": {\n    \"TorchEnv.Sdk\": \"0.1.0\"\n  }\n}\n")]
    [InlineData("{}", "{\n  \"msbuild-sdks\": {\n    \"TorchEnv.Sdk\": \"0.1.0\"\n  }\n}")]
    public void Global_json_gets_the_member_spliced_in_and_keeps_the_rest(string before, string after)
    {
        var content = TextFileContent.Decode(Encoding.UTF8.GetBytes(before))!;

        var pinned = GlobalJsonEditor.Pin(content, "TorchEnv.Sdk", "0.1.0");

        Assert.Equal(after, pinned);
        Assert.Equal(pinned, GlobalJsonEditor.Pin(TextFileContent.Decode(Encoding.UTF8.GetBytes(pinned))!, "TorchEnv.Sdk", "0.1.0"));
    }
}
