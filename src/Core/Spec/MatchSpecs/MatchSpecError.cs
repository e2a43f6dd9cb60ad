namespace TorchEnv.Core.Spec.MatchSpecs;

/// <summary>What is wrong with a conda match spec; <see cref="SpecMessages"/> turns it into a coded diagnostic.</summary>
internal enum MatchSpecErrorKind
{
    /// <summary>Not a match spec at all (stray character, empty text).</summary>
    Syntax,

    /// <summary><c>numpy[version='&gt;=1']</c>: conda's bracket form.</summary>
    BracketForm,

    /// <summary><c>conda-forge::numpy</c>: a channel prefix.</summary>
    ChannelPrefix,

    /// <summary>Text in a version position that is not a version (<c>1.x</c>, <c>latest</c>, five parts).</summary>
    InvalidVersion,

    /// <summary>A <c>*</c> where it has no meaning (<c>&gt;=1.2.*</c>, <c>==1.2.*</c>, <c>1.*.3</c>).</summary>
    MisplacedWildcard,

    /// <summary><c>~=1</c>: the compatible-release operator needs at least two parts.</summary>
    CompatibleNeedsTwoParts,

    /// <summary><c>&gt;=1.2,</c>: an empty constraint between commas.</summary>
    EmptyConstraint,

    /// <summary><c>!=1.2</c>: NuGet ranges cannot exclude a version.</summary>
    NotEqual,

    /// <summary><c>1.2|1.4</c>: NuGet ranges cannot be a union.</summary>
    Or,

    /// <summary><c>=1.2=cpu_0</c> or <c>1.2 py_0</c>: conda build strings do not exist on NuGet.</summary>
    BuildString,

    /// <summary><c>&gt;=2,&lt;1</c>: no version satisfies every constraint.</summary>
    EmptyRange,
}

/// <summary>A match-spec fault at a character offset of the written text.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Offset">0-based offset in the match spec text (the column is found from it).</param>
/// <param name="Token">The offending part, quoted in the message.</param>
internal sealed record MatchSpecError(MatchSpecErrorKind Kind, int Offset, string Token);
