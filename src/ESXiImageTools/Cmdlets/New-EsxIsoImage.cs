using System;
using System.Management.Automation;
using System.Threading;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// New-IsoImage: ImageBuilder's ESXi 7.0+ cmdlet that writes an installer ISO from depots and a software spec; the
/// same build and ISO export as <c>esximage build --spec … --iso</c>.
/// </summary>
[Cmdlet(VerbsCommon.New, "EsxIsoImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("New-IsoImage")]
[OutputType(EsxTypeNames.FileInfo)]
public sealed class NewEsxIsoImageCommand : BootImageSpecCmdlet
{
    /// <summary>The ISO file to write.</summary>
    [Parameter(Mandatory = true)]
    [Alias("FilePath")]
    public string Destination { get; set; }

    internal override string DestinationPath => ResolveOutputPath(Destination);

    internal override string What => "installer ISO";

    internal override ExportResult Export(ImageProfile profile, ExportRequest request, IProgress<ExportProgress> progress, CancellationToken token)
        => IsoExporter.Export(profile, request.Fill(new IsoExportOptions { KernelOptions = KernelOptionText }), progress, token);
}
