using System.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Cli.Commands;

/// <summary>The <c>--trust-cert &lt;pem&gt;</c> option of the commands that check VIB signatures, and how they name the way past a failed check.</summary>
public static class TrustArguments
{
    public const string Option = "trust-cert";

    public const string Usage =
        "  --trust-cert  a certificate file (PEM or DER) to trust for VIB signatures up to PartnerSupported, besides VMware's\n" +
        "                built-in ones (repeatable; ESXIIMAGETOOLS_TRUSTED_CERTS adds a path list)";

    /// <summary>VMware's certificates, those ESXIIMAGETOOLS_TRUSTED_CERTS names, and every --trust-cert file.</summary>
    public static VibTrustStore Store(CliArguments args, CliContext context)
        => VibTrustStore.Create(args.Values(Option).Select(context.ResolvePath));
}
