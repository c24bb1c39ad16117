using System.Management.Automation;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Export-EsxImageProfile: ImageBuilder's export cmdlet, kept as a real cmdlet because an alias cannot
/// dispatch on -ExportToIso / -ExportToBundle. Calls the same export as Export-EsxProfileToIso and
/// Export-EsxProfileToBundle. Its -Force is ImageBuilder's: it replaces an existing file and exports a profile that
/// fails validation (each problem becomes a warning), as scripts that add packages with -Force expect.
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

    // Not mandatory: a mandatory switch of the default set makes PowerShell prompt for it (BeginProcessing explains instead).
    [Parameter(ParameterSetName = IsoSet)]
    public SwitchParameter ExportToIso { get; set; }

    [Parameter(ParameterSetName = BundleSet)]
    public SwitchParameter ExportToBundle { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string FilePath { get; set; }

    internal override string InvalidProfileSwitch => AllowInvalidProfile ? "-AllowInvalidProfile" : Force ? "-Force" : null;

    // Without -ExportToIso or -ExportToBundle PowerShell would prompt for the default set's switch; say what is missing instead.
    protected override void BeginProcessing()
    {
        if (!ExportToIso && !ExportToBundle)
            ThrowTerminatingError(EsxErrors.Create("ExportKindMissing", ErrorCategory.InvalidArgument,
                "Export-EsxImageProfile needs -ExportToIso or -ExportToBundle to know what to write", null));
    }

    protected override void ProcessRecord()
        => Export(ImageProfile, FilePath, ParameterSetName == BundleSet ? ExportKind.Bundle : ExportKind.Iso);
}
