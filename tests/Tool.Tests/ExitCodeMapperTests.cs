using System.Net.Http;
using NuGet.Protocol.Core.Types;
using TorchEnv.Core.Diagnostics;
using TorchEnv.TestSupport;
using TorchEnv.Tool.Cli;

namespace TorchEnv.Tool.Tests;

/// <summary>Each failure class gets its documented exit code (docs/exit-codes.md).</summary>
public sealed class ExitCodeMapperTests
{
    private static TorchEnvException Coded(string code, Exception? inner = null) =>
        new(new Diagnostic(code, DiagnosticSeverity.Error, "message", new SourceLocation("environment.yml", 3, 5), "fix"), inner);

    [Theory]
    [InlineData("TENV0001")] // spec syntax
    [InlineData("TENV0042")] // spec values
    [InlineData("TENV0101")] // impossible stack
    [InlineData("TENV0250")] // malformed lock
    [InlineData("TENV0301")] // native file
    public void Coded_errors_in_user_files_are_bad_input(string code)
    {
        Assert.Equal(ExitCodes.BadInput, ExitCodeMapper.Map(Coded(code)));
    }

    [Fact]
    public void Coded_error_caused_by_the_network_is_source_unavailable()
    {
        Assert.Equal(ExitCodes.SourceUnavailable, ExitCodeMapper.Map(Coded("TENV0201", new HttpRequestException("503"))));
        Assert.Equal(ExitCodes.SourceUnavailable, ExitCodeMapper.Map(Coded("TENV0201", new FatalProtocolException("index.json"))));
    }

    [Fact]
    public void Coded_error_wrapping_an_io_error_keeps_the_class_of_its_code()
    {
        Assert.Equal(ExitCodes.BadInput, ExitCodeMapper.Map(Coded("TENV0250", new IOException("sharing violation"))));
        Assert.Equal(ExitCodes.MissingInput, ExitCodeMapper.Map(Coded("TENV0008", new UnauthorizedAccessException("denied"))));
    }

    [Fact]
    public void Coded_error_caused_by_a_missing_file_is_missing_input()
    {
        Assert.Equal(ExitCodes.MissingInput, ExitCodeMapper.Map(Coded("TENV0002", new FileNotFoundException("gone", "environment.yml"))));
    }

    [Theory]
    [InlineData(ToolMessages.UsageCode, ExitCodes.UsageError)]
    [InlineData(ToolMessages.LockedAndFrozenCode, ExitCodes.UsageError)]
    [InlineData(ToolMessages.BadEnvironmentVariableCode, ExitCodes.UsageError)]
    [InlineData(ToolMessages.UnknownEnvironmentCode, ExitCodes.UsageError)]
    [InlineData(ToolMessages.PackageNotLockedCode, ExitCodes.UsageError)]
    [InlineData(ToolMessages.ConflictingOptionsCode, ExitCodes.UsageError)]
    [InlineData("TENV0008", ExitCodes.MissingInput)] // Core: the spec cannot be read
    [InlineData("TENV0230", ExitCodes.MissingInput)] // Core: no lock file
    [InlineData("TENV0227", ExitCodes.MissingInput)] // Core: the lock cannot be read
    [InlineData("TENV0226", ExitCodes.CannotWrite)] // Core: the lock cannot be written
    [InlineData("TENV0203", ExitCodes.SourceUnavailable)] // Core: a source failed
    [InlineData("TENV0208", ExitCodes.SourceUnavailable)] // Core: a download failed
    [InlineData(ToolMessages.CannotReadCode, ExitCodes.MissingInput)]
    [InlineData(ToolMessages.SpecExistsCode, ExitCodes.CannotWrite)]
    [InlineData(ToolMessages.CannotWriteCode, ExitCodes.CannotWrite)]
    [InlineData(ToolMessages.SourceUnavailableCode, ExitCodes.SourceUnavailable)]
    [InlineData(ToolMessages.InternalErrorCode, ExitCodes.InternalError)]
    [InlineData(ToolMessages.CancelledCode, ExitCodes.Cancelled)]
    public void Tool_codes_have_their_documented_exit_code(string code, int expected)
    {
        Assert.Equal(expected, ExitCodeMapper.Map(Coded(code)));
        Assert.Equal(expected, ExitCodeMapper.Map(new Diagnostic(code, DiagnosticSeverity.Error, "m")));
    }

    [Fact]
    public void A_failed_check_needed_by_a_command_exits_2_and_reports_its_findings()
    {
        var stale = new Diagnostic("TENV0231", DiagnosticSeverity.Error, "stale", new SourceLocation("environment.lock.yml", 4, 5), "relock");
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
        Assert.Equal(ToolMessages.InternalErrorCode, diagnostic.Code);
        Assert.Contains("boom", diagnostic.Message);
        Assert.Contains("--verbose", diagnostic.Fix);
    }

    [Fact]
    public void Wrapped_network_failure_is_reported_as_source_unavailable()
    {
        var diagnostic = Assert.Single(ExitCodeMapper.ToDiagnostics(new InvalidOperationException("x", new HttpRequestException("timeout"))));

        Assert.Equal(ToolMessages.SourceUnavailableCode, diagnostic.Code);
    }

    [Fact]
    public void Findings_with_an_error_fail_the_check_warnings_do_not()
    {
        var error = new Diagnostic("TENV0210", DiagnosticSeverity.Error, "stale");
        var warning = new Diagnostic("TENV0211", DiagnosticSeverity.Warning, "note");

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
