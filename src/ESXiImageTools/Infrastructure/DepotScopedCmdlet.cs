using System.Collections.Generic;
using System.Management.Automation;
using ESXiImageTools.Core.Depots;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// A Get- cmdlet over depot contents: takes depots from -Depot or the pipeline and reads either those or, when none
/// came, every depot added in the session.
/// </summary>
public abstract class DepotScopedCmdlet : EsxCmdlet
{
    private readonly List<Depot> _depots = new List<Depot>();

    /// <summary>Only these depots (default: all added depots).</summary>
    [Parameter(ValueFromPipeline = true)]
    [Alias("SoftwareDepot")]
    [DepotTransformation]
    public Depot[] Depot { get; set; }

    protected override void ProcessRecord()
    {
        if (Depot != null) _depots.AddRange(Depot);
    }

    /// <summary>The depots given, or every depot of the session when none was.</summary>
    internal IReadOnlyList<Depot> SelectedDepots => _depots.Count > 0 ? _depots : Session.Depots.Depots;
}
