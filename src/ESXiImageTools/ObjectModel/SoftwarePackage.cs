using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.ObjectModel;

/// <summary>
/// ImageBuilder's SoftwarePackage: a VIB with the documented property names and types (Version a string,
/// ReleaseDate a DateTime, MaintenanceMode a Boolean ...). Every cmdlet hands packages out as this and takes
/// them back; the engine's package, with payloads, file list and platforms, is <see cref="Vib"/>. One object
/// per engine package, so the same VIB compares and groups as one.
/// </summary>
public sealed class SoftwarePackage : IEquatable<SoftwarePackage>
{
    private static readonly ConditionalWeakTable<Vib, SoftwarePackage> ByVib = new ConditionalWeakTable<Vib, SoftwarePackage>();

    private SoftwarePackage(Vib vib) => Vib = vib;

    /// <summary>The object for an engine package (the same object each time), or null.</summary>
    public static SoftwarePackage For(Vib vib) => vib == null ? null : ByVib.GetValue(vib, v => new SoftwarePackage(v));

    internal static SoftwarePackage[] For(IEnumerable<Vib> vibs) => vibs.Select(For).ToArray();

    /// <summary>An engine package (e.g. a validation problem's) binds to parameters that take packages.</summary>
    public static implicit operator SoftwarePackage(Vib vib) => For(vib);

    /// <summary>The engine's package: payloads, file list, platforms, signature state.</summary>
    public Vib Vib { get; }

    public AcceptanceLevel AcceptanceLevel => Vib.AcceptanceLevel;
    public SoftwareConstraint[] Conflicts => SoftwareConstraint.For(Vib.Conflicts);
    public SoftwareConstraint[] Depends => SoftwareConstraint.For(Vib.Depends);
    public SoftwareConstraint[] Replaces => SoftwareConstraint.For(Vib.Replaces);
    public SoftwareProvide[] Provides => Vib.Provides.Select(p => new SoftwareProvide(p)).ToArray();
    public string Description => Vib.Description;

    /// <summary>The VIB id, <c>vendor_type_name_version</c>.</summary>
    public string Guid => Vib.Id;

    public string Name => Vib.Name;
    public string Summary => Vib.Summary;
    public string Vendor => Vib.Vendor;

    /// <summary>The version text, e.g. <c>8.0.0-1.0.20513097</c>.</summary>
    public string Version => Vib.Version?.Text;

    /// <summary>The version as an object: Version and Release parts, ordering, static Compare.</summary>
    public VibVersion VersionObject => Vib.Version;

    public bool LiveInstallOk => Vib.LiveInstallAllowed;
    public bool LiveRemoveOk => Vib.LiveRemoveAllowed;

    /// <summary>True when installing or removing needs maintenance mode (the details: <c>Vib.MaintenanceMode</c>).</summary>
    public bool MaintenanceMode => Vib.MaintenanceMode?.Required ?? true;

    public bool StatelessReady => Vib.StatelessReady;

    /// <summary>The release date in UTC (shown as "Creation Date"), or null when the descriptor has none.</summary>
    public DateTime? ReleaseDate => Vib.ReleaseDate?.UtcDateTime;

    public SupportReference[] ReferenceURLs => Vib.Urls.Select(u => new SupportReference(u.Key, u.Url)).ToArray();

    /// <summary>Where the package's .vib is read from.</summary>
    public string[] SourceUrls => Vib.Content != null ? new[] { Vib.Content.Location } : Array.Empty<string>();

    public string[] Tags => Vib.Tags.ToArray();

    /// <summary>The hardware platforms the package requires (<c>vendor model</c>), as PowerCLI lists them.</summary>
    public string[] HwPlatforms => Vib.HardwarePlatforms.Select(h => h.ToString()).ToArray();

    /// <summary>The VIB id (as <see cref="Guid"/>).</summary>
    public string Id => Vib.Id;

    /// <summary><c>bootbank</c>, <c>locker</c>, ...</summary>
    public string Type => Vib.Type;

    /// <summary>True or false once the .vib was read; null when only depot metadata is known.</summary>
    public bool? Signed => Vib.Signed;

    /// <summary>The files the package installs.</summary>
    public string[] FileList => Vib.FileList.ToArray();

    /// <summary>The payloads (engine objects: name, type, size, checksums).</summary>
    public IReadOnlyList<Payload> Payloads => Vib.Payloads;

    /// <summary>Where the package was read from (file path, depot source).</summary>
    public string Source => Vib.Source;

    public bool Equals(SoftwarePackage other) => other is not null && Vib.Equals(other.Vib);
    public override bool Equals(object obj) => obj is SoftwarePackage p && Equals(p);
    public override int GetHashCode() => Vib.GetHashCode();
    public override string ToString() => Vib.Id;
}
