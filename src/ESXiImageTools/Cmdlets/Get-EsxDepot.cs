using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>Get-EsxDepot: the depots added in this session, optionally filtered by source (wildcards).</summary>
[Cmdlet(VerbsCommon.Get, "EsxDepot")]
[Alias("Get-EsxSoftwareDepot")]
[OutputType(EsxTypeNames.Depot)]
public sealed class GetEsxDepotCommand : EsxCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DepotSourceCompleter))]
    public string[] Source { get; set; }

    protected override void ProcessRecord()
    {
        var depots = Session.Depots.Depots;
        if (Source != null)
        {
            var patterns = Source.Select(s => new WildcardPattern(s, WildcardOptions.IgnoreCase)).ToList();
            depots = depots.Where(d => patterns.Any(p => p.IsMatch(d.Source))).ToList();
        }
        WriteObject(depots, enumerateCollection: true);
    }
}
