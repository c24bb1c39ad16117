using System.Management.Automation;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>Remove-EsxProfile: removes profiles made in this session. Depot profiles belong to their depot.</summary>
[Cmdlet(VerbsCommon.Remove, "EsxProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("Remove-EsxImageProfile")]
[OutputType(EsxTypeNames.ImageProfile)]
public sealed class RemoveEsxProfileCommand : EsxCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("ImageProfile")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument[] Profile { get; set; }

    /// <summary>Write the removed profiles to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var argument in Profile)
        {
            TryRun(() =>
            {
                var profile = ResolveLive(argument);
                if (profile.Source != null)
                    throw new EsxException(ErrorCodes.ProfileReadOnly, EsxErrorCategory.InvalidOperation,
                        $"profile '{profile.Name}' belongs to depot {profile.Source}; remove the depot instead (Remove-EsxDepot)", profile.Name);
                if (!ShouldProcess(profile.Name, "Remove image profile")) return;
                Session.Remove(profile.Name);
                if (PassThru) WriteObject(profile);
            }, argument.ToString());
        }
    }
}
