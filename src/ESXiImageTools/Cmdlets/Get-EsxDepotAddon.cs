using System.Management.Automation;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Get-DepotAddons: ImageBuilder's ESXi 7.0+ cmdlet for the vendor add-ons of a depot given by path or URL: the add-on
/// documents (<c>addons/</c> in the depot metadata) read as Get-EsxAddon reads them (Name, Version, ID, Vendor,
/// Release date, components). A document that is not a readable add-on is reported as a non-terminating error and
/// written as its raw release-unit document.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsxDepotAddon")]
[Alias("Get-DepotAddons")]
[OutputType(EsxTypeNames.Addon, EsxTypeNames.ReleaseUnit)]
public sealed class GetEsxDepotAddonCommand : DepotSourceCmdlet
{
    /// <summary>Offline depot zips, folders or online depot index.xml URLs.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string[] Depot { get; set; }

    /// <summary>Add-on ids or names to return (wildcards).</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DepotContentCompleter))]
    public string[] Id { get; set; }

    protected override void EndProcessing()
        => RunOrThrow(() =>
        {
            foreach (var entry in AddonListing.Read(OpenDepots(Depot).Depots))
            {
                if (!entry.Matches(Id)) continue;
                if (entry.Error != null) WriteEsxError(entry.Error, entry.Document.EntryName);
                WriteObject(entry.Output);
            }
        }, string.Join(", ", Depot));
}
