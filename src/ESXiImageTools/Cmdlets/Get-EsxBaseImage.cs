using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Composition;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Get-EsxBaseImage: base images of the added depots (or of depots from the pipeline), one per version of the base
/// image's <c>ESXi</c> component, with the image profiles that carry it. VMware's base-image documents are not
/// interpreted (see README); their version is the one a software spec's <c>base_image.version</c> names.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsxBaseImage")]
[OutputType(EsxTypeNames.BaseImage)]
public sealed class GetEsxBaseImageCommand : DepotScopedCmdlet
{
    /// <summary>Base image versions to return (wildcards).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[] Version { get; set; }

    protected override void EndProcessing()
    {
        var depots = SelectedDepots;
        var components = depots.SelectMany(d => d.Components);
        var images = BaseImages.List(components, Session.Depots.Profiles)
            .Where(b => Version == null || Version.Any(v => Wildcard.IsMatch(v, b.Version) || Wildcard.IsMatch(v, b.UiVersion)));
        WriteObject(images.ToList(), enumerateCollection: true);
    }
}
