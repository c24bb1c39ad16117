using System.Management.Automation;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Export-EsxProfileToPxe: writes a profile as a PXE image folder (boot modules, boot.cfg with prefix=, mboot.c32,
/// mboot.efi and efi/boot/bootx64.efi, README) through the engine's PXE exporter, next to Export-EsxProfileToIso.
/// </summary>
[Cmdlet(VerbsData.Export, "EsxProfileToPxe", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(System.IO.DirectoryInfo))]
public sealed class ExportEsxProfileToPxeCommand : ProfileExportCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ImageProfile")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument Profile { get; set; }

    /// <summary>The folder to write; it must not exist unless -Force.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Destination")]
    public string FolderPath { get; set; }

    /// <summary>BOOT.CFG <c>prefix=</c>: the folder's path under the TFTP root or an http:// URL (default: the folder's name; '' for none).</summary>
    [Parameter]
    public string Prefix { get; set; }

    internal override PxeExportOptions NewPxeOptions() => new PxeExportOptions { Prefix = Prefix };

    protected override void ProcessRecord() => Export(Profile, FolderPath, ExportKind.Pxe);
}
