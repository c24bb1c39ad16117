using System;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Infrastructure;

/// <summary>PowerShell's words for an engine hint (<see cref="EsxException.Hint"/>): the parameter that gets past the error.</summary>
internal static class PowerShellHints
{
    /// <summary>The advice for <paramref name="hint"/>, or null when the module has none.</summary>
    public static string Render(string hint) => hint switch
    {
        EsxHints.SkipSignatureCheck => "-NoSignatureCheck",
        EsxHints.OverwriteNeeded => "use -Force to replace it",
        EsxHints.AllowInvalidProfile => "use -AllowInvalidProfile to export anyway",
        EsxHints.ForceEdit => "use -Force to go ahead anyway",
        EsxHints.AllowLowerAcceptance => "use -AllowLowerAcceptance, or lower the level with Set-EsxProfile -AcceptanceLevel",
        EsxHints.CloneToEdit => "New-EsxProfile -CloneProfile makes an editable copy",
        _ => null,
    };

    /// <summary>
    /// <paramref name="e"/>'s message with the hint, if any, in parentheses: in <paramref name="render"/>'s words when a
    /// cmdlet names its switches differently (New-IsoImage's -Overwrite), else in <see cref="Render"/>'s.
    /// </summary>
    public static string Message(EsxException e, Func<string, string> render = null)
        => (render ?? Render)(e.Hint) is string way ? $"{e.Message} ({way})" : e.Message;
}
