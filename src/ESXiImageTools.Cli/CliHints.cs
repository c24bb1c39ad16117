using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Cli;

/// <summary>The command line's words for an engine hint (<see cref="EsxException.Hint"/>): the option that gets past the error.</summary>
public static class CliHints
{
    /// <summary>The advice for <paramref name="hint"/>, or null when the command line has none.</summary>
    public static string Render(string hint) => hint switch
    {
        EsxHints.SkipSignatureCheck => "--no-signature-check",
        EsxHints.OverwriteNeeded => "use --force to replace it",
        EsxHints.AllowInvalidProfile => "use --force to export anyway",
        EsxHints.ForceEdit => "use --force to go ahead anyway",
        EsxHints.AllowLowerAcceptance => "use --allow-lower-acceptance, or lower the level with --acceptance",
        EsxHints.CloneToEdit => "esximage build --profile <name> --name <new name> builds an edited copy",
        _ => null,
    };

    /// <summary><paramref name="e"/>'s message with the hint, if any, in parentheses.</summary>
    public static string Message(EsxException e)
        => Render(e.Hint) is string way ? $"{e.Message} ({way})" : e.Message;
}
