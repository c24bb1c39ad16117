using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Get-DepotAddons: ImageBuilder's ESXi 7.0+ cmdlet for the vendor add-ons of a depot given by path or URL. The
/// add-on documents (<c>addons/</c> in the depot metadata) are listed by id as Get-EsxAddon lists them, with their
/// text uninterpreted: no public source documents their encoding (README).
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsxDepotAddon")]
[Alias("Get-DepotAddons")]
[OutputType(EsxTypeNames.ReleaseUnit)]
public sealed class GetEsxDepotAddonCommand : DepotSourceCmdlet
{
    /// <summary>Offline depot zips, folders or online depot index.xml URLs.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string[] Depot { get; set; }

    /// <summary>Add-on document ids to return (wildcards).</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DepotContentCompleter))]
    public string[] Id { get; set; }

    protected override void EndProcessing()
        => RunOrThrow(() => WriteObject(OpenDepots(Depot).Depots.SelectMany(d => d.Addons).Where(a => Matches(Id, a.Id)).ToList(), enumerateCollection: true),
                      string.Join(", ", Depot));
}
