using ESXiImageTools.Core.Export;

namespace ESXiImageTools.Cli.Commands;

/// <summary>The options every exporting command (build, customize) shares, mapped to the engine's one export request.</summary>
public static class ExportArguments
{
    /// <summary>
    /// --force (replace the output and export a profile that fails validation), --no-signature-check, --trust-cert,
    /// --no-sync and --timestamp as an export request for <paramref name="destination"/>; a command that knows more
    /// (build's spec may force the edit, its session is the catalog) sets it with <c>with</c>.
    /// </summary>
    public static ExportRequest Request(CliArguments args, CliContext context, string destination) => new ExportRequest
    {
        Destination = destination,
        Overwrite = args.Flag("force"),
        AllowInvalidProfile = args.Flag("force"),
        NoSignatureCheck = args.Flag("no-signature-check"),
        TrustStore = TrustArguments.Store(args, context),
        FlushToDisk = !args.Flag("no-sync"),
        // SOURCE_DATE_EPOCH too is read here, so a malformed or out-of-range one is a usage error before any depot is read.
        Timestamp = VibCommand.OutputDate(args.Value("timestamp"), "--timestamp"),
    };
}
