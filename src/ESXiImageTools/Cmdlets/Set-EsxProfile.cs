using System.Management.Automation;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>Set-EsxProfile: changes name, vendor, description, acceptance level or read-only flag of a session profile.</summary>
[Cmdlet(VerbsCommon.Set, "EsxProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[Alias("Set-EsxImageProfile")]
[OutputType(EsxTypeNames.ImageProfile)]
public sealed class SetEsxProfileCommand : EsxCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("ImageProfile")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument Profile { get; set; }

    [Parameter]
    public string Name { get; set; }

    [Parameter]
    public string Vendor { get; set; }

    [Parameter]
    public string Description { get; set; }

    [Parameter]
    public AcceptanceLevel? AcceptanceLevel { get; set; }

    /// <summary>-ReadOnly locks the profile; -ReadOnly:$false unlocks a session profile.</summary>
    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    /// <summary>Raise the acceptance level even above a package's (the profile becomes invalid).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var live = ResolveLive(Profile);
            var profile = live.Snapshot;
            if (!ShouldProcess(profile.Name, "Set image profile")) return;
            var settings = new ProfileSettings
            {
                Name = Name, Vendor = Vendor, Description = Description, AcceptanceLevel = AcceptanceLevel,
                ReadOnly = MyInvocation.BoundParameters.ContainsKey(nameof(ReadOnly)) ? ReadOnly.IsPresent : (bool?)null,
            };
            var result = live.Edit(settings, new EditOptions { Force = Force });
            CommitEdit(live, result);
        }
        catch (EsxException e)
        {
            WriteEsxError(e);
        }
    }
}
