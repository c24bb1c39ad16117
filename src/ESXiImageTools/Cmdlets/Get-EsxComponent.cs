using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Infrastructure;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Get-EsxComponent: the ESXi 7.0+ components of the added depots (or of depots from the pipeline), filtered by
/// name, version and vendor (wildcards) and -Newest; or, with -Profile, the components a profile holds (complete or
/// partial). Components pipe into Add-EsxPackage / Remove-EsxPackage, which then add or remove their VIBs together.
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsxComponent", DefaultParameterSetName = DepotSet)]
[OutputType(EsxTypeNames.Component, ParameterSetName = new[] { DepotSet })]
[OutputType(EsxTypeNames.ProfileComponent, ParameterSetName = new[] { ProfileSet })]
public sealed class GetEsxComponentCommand : EsxCmdlet
{
    private const string DepotSet = "Depot";
    private const string ProfileSet = "Profile";
    private readonly List<Depot> _depots = new List<Depot>();

    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[] Name { get; set; }

    [Parameter]
    [SupportsWildcards]
    public string[] Version { get; set; }

    [Parameter(ParameterSetName = DepotSet)]
    [SupportsWildcards]
    public string[] Vendor { get; set; }

    /// <summary>Only the highest version of each component name.</summary>
    [Parameter(ParameterSetName = DepotSet)]
    public SwitchParameter Newest { get; set; }

    /// <summary>Only components of these depots (default: all added depots).</summary>
    [Parameter(ParameterSetName = DepotSet, ValueFromPipeline = true)]
    [Alias("SoftwareDepot")]
    [DepotTransformation]
    public Depot[] Depot { get; set; }

    /// <summary>The components a profile holds, derived from its VIBs and the depots' bulletins.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ProfileSet)]
    [Alias("ImageProfile")]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    public ProfileArgument Profile { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == DepotSet && Depot != null) _depots.AddRange(Depot);
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == ProfileSet)
        {
            try
            {
                var profile = ResolveProfile(Profile).WithComponentBulletins(Session.Depots.Bulletins);
                var wanted = profile.Components.Where(c =>
                    (Name == null || Name.Any(n => Wildcard.IsMatch(n, c.Name) || Wildcard.IsMatch(n, c.Id))) &&
                    (Version == null || Version.Any(v => Wildcard.IsMatch(v, c.Version))));
                WriteObject(wanted.ToList(), enumerateCollection: true);
            }
            catch (EsxException e)
            {
                ThrowEsxError(e, Profile?.ToString());
            }
            return;
        }
        var query = new ComponentQuery
        {
            Names = Name ?? Array.Empty<string>(),
            Versions = Version ?? Array.Empty<string>(),
            Vendors = Vendor ?? Array.Empty<string>(),
            Newest = Newest,
        };
        WriteObject(Session.Depots.FindComponents(query, _depots.Count > 0 ? _depots : null), enumerateCollection: true);
    }
}
