namespace TorchEnv.Tool.Cli;

/// <summary>
/// The exit codes of <c>torchenv</c>, documented in <c>docs/exit-codes.md</c>. The failure codes follow
/// <c>sysexits.h</c> (as <c>dotnet new</c> does) so that scripts can tell "the check found drift" from
/// "the input is broken" from "the network is down".
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked; a check found nothing.</summary>
    public const int Success = 0;

    /// <summary>A check ran and failed: the lock is missing, stale or would change, or installed packages differ from it.</summary>
    public const int CheckFailed = 2;

    /// <summary>The command line is wrong: unknown command or option, conflicting flags, a variant or package that does not exist (EX_USAGE).</summary>
    public const int UsageError = 64;

    /// <summary>An input file is malformed or asks for something impossible: spec or lock syntax, values, stack matrix (EX_DATAERR).</summary>
    public const int BadInput = 65;

    /// <summary>An input file does not exist or cannot be read (EX_NOINPUT).</summary>
    public const int MissingInput = 66;

    /// <summary>A package source cannot be reached or does not serve what the lock needs (EX_UNAVAILABLE).</summary>
    public const int SourceUnavailable = 69;

    /// <summary>A bug in torchenv: an unexpected exception (EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>An output file cannot be written, or exists and may not be overwritten (EX_CANTCREAT).</summary>
    public const int CannotWrite = 73;

    /// <summary>The user cancelled (Ctrl+C, SIGTERM): 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;
}
