using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Get-EsxProfile: the profiles of the session and of the added depots (or only of the depots given or
/// piped in), filtered by name and vendor wildcards with the engine's profile filter.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsxProfile")]
[Alias("Get-EsxImageProfile")]
[OutputType(EsxTypeNames.ImageProfile)]
public sealed class GetEsxProfileCommand : EsxCmdlet
{
    private readonly List<Depot> _depots = new List<Depot>();
    private readonly List<string> _names = new List<string>();

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public string[] Name { get; set; }

    [Parameter]
    [SupportsWildcards]
    public string[] Vendor { get; set; }

    /// <summary>Only profiles of these depots (default: the session's and all added depots').</summary>
    [Parameter(ValueFromPipeline = true)]
    [Alias("SoftwareDepot")]
    [DepotTransformation]
    public Depot[] Depot { get; set; }

    protected override void ProcessRecord()
    {
        if (Depot != null) _depots.AddRange(Depot);
        // Names come once as a parameter or once per piped object (by property name).
        if (Name != null) foreach (var n in Name) if (!_names.Contains(n)) _names.Add(n);
    }

    protected override void EndProcessing()
    {
        IEnumerable<ImageProfile> pool = _depots.Count > 0 ? Session.Depots.FindProfiles(depots: _depots) : Session.AllProfiles;
        var names = _names.Count > 0 ? _names : null;
        var found = DepotQueries.FilterProfiles(pool, names, Vendor);
        WriteObject(Session.Live(found), enumerateCollection: true);
        foreach (var name in _names)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name)) continue;
            if (!found.Any(p => string.Equals(p.Name, name, System.StringComparison.OrdinalIgnoreCase)))
                WriteEsxError(ErrorCodes.ProfileNotFound, ErrorCategory.ObjectNotFound,
                    $"no image profile named '{name}' in this session or its depots (see Get-EsxProfile)", name);
        }
    }
}
