using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Infrastructure;
using ESXiImageTools.ObjectModel;

namespace ESXiImageTools.Cmdlets;

/// <summary>Get-DepotVibs: ImageBuilder's ESXi 7.0+ cmdlet for the VIBs of a depot given by path or URL.</summary>
[Cmdlet(VerbsCommon.Get, "EsxDepotVib")]
[Alias("Get-DepotVibs")]
[OutputType(EsxTypeNames.SoftwarePackage)]
public sealed class GetEsxDepotVibCommand : DepotSourceCmdlet
{
    /// <summary>Offline depot zips, folders or online depot index.xml URLs.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string[] Depot { get; set; }

    /// <summary>VIB ids, names or <c>name:version</c> to return (wildcards).</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DepotContentCompleter))]
    public string[] Id { get; set; }

    protected override void EndProcessing()
        => RunOrThrow(() => WriteObject(SoftwarePackage.For(OpenDepots(Depot).Packages.Where(v => Matches(Id, v.Id, v.Name, v.Name + ":" + v.Version))),
                                        enumerateCollection: true), string.Join(", ", Depot));
}
