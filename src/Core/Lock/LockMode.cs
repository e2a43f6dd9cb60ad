namespace TorchEnv.Core.Lock;

/// <summary>How a command or build that reads the lock treats it (uv's and pixi's <c>--locked</c> / <c>--frozen</c>).</summary>
public enum LockMode
{
    /// <summary>Neither: a missing or stale lock may be updated (as <c>uv run</c> and <c>pixi run</c> do).</summary>
    Default,

    /// <summary><c>--locked</c> / <c>TORCHENV_LOCKED</c>: the lock must be up to date with the spec; never written; fail otherwise.</summary>
    Locked,

    /// <summary><c>--frozen</c> / <c>TORCHENV_FROZEN</c>: use the lock as it is, without checking it against the spec; never written.</summary>
    Frozen,

    /// <summary>
    /// A design-time (IDE) build: use the lock as it is, even when stale (the best guess for IntelliSense); never resolve
    /// (no network), never written. The build only; no command line asks for it.
    /// </summary>
    DesignTime,
}
