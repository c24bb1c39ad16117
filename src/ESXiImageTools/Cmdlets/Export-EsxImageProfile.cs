using System.Management.Automation;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Export-EsxImageProfile: ImageBuilder's export cmdlet, kept as a real cmdlet because an alias cannot
/// dispatch on -ExportToIso / -ExportToBundle. Calls the same export as Export-EsxProfileToIso and
/// Export-EsxProfileToBundle.
/// </summary>
[Cmdlet(VerbsData.Export, "EsxImageProfile", DefaultParameterSetName = IsoSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(EsxTypeNames.FileInfo)]
public sealed class ExportEsxImageProfileCommand : ProfileExportCmdlet
{
    private const string IsoSet = "ExportToIso";
    private const string BundleSet = "ExportToBundle";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Profile")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument ImageProfile { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = IsoSet)]
    public SwitchParameter ExportToIso { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = BundleSet)]
    public SwitchParameter ExportToBundle { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string FilePath { get; set; }

    protected override void ProcessRecord()
        => Export(ImageProfile, FilePath, ParameterSetName == BundleSet ? ExportKind.Bundle : ExportKind.Iso);
}
