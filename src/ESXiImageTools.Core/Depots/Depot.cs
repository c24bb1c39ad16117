using System;
using System.Collections.Generic;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Depots;

/// <summary>What kind of source a <see cref="Depot"/> was read from.</summary>
public enum DepotKind
{
    /// <summary>An offline bundle zip (index.xml, vendor-index.xml, metadata zip, VIBs); ESXi 7 component zips too.</summary>
    OfflineBundle,
    /// <summary>A zip that is not a bundle itself but wraps one or more bundle zips (VMware driver downloads).</summary>
    WrappedBundle,
    /// <summary>An online depot (index.xml or vmw-depot-index.xml over HTTP(S)).</summary>
    Online,
    /// <summary>A single loose .vib file.</summary>
    VibFile,
    /// <summary>A folder of .vib files and bundle zips, or an unpacked depot (a folder holding index.xml).</summary>
    Folder,
    /// <summary>An ESXi installer ISO (read by the export area).</summary>
    Iso,
}

/// <summary>One <c>&lt;vendor&gt;</c> of a depot's index.xml.</summary>
public sealed record DepotVendor
{
    public string Name { get; init; } = "";
    /// <summary>The short vendor code (<c>&lt;code&gt;</c>).</summary>
    public string Code { get; init; } = "";
    /// <summary>File name of the vendor index (<c>&lt;indexfile&gt;</c>).</summary>
    public string IndexFile { get; init; } = "";
    /// <summary>Directory of the vendor index relative to index.xml (<c>&lt;relativePath&gt;</c>), usually empty.</summary>
    public string RelativePath { get; init; } = "";
    public string PatchUrl { get; init; } = "";
    /// <summary><c>&lt;content&gt;&lt;name&gt;</c>, e.g. "VMware ESX".</summary>
    public string ContentName { get; init; } = "";
    /// <summary><c>&lt;content&gt;&lt;type&gt;</c>, e.g. http://www.vmware.com/depotmanagement/esx.</summary>
    public string ContentType { get; init; } = "";

    public override string ToString() => Name;
}

/// <summary>One <c>&lt;metadata&gt;</c> of a vendor-index.xml: which metadata zip serves which platform.</summary>
public sealed record MetadataReference
{
    /// <summary><c>embeddedEsx</c>, <c>esxio</c>, ...</summary>
    public string ProductId { get; init; } = "";
    /// <summary>Platform version pattern, e.g. <c>6.*</c> or <c>7.0</c>.</summary>
    public string Version { get; init; } = "";
    public string Locale { get; init; } = "";
    /// <summary>The metadata zip, relative to the vendor index (or absolute).</summary>
    public string Url { get; init; } = "";
    public string ChannelName { get; init; } = "";
}

/// <summary>A package the depot's metadata names but whose bytes the source lacks. The rest of the depot still loads.</summary>
public sealed record UnavailablePackage
{
    /// <summary>The VIB id the metadata names.</summary>
    public string VibId { get; init; }
    /// <summary>The metadata's view of the VIB, when it has a descriptor; null when only a bulletin names it.</summary>
    public Vib Package { get; init; }
    /// <summary>Where the bytes were expected (zip entry or URL, without secrets).</summary>
    public string Location { get; init; }
    /// <summary>Why it is unavailable.</summary>
    public string Reason { get; init; }

    public override string ToString() => $"{VibId}: {Reason}";
}

/// <summary>
/// A software depot: everything one source offers. Immutable. ImageBuilder calls it SoftwareDepot
/// (with <c>DepotUrl</c>); here <see cref="Source"/> holds the same display form.
/// </summary>
public sealed record Depot
{
    /// <summary>Display form of the source (full path or URL with any access token redacted). Never holds secrets.</summary>
    public string Source { get; init; }

    /// <summary>
    /// The source in ImageBuilder's form: a local zip as <c>zip:&lt;path&gt;?index.xml</c>, anything else as
    /// <see cref="Source"/>. Add-EsxDepot and DepotReader.Open accept it back.
    /// </summary>
    public string DepotUrl
        => (Kind == DepotKind.OfflineBundle || Kind == DepotKind.WrappedBundle) && Source != null
           && !Source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !Source.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
           && Source.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
            ? "zip:" + Source + "?index.xml"
            : Source;

    public DepotKind Kind { get; init; }
    public IReadOnlyList<DepotVendor> Vendors { get; init; } = Array.Empty<DepotVendor>();

    /// <summary>Every package whose bytes the source holds (or, online, can download), each with <see cref="Vib.Content"/>.</summary>
    public IReadOnlyList<Vib> Packages { get; init; } = Array.Empty<Vib>();

    /// <summary>The depot's image profiles (ReadOnly = true).</summary>
    public IReadOnlyList<ImageProfile> Profiles { get; init; } = Array.Empty<ImageProfile>();

    /// <summary>7.0+ components: bulletins that carry componentNameSpec / componentVersionSpec.</summary>
    public IReadOnlyList<Component> Components { get; init; } = Array.Empty<Component>();

    /// <summary>All bulletins of the metadata (components included).</summary>
    public IReadOnlyList<Bulletin> Bulletins { get; init; } = Array.Empty<Bulletin>();

    public IReadOnlyList<ReleaseUnit> BaseImages { get; init; } = Array.Empty<ReleaseUnit>();
    public IReadOnlyList<ReleaseUnit> Addons { get; init; } = Array.Empty<ReleaseUnit>();
    public IReadOnlyList<ReleaseUnit> Manifests { get; init; } = Array.Empty<ReleaseUnit>();
    public IReadOnlyList<ReleaseUnit> Solutions { get; init; } = Array.Empty<ReleaseUnit>();

    /// <summary>Packages the metadata names that the source lacks.</summary>
    public IReadOnlyList<UnavailablePackage> UnavailablePackages { get; init; } = Array.Empty<UnavailablePackage>();

    public override string ToString() => Source;
}
