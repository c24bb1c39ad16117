namespace ESXiImageTools.Core.Diagnostics;

/// <summary>What kind of warning an <see cref="EsxWarning"/> is.</summary>
public enum EsxWarningKind
{
    /// <summary>Something the user should know; nothing was overridden.</summary>
    Note,
    /// <summary>A problem that would have refused the operation, let through because it was forced.</summary>
    ForcedProblem,
}

/// <summary>
/// A warning the engine returns: its text (naming no shell's flag) and its kind, so callers tell a forced problem
/// from a note by <see cref="Kind"/> rather than by the text.
/// </summary>
public sealed record EsxWarning(string Message, EsxWarningKind Kind = EsxWarningKind.Note)
{
    /// <summary>A problem let through by force.</summary>
    public static EsxWarning Forced(string problem) => new(problem, EsxWarningKind.ForcedProblem);

    /// <summary>A note.</summary>
    public static implicit operator EsxWarning(string message) => new(message);

    /// <summary>The text a user reads: a forced problem says it was forced.</summary>
    public override string ToString() => Kind == EsxWarningKind.ForcedProblem ? "forced despite: " + Message : Message;
}
