using System;
using System.Management.Automation;
using System.Threading;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// New-PxeImage: ImageBuilder's ESXi 7.0+ cmdlet that writes a PXE image folder from depots and a software spec; the
/// same build as New-IsoImage and the engine's PXE export (as <c>esximage build --spec … --pxe</c>).
/// </summary>
[Cmdlet(VerbsCommon.New, "EsxPxeImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("New-PxeImage")]
[OutputType(typeof(System.IO.DirectoryInfo))]
public sealed class NewEsxPxeImageCommand : BootImageSpecCmdlet
{
    /// <summary>The folder to write (it must not exist unless -Overwrite).</summary>
    [Parameter(Mandatory = true)]
    public string Destination { get; set; }

    /// <summary>
    /// Write a live image: machines booted from the folder run ESXi itself, stateless, instead of the installer (BOOT.CFG
    /// without the installer's <c>runweasel</c>; -KernelOptions still replaces the kernel options).
    /// </summary>
    [Parameter]
    public SwitchParameter LiveImage { get; set; }

    /// <summary>BOOT.CFG <c>prefix=</c>: the folder's path under the TFTP root or an http:// URL (default: the folder's name).</summary>
    [Parameter]
    public string Prefix { get; set; }

    internal override string DestinationPath => ResolveOutputPath(Destination);

    internal override bool DestinationIsFolder => true;

    internal override string What => LiveImage ? "live PXE image" : "PXE image";

    internal override ExportResult Export(ImageProfile profile, ExportRequest request, IProgress<ExportProgress> progress, CancellationToken token)
        => PxeExporter.Export(profile, request.Fill(new PxeExportOptions { Prefix = Prefix, KernelOptions = KernelOptionText, Live = LiveImage }), progress, token);
}
