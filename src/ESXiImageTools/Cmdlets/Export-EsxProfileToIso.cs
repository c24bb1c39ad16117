using System.Management.Automation;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>Export-EsxProfileToIso: writes a profile as a bootable ESXi installation ISO through the engine's exporter.</summary>
[Cmdlet(VerbsData.Export, "EsxProfileToIso", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(EsxTypeNames.FileInfo)]
public sealed class ExportEsxProfileToIsoCommand : ProfileExportCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("ImageProfile")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument Profile { get; set; }

    [Parameter(Mandatory = true, Position = 1)]
    public string FilePath { get; set; }

    /// <summary>Replace an existing file, and export even when the profile has validation errors.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Skip the check that packages claiming a VMware or partner level are signed.</summary>
    [Parameter]
    public SwitchParameter NoSignatureCheck { get; set; }

    /// <summary>Write the exported file (FileInfo) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Export(Profile, FilePath, ExportKind.Iso, Force, NoSignatureCheck, PassThru);
}
