using System.Management.Automation;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Get-DepotInfo: ImageBuilder's ESXi 7.0+ cmdlet for basic information about a depot given by path or URL: the depot
/// object (kind, vendors, packages, profiles, components, base-image and add-on documents), read without adding it to
/// the session.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsxDepotInfo")]
[Alias("Get-DepotInfo")]
[OutputType(EsxTypeNames.Depot)]
public sealed class GetEsxDepotInfoCommand : DepotSourceCmdlet
{
    /// <summary>Offline depot zips, folders or online depot index.xml URLs.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string[] Depot { get; set; }

    protected override void EndProcessing()
        => RunOrThrow(() => WriteObject(OpenDepots(Depot).Depots, enumerateCollection: true), string.Join(", ", Depot));
}
