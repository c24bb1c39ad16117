using System;
using System.Management.Automation;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Infrastructure;

/// <summary>Turns engine exceptions into PowerShell error records: ErrorId = the stable code, a real category, the target.</summary>
internal static class EsxErrors
{
    /// <summary>Maps an <see cref="EsxErrorCategory"/> to the <see cref="ErrorCategory"/> of the same name.</summary>
    public static ErrorCategory ToErrorCategory(EsxErrorCategory category)
        => Enum.TryParse(category.ToString(), out ErrorCategory mapped) ? mapped : ErrorCategory.NotSpecified;

    /// <summary>
    /// An error record for an engine exception; <paramref name="target"/> overrides the exception's target, and
    /// <paramref name="renderHint"/> (default <see cref="PowerShellHints.Render"/>) words its hint.
    /// </summary>
    public static ErrorRecord ToErrorRecord(EsxException e, object target = null, Func<string, string> renderHint = null)
    {
        var record = new ErrorRecord(e, e.Code, ToErrorCategory(e.Category), target ?? e.Target);
        var message = PowerShellHints.Message(e, renderHint);
        if (message != e.Message) record.ErrorDetails = new ErrorDetails(message);
        return record;
    }

    /// <summary>
    /// True for an exception that escaped the engine untyped (a bug): not an engine error, not PowerShell's own
    /// flow (pipeline stop, -ErrorAction Stop), not cancellation, and not a failure no code can handle.
    /// </summary>
    public static bool IsUnexpected(Exception e)
        => !(e is EsxException || e is RuntimeException || e is OperationCanceledException
             || e is OutOfMemoryException || e is StackOverflowException);

    /// <summary>The InternalError record for an exception that escaped the engine: says it is a bug and names the exception type.</summary>
    public static ErrorRecord Internal(Exception e, object target = null)
        => new ErrorRecord(InternalException(e, target), ErrorCodes.InternalError, ErrorCategory.NotSpecified, target);

    /// <summary>The exception an InternalError record carries (its message is the record's message).</summary>
    public static EsxException InternalException(Exception e, object target = null)
        => new EsxException(ErrorCodes.InternalError, EsxErrorCategory.NotSpecified,
            $"this is a bug, please report it: {e.GetType().FullName}: {MessageText.OneLine(e)}", target?.ToString(), e);

    /// <summary>An error record for a failure the module detects itself (bad parameter combination, nothing matched).</summary>
    public static ErrorRecord Create(string code, ErrorCategory category, string message, object target)
        => new ErrorRecord(new EsxException(code, Enum.TryParse(category.ToString(), out EsxErrorCategory c) ? c : EsxErrorCategory.NotSpecified, message, target?.ToString()),
                           code, category, target);
}
