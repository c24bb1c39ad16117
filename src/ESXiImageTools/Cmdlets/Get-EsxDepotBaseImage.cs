using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Composition;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Get-DepotBaseImages: ImageBuilder's ESXi 7.0+ cmdlet for the base images of a depot given by path or URL, as
/// Get-EsxBaseImage finds them (one per version of the <c>ESXi</c> component, with the profiles that carry it).
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsxDepotBaseImage")]
[Alias("Get-DepotBaseImages")]
[OutputType(EsxTypeNames.BaseImage)]
public sealed class GetEsxDepotBaseImageCommand : DepotSourceCmdlet
{
    /// <summary>Offline depot zips, folders or online depot index.xml URLs.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string[] Depot { get; set; }

    /// <summary>Base image versions (or display versions) to return (wildcards).</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    public string[] Version { get; set; }

    protected override void EndProcessing()
        => RunOrThrow(() =>
        {
            var session = OpenDepots(Depot);
            WriteObject(BaseImages.List(session.Components, session.Profiles).Where(b => Matches(Version, b.Version, b.UiVersion)).ToList(),
                        enumerateCollection: true);
        }, string.Join(", ", Depot));
}
