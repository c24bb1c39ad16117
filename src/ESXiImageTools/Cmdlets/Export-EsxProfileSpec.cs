using System.IO;
using System.Management.Automation;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Export-EsxProfileSpec: saves a session profile as a JSON spec (its base profile plus the packages
/// added and removed and the settings) that New-EsxProfile -Spec and esximage read back.
/// </summary>
[Cmdlet(VerbsData.Export, "EsxProfileSpec", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(EsxTypeNames.FileInfo)]
public sealed class ExportEsxProfileSpecCommand : EsxCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("ImageProfile")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument Profile { get; set; }

    [Parameter(Mandatory = true, Position = 1)]
    public string FilePath { get; set; }

    /// <summary>The profile the spec starts from; default: the one the profile was cloned from.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument BaseProfile { get; set; }

    /// <summary>Replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write the spec file (FileInfo) to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var path = ResolveOutputPath(FilePath);
        TryRun(() =>
        {
            var live = ResolveLive(Profile);
            var profile = live.Snapshot;
            var baseProfile = BaseProfile != null ? ResolveProfile(BaseProfile) : live.Base;
            if (baseProfile == null)
                throw new EsxException(ErrorCodes.ProfileSpecInvalid, EsxErrorCategory.InvalidArgument,
                    $"profile '{profile.Name}' was not cloned in this session; name the profile it starts from with -BaseProfile", profile.Name);
            if (!ShouldProcess(path, $"Export spec of profile '{profile.Name}'")) return;
            // Written atomically; an existing file is refused (ExportDestinationExists) unless -Force.
            ProfileSpec.FromProfiles(baseProfile, profile).Save(path, overwrite: Force);
            if (PassThru) WriteObject(new FileInfo(path));
        }, Profile.ToString());
    }
}
