using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Infrastructure;
using ESXiImageTools.ObjectModel;

namespace ESXiImageTools.Cmdlets;

/// <summary>
/// Get-EsxPackage: packages of the added depots (or of depots from the pipeline), or of .vib files and
/// bundles given with -Path, filtered by the engine's package query (name, vendor, version, level,
/// newest, release date).
/// </summary>
[Cmdlet(VerbsCommon.Get, "EsxPackage", DefaultParameterSetName = DepotSet)]
[Alias("Get-EsxSoftwarePackage")]
[OutputType(EsxTypeNames.SoftwarePackage)]
public sealed class GetEsxPackageCommand : EsxCmdlet
{
    private const string DepotSet = "Depot";
    private const string PathSet = "Path";
    private const string PackageSet = "Package";
    private readonly List<Depot> _depots = new List<Depot>();
    private readonly List<Vib> _fromFiles = new List<Vib>();
    private readonly List<string> _names = new List<string>();

    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PackageNameCompleter))]
    public string[] Name { get; set; }

    [Parameter]
    [SupportsWildcards]
    public string[] Vendor { get; set; }

    [Parameter]
    [SupportsWildcards]
    public string[] Version { get; set; }

    [Parameter]
    public AcceptanceLevel? AcceptanceLevel { get; set; }

    /// <summary>Only the highest version of each name (per vendor).</summary>
    [Parameter]
    public SwitchParameter Newest { get; set; }

    /// <summary>Only packages released on or after this date.</summary>
    [Parameter]
    public DateTime? SinceDate { get; set; }

    /// <summary>Only packages of these depots (default: all added depots).</summary>
    [Parameter(ParameterSetName = DepotSet, ValueFromPipeline = true)]
    [Alias("SoftwareDepot")]
    [DepotTransformation]
    public Depot[] Depot { get; set; }

    /// <summary>
    /// Packages whose names to look up in the added depots (e.g. <c>$p.VibList | Get-EsxPackage -Newest</c>):
    /// the depots' packages of those names, filtered by the other parameters.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = PackageSet, ValueFromPipeline = true)]
    [Alias("SoftwarePackage")]
    public SoftwarePackage[] Package { get; set; }

    /// <summary>
    /// Certificate files (PEM or DER) trusted to sign VIBs up to PartnerSupported, besides VMware's built-in ones;
    /// the Signature property of each package says which anchor it chains to (read from the .vib when first read:
    /// see <see cref="PackageSignature"/>).
    /// </summary>
    [Parameter]
    public string[] TrustedCertificate { get; set; }

    /// <summary>.vib files, bundles or folders to read directly, without adding them as depots.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PackageUrl", "PSPath")]
    [SupportsWildcards]
    public string[] Path { get; set; }

    protected override void ProcessRecord()
    {
        if (Name != null) foreach (var n in Name) if (!_names.Contains(n)) _names.Add(n);
        if (ParameterSetName == PackageSet)
        {
            foreach (var v in Package) if (v != null && !_names.Contains(v.Name)) _names.Add(v.Name);
            return;
        }
        if (ParameterSetName == DepotSet)
        {
            if (Depot != null) _depots.AddRange(Depot);
            return;
        }
        foreach (var file in ResolveExistingPaths(Path, literal: false))
            TryRun(() => _fromFiles.AddRange(DepotReader.Open(file).Packages), file);
    }

    protected override void EndProcessing()
    {
        var query = new PackageQuery
        {
            Names = _names,
            Vendors = Vendor ?? Array.Empty<string>(),
            Versions = Version ?? Array.Empty<string>(),
            AcceptanceLevel = AcceptanceLevel,
            Newest = Newest,
            SinceDate = SinceDate.HasValue ? new DateTimeOffset(SinceDate.Value) : (DateTimeOffset?)null,
        };
        var packages = ParameterSetName == PathSet
            ? DepotQueries.FilterPackages(_fromFiles, query)
            : Session.Depots.FindPackages(query, _depots.Count > 0 ? _depots : null);
        var certificates = TrustedCertificate == null ? null : ResolveExistingPaths(TrustedCertificate, literal: true);
        VibTrustStore trust = null;
        if (certificates != null && certificates.Count != TrustedCertificate.Length) return;
        if (!TryRun(() => trust = TrustedCertificates.Store(certificates), TrustedCertificate)) return;
        // Signature is read from the .vib when first asked for, not here: a listing of names opens no .vib.
        foreach (var p in packages) WriteObject(PackageSignature.Attach(SoftwarePackage.For(p), trust));
        // An exact name that matches nothing is an error, as in Get-EsxProfile; a wildcard may match nothing.
        foreach (var name in _names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)))
        {
            if (!packages.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                WriteEsxError(Core.Diagnostics.ErrorCodes.PackageNotFound, ErrorCategory.ObjectNotFound,
                    $"no package named '{name}' matches (see Get-EsxPackage without -Name)", name);
        }
    }
}
