using System.Management.Automation;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>Export-EsxProfileToBundle: writes a profile as an offline bundle zip (index.xml, metadata.zip, vib20/) through the engine's exporter.</summary>
[Cmdlet(VerbsData.Export, "EsxProfileToBundle", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(EsxTypeNames.FileInfo)]
public sealed class ExportEsxProfileToBundleCommand : ProfileFileExportCmdlet
{
    internal override ExportKind Kind => ExportKind.Bundle;
}
