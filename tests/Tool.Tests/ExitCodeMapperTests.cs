using System.Net.Http;
using NuGet.Protocol.Core.Types;
using TorchEnv.Core.Diagnostics;
using TorchEnv.TestSupport;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Tests;

/// <summary>Each failure class gets its documented exit code (docs/exit-codes.md).</summary>
public sealed class ExitCodeMapperTests
{
    private static TorchEnvException Coded(DiagnosticDescriptor descriptor, Exception? inner = null) =>
        new(Error(descriptor), inner);

    private static Diagnostic Error(DiagnosticDescriptor descriptor) =>
        descriptor.Create(new SourceLocation("environment.yml", 3, 5), "a", "b", "c", "d", "e", "f", "g", "h");

    /// <summary>Every descriptor of Core and of the tool, by code.</summary>
    private static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> Descriptors =
        DiagnosticDescriptor.DeclaredIn(typeof(Diagnostic).Assembly)
            .Concat(DiagnosticDescriptor.DeclaredIn(typeof(ExitCodeMapper).Assembly))
            .ToDictionary(d => d.Code, StringComparer.Ordinal);

    [Theory]
    [InlineData("TENV0001")] // spec syntax
    [InlineData("TENV0026")] // spec values
    [InlineData("TENV0101")] // impossible stack
    [InlineData("TENV0220")] // malformed lock
    [InlineData("TENV0301")] // native file
    public void Coded_errors_in_user_files_are_bad_input(string code)
    {
        Assert.Equal(ExitCodes.BadInput, ExitCodeMapper.Map(Coded(Descriptors[code])));
    }

    [Fact]
    public void Coded_error_caused_by_the_network_is_source_unavailable()
    {
        Assert.Equal(ExitCodes.SourceUnavailable, ExitCodeMapper.Map(Coded(Descriptors["TENV0201"], new HttpRequestException("503"))));
        Assert.Equal(ExitCodes.SourceUnavailable, ExitCodeMapper.Map(Coded(Descriptors["TENV0204"], new FatalProtocolException("index.json"))));
    }

    [Fact]
    public void Coded_error_wrapping_an_io_error_keeps_the_class_of_its_code()
    {
        Assert.Equal(ExitCodes.BadInput, ExitCodeMapper.Map(Coded(Descriptors["TENV0250"], new IOException("sharing violation"))));
        Assert.Equal(ExitCodes.MissingInput, ExitCodeMapper.Map(Coded(Descriptors["TENV0008"], new UnauthorizedAccessException("denied"))));
        Assert.Equal(ExitCodes.CannotWrite, ExitCodeMapper.Map(Coded(Descriptors["TENV0228"], new UnauthorizedAccessException("read-only"))));
    }

    [Fact]
    public void Coded_error_caused_by_a_missing_file_is_missing_input()
    {
        Assert.Equal(ExitCodes.MissingInput, ExitCodeMapper.Map(Coded(Descriptors["TENV0002"], new FileNotFoundException("gone", "environment.yml"))));
    }

    [Theory]
    [InlineData("TENV0500", ExitCodes.UsageError)] // usage
    [InlineData("TENV0505", ExitCodes.UsageError)] // locked and frozen
    [InlineData("TENV0504", ExitCodes.UsageError)] // TORCHENV_LOCKED is not a boolean
    [InlineData("TENV0507", ExitCodes.UsageError)] // unknown variant or platform
    [InlineData("TENV0506", ExitCodes.UsageError)] // package not locked
    [InlineData("TENV0513", ExitCodes.UsageError)] // conflicting options
    [InlineData("TENV0008", ExitCodes.MissingInput)] // Core: the spec cannot be read
    [InlineData("TENV0230", ExitCodes.MissingInput)] // Core: no lock file
    [InlineData("TENV0227", ExitCodes.MissingInput)] // Core: the lock cannot be read
    [InlineData("TENV0226", ExitCodes.CannotWrite)] // Core: another process writes the lock
    [InlineData("TENV0228", ExitCodes.CannotWrite)] // Core: the lock cannot be written
    [InlineData("TENV0203", ExitCodes.SourceUnavailable)] // Core: a source failed
    [InlineData("TENV0208", ExitCodes.SourceUnavailable)] // Core: a download failed
    [InlineData("TENV0512", ExitCodes.MissingInput)] // cannot read
    [InlineData("TENV0501", ExitCodes.CannotWrite)] // spec exists
    [InlineData("TENV0508", ExitCodes.CannotWrite)] // cannot write
    [InlineData("TENV0511", ExitCodes.SourceUnavailable)] // source unavailable
    [InlineData("TENV0509", ExitCodes.InternalError)] // internal error
    [InlineData("TENV0510", ExitCodes.Cancelled)] // cancelled
    public void Codes_have_their_documented_exit_code(string code, int expected)
    {
        Assert.Equal(expected, ExitCodeMapper.Map(Coded(Descriptors[code])));
        Assert.Equal(expected, ExitCodeMapper.Map(Error(Descriptors[code])));
    }

