using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Get-EsxAddon: the vendor add-on documents (<c>addons/</c> in depot metadata) of the added depots, by id and entry
/// name, with their text uninterpreted: no public source documents their encoding (README). A software spec's
/// <c>add_on</c> is therefore not applied; name the add-on's components instead.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsxAddon")]
[OutputType(EsxTypeNames.ReleaseUnit)]
public sealed class GetEsxAddonCommand : DepotScopedCmdlet
{
    /// <summary>Add-on document ids (file names without extension) to return (wildcards).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[] Name { get; set; }

    protected override void EndProcessing()
    {
        var depots = SelectedDepots;
        var addons = depots.SelectMany(d => d.Addons).Where(a => Name == null || Name.Any(n => Wildcard.IsMatch(n, a.Id)));
        WriteObject(addons.ToList(), enumerateCollection: true);
    }
}
