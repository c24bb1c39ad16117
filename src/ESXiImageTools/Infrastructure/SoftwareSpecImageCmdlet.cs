using System.IO;
using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Composition;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// Base of New-IsoImage, New-PxeImage and New-OfflineBundle: depots by path or URL plus VMware's software spec build a
/// profile through the engine's SessionProfileBuilder (as <c>esximage build --spec</c> and New-EsxProfile -SoftwareSpec
/// do), which the engine's exporter writes. The timestamp comes from SOURCE_DATE_EPOCH, else now, as the CLI's does
/// without --timestamp. Positions: VMware's reference lists SoftwareSpec as position 1 and -Depots as named, while its
/// own New-PxeImage example passes the depots, then the spec, unnamed; Depots at 0 and SoftwareSpec at 1 take both
/// forms, since a named -Depots leaves the spec the first unnamed argument.
/// </summary>
public abstract class SoftwareSpecImageCmdlet : DepotSourceCmdlet
{
    /// <summary>VMware's software spec JSON (<c>base_image</c>, <c>components</c>, <c>removed_components</c>).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    public string SoftwareSpec { get; set; }

    /// <summary>Offline depot zips, component zips, folders or online depot index.xml URLs, in any number and combination.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string[] Depots { get; set; }

    /// <summary>Replace an existing destination.</summary>
    [Parameter]
    [Alias("Force")]
    public SwitchParameter Overwrite { get; set; }

    /// <summary>
    /// Export VIBs whose signature an ESXi host would refuse (missing, not verifying, untrusted, or not allowed their
    /// acceptance level), with one warning per kind of failure.
    /// </summary>
    [Parameter]
    public SwitchParameter NoSignatureCheck { get; set; }

    /// <summary>
    /// Certificate files (PEM or DER) trusted to sign VIBs up to PartnerSupported, besides VMware's built-in ones
    /// (partner CAs, in-house signing); ESXIIMAGETOOLS_TRUSTED_CERTS adds a path list.
    /// </summary>
    [Parameter]
    public string[] TrustedCertificate { get; set; }

    /// <summary>Write what was written (a FileInfo or DirectoryInfo) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>
    /// VMware's switch names: -Overwrite replaces an output (-Force is only its alias), and there is no switch that
    /// exports an invalid image, so that hint gives no advice.
    /// </summary>
    internal override string RenderHint(string hint) => hint switch
    {
        Core.Diagnostics.EsxHints.OverwriteNeeded => "use -Overwrite to replace it",
        Core.Diagnostics.EsxHints.AllowInvalidProfile => null,
        _ => base.RenderHint(hint),
    };

    /// <summary>The resolved destination.</summary>
    internal abstract string DestinationPath { get; }

    /// <summary>Whether the destination is a folder (a PXE image) rather than a file.</summary>
    internal virtual bool DestinationIsFolder => false;

    /// <summary>What the export writes, for ShouldProcess and progress.</summary>
    internal abstract string What { get; }

    private bool WhatIfRequested => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter s && s.IsPresent;

    /// <summary>Checks the cmdlet's own arguments before any depot is read; throws an EsxException when one is wrong.</summary>
    internal virtual void CheckArguments() { }

    /// <summary>Runs the export of <paramref name="profile"/> as <paramref name="request"/> asks (<see cref="ExportRequest.Fill{T}"/> makes the format's options).</summary>
    internal abstract ExportResult Export(ImageProfile profile, ExportRequest request,
                                          System.IProgress<ExportProgress> progress, System.Threading.CancellationToken token);

    protected override void EndProcessing()
    {
        var specPath = ResolveExistingPaths(new[] { SoftwareSpec }, literal: true).FirstOrDefault();
        if (specPath == null) return;
        var destination = DestinationPath;
        var certificates = TrustedCertificate == null ? null : ResolveExistingPaths(TrustedCertificate, literal: true);
        if (certificates != null && certificates.Count != TrustedCertificate.Length) return;   // the missing ones were reported
        RunOrThrow(() =>
        {
            CheckArguments();
            // An existing destination (without -Overwrite) or a missing parent folder is refused before any depot is
            // read, as esximage build does; -WhatIf still only says what would be written.
            if (!WhatIfRequested)
            {
                if (DestinationIsFolder) AtomicFolderWriter.CheckDestination(destination, Overwrite);
                else AtomicFileWriter.CheckDestination(destination, Overwrite);
            }
            var trust = TrustedCertificates.Store(certificates);
            var spec = Core.Components.SoftwareSpec.Load(specPath);
            var session = OpenDepots(Depots);
            var edit = SessionProfileBuilder.Build(new ProfileBuildRequest { SoftwareSpec = spec }, session, cancellationToken: CancellationToken);
            WriteEditReport(edit);
            if (edit.Errors.Count > 0) return;
            if (!ShouldProcess(destination, $"Write {What} of '{edit.Profile.Name}' from software spec '{specPath}'")) return;
            var request = new ExportRequest
            {
                Destination = destination,
                Overwrite = Overwrite,
                NoSignatureCheck = NoSignatureCheck,
                TrustStore = trust,
                Catalog = session.Packages,
            };
            var result = RunWithProgress<ExportResult, ExportProgress>($"Writing {What} of {edit.Profile.Name}",
                (progress, token) => Export(edit.Profile, request, progress, token), ProfileExportCmdlet.Describe);
            foreach (var w in result.Warnings) WriteWarning(w);
            if (PassThru) WriteObject(Directory.Exists(result.Path) ? new DirectoryInfo(result.Path) : (object)new FileInfo(result.Path));
        }, SoftwareSpec);
    }
}
