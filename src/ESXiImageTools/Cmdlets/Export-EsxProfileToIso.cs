using System.Management.Automation;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>Export-EsxProfileToIso: writes a profile as a bootable ESXi installation ISO through the engine's exporter.</summary>
[Cmdlet(VerbsData.Export, "EsxProfileToIso", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(EsxTypeNames.FileInfo)]
public sealed class ExportEsxProfileToIsoCommand : ProfileFileExportCmdlet
{
    internal override ExportKind Kind => ExportKind.Iso;
}
