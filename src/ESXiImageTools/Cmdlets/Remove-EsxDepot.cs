using System.Collections.Generic;
using System.Management.Automation;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>Remove-EsxDepot: removes depots (objects, or sources with wildcards) from the session.</summary>
[Cmdlet(VerbsCommon.Remove, "EsxDepot", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[Alias("Remove-EsxSoftwareDepot")]
[OutputType(EsxTypeNames.Depot)]
public sealed class RemoveEsxDepotCommand : EsxCmdlet
{
    /// <summary>
    /// Depot objects or what named them: the path given to Add-EsxDepot (relative ones against the current location), the
    /// bare file name, the Source or DepotUrl Get-EsxDepot shows (a DepotUrl's ? is literal), or a wildcard pattern over Source.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("SoftwareDepot")]
    [ArgumentCompleter(typeof(DepotSourceCompleter))]
    public object[] Depot { get; set; }

    /// <summary>Write the removed depots to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var item in Depot)
        {
            var value = ProfileArgument.Unwrap(item);
            if (value is Depot depot)
            {
                if (!ShouldProcess(depot.Source, "Remove depot")) continue;
                if (Session.Depots.Remove(depot)) { PublishDepots(); if (PassThru) WriteObject(depot); }
                else WriteNotFound(depot.Source);
                continue;
            }
            var source = value?.ToString();
            if (!ShouldProcess(source, "Remove depot")) continue;
            var removed = new List<Depot>();
            foreach (var d in DepotLookup.Find(Session.Depots, SessionState, source))
                if (Session.Depots.Remove(d)) removed.Add(d);
            if (removed.Count > 0) PublishDepots();
            // A pattern that matches nothing is no error; a DepotUrl's '?' makes no pattern.
            bool pattern = WildcardPattern.ContainsWildcardCharacters(source) && DepotReader.ZipFormPath(source) == null;
            if (removed.Count == 0 && !pattern) WriteNotFound(source);
            if (PassThru) WriteObject(removed, enumerateCollection: true);
        }
    }

    private void WriteNotFound(string source)
        => WriteEsxError(ErrorCodes.DepotNotFound, ErrorCategory.ObjectNotFound, $"no depot '{source}' in this session (see Get-EsxDepot)", source);
}
