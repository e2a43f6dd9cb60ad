using System.Text.Json.Serialization;
using Spectre.Console;
using TorchEnv.Core.Lock;

namespace TorchEnv.Tool.Output;

/// <summary>One locked variant × platform in a command's <c>--json</c> result.</summary>
/// <param name="Variant">Variant name.</param>
/// <param name="Platform">Runtime identifier.</param>
/// <param name="Device">cpu or cuda.</param>
/// <param name="TorchSharp">Locked TorchSharp version.</param>
/// <param name="LibTorch">Locked libtorch version.</param>
/// <param name="Packages">Number of locked packages.</param>
internal sealed record EnvironmentSummary(
    string Variant,
    string Platform,
    string Device,
    [property: JsonPropertyName("torchsharp")] string TorchSharp,
    [property: JsonPropertyName("libtorch")] string LibTorch,
    int Packages)
{
    /// <summary>Summaries of every environment of a lock.</summary>
    public static IReadOnlyList<EnvironmentSummary> From(EnvironmentLock? lockFile) => lockFile?.Environments
        .Select(e => new EnvironmentSummary(e.Variant, e.Platform, e.Stack.Device, e.Stack.TorchSharp, e.Stack.LibTorch, e.Packages.Count))
        .ToList() ?? [];

    /// <summary>The table people see.</summary>
    public static Table Table(IReadOnlyList<EnvironmentSummary> environments)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("environment").AddColumn("device").AddColumn("torchsharp").AddColumn("libtorch").AddColumn(new TableColumn("packages").RightAligned());
        foreach (var e in environments)
        {
            table.AddRow(new Text($"{e.Variant}/{e.Platform}"), new Text(e.Device), new Text(e.TorchSharp), new Text(e.LibTorch), new Text(e.Packages.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return table;
    }
}
