using System.Management.Automation;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Get-EsxAddon: the vendor add-ons (<c>addons/</c> in depot metadata) of the added depots, read from their
/// release-unit documents: Name, Version, ID, Vendor, Release date and the components each adds and removes. A
/// document that is not a readable add-on is reported as a non-terminating error and written as its raw
/// release-unit document. A software spec's <c>add_on</c> is not applied by this version; name the add-on's
/// components instead.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsxAddon")]
[OutputType(EsxTypeNames.Addon, EsxTypeNames.ReleaseUnit)]
public sealed class GetEsxAddonCommand : DepotScopedCmdlet
{
    /// <summary>Add-on names or ids (or document file names) to return (wildcards).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[] Name { get; set; }

    protected override void EndProcessing()
    {
        foreach (var entry in AddonListing.Read(SelectedDepots))
        {
            if (!entry.Matches(Name)) continue;
            if (entry.Error != null) WriteEsxError(entry.Error, entry.Document.EntryName);
            WriteObject(entry.Output);
        }
    }
}
