using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Get-DepotComponents: ImageBuilder's ESXi 7.0+ cmdlet for the components of a depot given by path or URL
/// (Name, Version, ID as <c>name:version</c>, Vendor), the same component objects Get-EsxComponent returns.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsxDepotComponent")]
[Alias("Get-DepotComponents")]
[OutputType(EsxTypeNames.Component)]
public sealed class GetEsxDepotComponentCommand : DepotSourceCmdlet
{
    /// <summary>Offline depot zips, component zips, folders or online depot index.xml URLs.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string[] Depot { get; set; }

    /// <summary>Component ids (<c>name:version</c>) or names to return (wildcards).</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DepotContentCompleter))]
    public string[] Id { get; set; }

    protected override void EndProcessing()
        => RunOrThrow(() => WriteObject(OpenDepots(Depot).Components.Where(c => Matches(Id, c.Id, c.Name)).ToList(), enumerateCollection: true),
                      string.Join(", ", Depot));
}
