using System.Collections.Generic;
using System.Management.Automation;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Remove-EsxPackage: removes packages (objects, names, "name version" or ids) or components (all their VIBs) from a
/// session profile; refuses to remove a package that others depend on, or one of the base image's ESXi component,
/// unless -Force. Returns the edited profile.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "EsxPackage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[Alias("Remove-EsxSoftwarePackage")]
[OutputType(EsxTypeNames.ImageProfile)]
public sealed class RemoveEsxPackageCommand : EsxCmdlet
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

    /// <summary>Remove even packages that others depend on.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() => _items.AddRange(Package);

    protected override void EndProcessing()
    {
        // A failed edit writes errors and no profile; the user's object keeps its state.
        try
        {
            var live = ResolveLive(Profile);
            if (!ShouldProcess(live.Name, $"Remove {_items.Count} package(s)")) return;
            var result = ProfileEditor.Default.RemovePackages(live.Snapshot, ToPackageRefs(_items, forRemoval: true), new EditOptions { Force = Force },
                                                             new PackageIndex(Session.Catalog));
            CommitOrReportEdit(live, result);
        }
        catch (EsxException e)
        {
            ThrowEsxError(e);
        }
    }
}
