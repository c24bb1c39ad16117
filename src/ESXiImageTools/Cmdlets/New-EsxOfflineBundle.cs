using System;
using System.Management.Automation;
using System.Threading;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// New-OfflineBundle: ImageBuilder's ESXi 7.0+ cmdlet that writes an offline bundle (a depot zip vLCM imports) from
/// depots and a software spec, with the vendor name and 3-character code index.xml carries; the same build and bundle
/// export as <c>esximage build --spec … --bundle</c>.
/// </summary>
[Cmdlet(VerbsCommon.New, "EsxOfflineBundle", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("New-OfflineBundle")]
[OutputType(EsxTypeNames.FileInfo)]
public sealed class NewEsxOfflineBundleCommand : SoftwareSpecImageCmdlet
{
    /// <summary>The bundle zip to write.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [Alias("FilePath")]
    public string Destination { get; set; }

    /// <summary>index.xml's vendor code: exactly 3 letters or digits.</summary>
    [Parameter(Mandatory = true)]
    public string VendorCode { get; set; }

    /// <summary>index.xml's vendor name.</summary>
    [Parameter(Mandatory = true)]
    public string VendorName { get; set; }

    internal override string DestinationPath => ResolveOutputPath(Destination);

    internal override string What => "offline bundle";

    internal override void CheckArguments() => BundleExporter.CheckVendorCode(VendorCode);

    internal override ExportResult Export(ImageProfile profile, ExportRequest request, IProgress<ExportProgress> progress, CancellationToken token)
        => BundleExporter.Export(profile, request.Fill(new BundleExportOptions { VendorName = VendorName, VendorCode = VendorCode }), progress, token);
}
