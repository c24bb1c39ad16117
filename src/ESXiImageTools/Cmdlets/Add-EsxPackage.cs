using System.Collections.Generic;
using System.Management.Automation;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Add-EsxPackage: adds packages (objects, names, "name version" or ids) or components (all their VIBs) to a session profile. Items
/// from the pipeline are collected and applied as one edit, so replacements and validation judge the
/// whole set. Returns the profile, also when every package was already in it (as ImageBuilder does, so
/// <c>$p = Add-EsxSoftwarePackage ...</c> keeps a profile); a failed edit returns nothing.
/// </summary>
[Cmdlet(VerbsCommon.Add, "EsxPackage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[Alias("Add-EsxSoftwarePackage")]
[OutputType(EsxTypeNames.ImageProfile)]
public sealed class AddEsxPackageCommand : EsxCmdlet
{
    private readonly List<object> _items = new List<object>();

    [Parameter(Mandatory = true)]
    [Alias("ImageProfile")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument Profile { get; set; }

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("SoftwarePackage")]
    [ArgumentCompleter(typeof(PackageNameCompleter))]
    public object[] Package { get; set; }

    /// <summary>Lower the profile's acceptance level to the least trusted added package (with a warning).</summary>
    [Parameter]
    public SwitchParameter AllowLowerAcceptance { get; set; }

    /// <summary>Add even when the result has validation errors (they become warnings).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() => _items.AddRange(Package);

    protected override void EndProcessing()
    {
        // A failed edit writes errors and no profile; the user's object keeps its state.
        try
        {
            var live = ResolveLive(Profile);
            if (!ShouldProcess(live.Name, $"Add {_items.Count} package(s)")) return;
            var result = ProfileEditor.Default.AddPackages(live.Snapshot, ToPackageRefs(_items), Session.Catalog,
                new EditOptions { Force = Force, AllowLowerAcceptance = AllowLowerAcceptance });
            // The profile learns the bulletins of components it now holds, so its Components and validation see them.
            result = result with { Profile = result.Profile.WithComponentBulletins(Session.Depots.Bulletins) };
            CommitOrReportEdit(live, result);
        }
        catch (EsxException e)
        {
            ThrowEsxError(e);
        }
    }
}
