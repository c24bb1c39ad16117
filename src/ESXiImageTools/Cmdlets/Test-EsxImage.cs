using System.Management.Automation;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Verification;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>Test-EsxImage: structural checks of a finished ISO or offline bundle through the engine's <see cref="ImageVerifier"/>.</summary>
[Cmdlet(VerbsDiagnostic.Test, "EsxImage")]
[OutputType(EsxTypeNames.ImageVerification, "System.Boolean")]
public sealed class TestEsxImageCommand : EsxCmdlet
{
    /// <summary>ISO or bundle files (wildcards allowed).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName")]
    [SupportsWildcards]
    public string[] Path { get; set; }

    /// <summary>
    /// Certificate files (PEM or DER) trusted to sign VIBs up to PartnerSupported, besides VMware's built-in ones
    /// (partner CAs, in-house signing); ESXIIMAGETOOLS_TRUSTED_CERTS adds a path list.
    /// </summary>
    [Parameter]
    public string[] TrustedCertificate { get; set; }

    /// <summary>Return only whether each image has no error-level problem.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    private VibTrustStore _trust;

    protected override void BeginProcessing()
    {
        var certificates = TrustedCertificate == null ? null : ResolveExistingPaths(TrustedCertificate, literal: true);
        if (certificates != null && certificates.Count != TrustedCertificate.Length) return;
        TryRun(() => _trust = TrustedCertificates.Store(certificates), TrustedCertificate);
    }

    protected override void ProcessRecord()
    {
        if (_trust == null) return;   // a -TrustedCertificate file was reported
        foreach (var file in ResolveExistingPaths(Path, literal: false))
        {
            TryRun(() =>
            {
                var result = RunWithProgress<ImageVerification, string>("Verifying " + file,
                    (progress, token) => ImageVerifier.Verify(file, _trust, token), s => new ProgressDetail(s, null, -1));
                if (Quiet) WriteObject(result.IsValid);
                else WriteObject(result);
            }, file);
        }
    }
}