    [Fact]
    public void Every_code_in_the_exit_code_table_exits_as_the_table_says_and_every_code_outside_bad_input_is_listed()
    {
        var table = DocumentedCodes();

        Assert.True(table.Count > 20, $"only {table.Count} codes read from docs/exit-codes.md");
        Assert.All(table, entry => Assert.Equal((entry.Key, entry.Value), (entry.Key, ExitCodeMapper.For(Descriptors[entry.Key].ExitClass))));
        var unlisted = Descriptors.Values
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.ExitClass != ExitClass.BadInput && !table.ContainsKey(d.Code))
            .Select(d => d.Code)
            .ToList();
        Assert.Empty(unlisted);
    }

    [Fact]
    public void Every_exit_class_has_an_exit_code()
    {
        Assert.All(Enum.GetValues<ExitClass>(), exitClass => Assert.NotEqual(ExitCodes.Success, ExitCodeMapper.For(exitClass)));
    }

    /// <summary>The single codes (not ranges) of docs/exit-codes.md's "which errors get which code" table, with their exit code.</summary>
    private static Dictionary<string, int> DocumentedCodes()
    {
        var doc = File.ReadAllLines(Path.Combine(RepositoryRoot.Get(), "docs", "exit-codes.md"));
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in doc.SkipWhile(l => !l.StartsWith("| diagnostic | code |", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var exitCode = int.Parse(cells[^1], System.Globalization.CultureInfo.InvariantCulture);
            var withoutRanges = System.Text.RegularExpressions.Regex.Replace(cells[0], @"TENV\d{4}–TENV\d{4}", "");
            foreach (System.Text.RegularExpressions.Match code in System.Text.RegularExpressions.Regex.Matches(withoutRanges, @"TENV\d{4}"))
            {
                codes.Add(code.Value, exitCode);
            }
        }

        return codes;
    }

    [Fact]
    public void A_failed_check_needed_by_a_command_exits_2_and_reports_its_findings()
    {
        var stale = Error(Descriptors["TENV0231"]);
        var exception = new CheckFailedException([stale]);

        Assert.Equal(ExitCodes.CheckFailed, ExitCodeMapper.Map(exception));
        Assert.Equal([stale], ExitCodeMapper.ToDiagnostics(exception));
    }

    [Fact]
    public void Infrastructure_exceptions_map_by_type()
    {
        Assert.Equal(ExitCodes.Cancelled, ExitCodeMapper.Map(new OperationCanceledException()));
        Assert.Equal(ExitCodes.Cancelled, ExitCodeMapper.Map(new TaskCanceledException()));
        Assert.Equal(ExitCodes.MissingInput, ExitCodeMapper.Map(new FileNotFoundException("x")));
        Assert.Equal(ExitCodes.MissingInput, ExitCodeMapper.Map(new DirectoryNotFoundException("x")));
        Assert.Equal(ExitCodes.SourceUnavailable, ExitCodeMapper.Map(new HttpRequestException("x")));
        Assert.Equal(ExitCodes.SourceUnavailable, ExitCodeMapper.Map(new TimeoutException("x", new TaskCanceledException())));
        Assert.Equal(ExitCodes.CannotWrite, ExitCodeMapper.Map(new UnauthorizedAccessException("x")));
        Assert.Equal(ExitCodes.CannotWrite, ExitCodeMapper.Map(new IOException("disk full")));
    }

    [Fact]
    public void Unexpected_exception_is_an_internal_error_with_a_bug_report_fix()
    {
        var exception = new InvalidOperationException("boom");

        Assert.Equal(ExitCodes.InternalError, ExitCodeMapper.Map(exception));
        var diagnostic = Assert.Single(ExitCodeMapper.ToDiagnostics(exception));
        Assert.Equal(ToolMessages.InternalErrorDescriptor, diagnostic.Descriptor);
        Assert.Contains("boom", diagnostic.Message);
        Assert.Contains("--verbose", diagnostic.Fix);
    }

    [Fact]
    public void Wrapped_network_failure_is_reported_as_source_unavailable()
    {
        var diagnostic = Assert.Single(ExitCodeMapper.ToDiagnostics(new InvalidOperationException("x", new HttpRequestException("timeout"))));

        Assert.Equal(ToolMessages.SourceUnavailableDescriptor, diagnostic.Descriptor);
    }

    [Fact]
    public void Findings_with_an_error_fail_the_check_warnings_do_not()
    {
        var error = Error(Descriptors["TENV0231"]);
        var warning = Error(Descriptors["TENV0239"]);

        Assert.Equal(ExitCodes.CheckFailed, ExitCodeMapper.ForFindings([warning, error]));
        Assert.Equal(ExitCodes.Success, ExitCodeMapper.ForFindings([warning]));
        Assert.Equal(ExitCodes.Success, ExitCodeMapper.ForFindings([]));
    }

    [Fact]
    public void Every_exit_code_is_documented()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Get(), "docs", "exit-codes.md"));
        var codes = typeof(ExitCodes).GetFields().Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!);

        foreach (var code in codes)
        {
            Assert.Contains($"| {code} |", doc);
        }
    }
}
