using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace ESXiImageTools.Core.Packages;

/// <summary>Maintenance-mode requirement (<c>&lt;maintenance-mode install= remove=&gt;</c>).</summary>
public sealed class MaintenanceMode
{
    public MaintenanceMode(bool install, bool remove)
    {
        Install = install;
        Remove = remove;
    }

    public bool Install { get; }
    public bool Remove { get; }

    /// <summary>True when either installing or removing needs maintenance mode.</summary>
    public bool Required => Install || Remove;

    public override string ToString() => $"install: {Install}, remove: {Remove}";
}

/// <summary>A <c>&lt;softwarePlatform&gt;</c> requirement (version glob, locale, product line such as embeddedEsx).</summary>
public sealed class SoftwarePlatform
{
    public SoftwarePlatform(string version, string locale, string productLineId)
    {
        Version = version ?? "";
        Locale = locale ?? "";
        ProductLineId = productLineId ?? "";
    }

    public string Version { get; }
    public string Locale { get; }
    public string ProductLineId { get; }

    public override string ToString() => $"{ProductLineId} {Version}".Trim();
}

/// <summary>A <c>&lt;hwplatform vendor= model=/&gt;</c> requirement.</summary>
public sealed class HardwarePlatform
{
    public HardwarePlatform(string vendor, string model)
    {
        Vendor = vendor ?? "";
        Model = model ?? "";
    }

    public string Vendor { get; }
    public string Model { get; }

    public override string ToString() => $"{Vendor} {Model}".Trim();
}

/// <summary>A <c>&lt;url key=&gt;</c> reference (ImageBuilder: ReferenceURLs / SupportReference).</summary>
public sealed class VibUrl
{
    public VibUrl(string key, string url)
    {
        Key = key ?? "";
        Url = url ?? "";
    }

    public string Key { get; }
    public string Url { get; }

    public override string ToString() => $"{Key}: {Url}";
}

/// <summary>
/// Where the bytes of a VIB can be read from: a .vib file, a zip entry, a download cache, an ISO.
/// Readers hand these out; exporters pull payloads through them straight into their output.
/// </summary>
public interface IVibContent
{
    /// <summary>A display location (file path, zip entry, URL without secrets).</summary>
    string Location { get; }

    /// <summary>Whether the bytes can be had (false when metadata names a VIB its depot lacks).</summary>
    bool IsAvailable { get; }

    /// <summary>Opens the stored bytes of one payload (as in the ar member), unverified.</summary>
    Stream OpenPayload(Payload payload, CancellationToken cancellationToken = default);

    /// <summary>Opens the whole .vib file, or returns null when the source holds only payloads (an ISO).</summary>
    Stream OpenVibFile(CancellationToken cancellationToken = default);
}

/// <summary>
/// A VIB (software package): everything its descriptor.xml says, plus where it came from.
/// Immutable. Property names follow ImageBuilder's SoftwarePackage where one exists.
/// </summary>
public sealed record Vib
{
    /// <summary>The descriptor's schema version attribute (<c>&lt;vib version="5.0"&gt;</c>).</summary>
    public string SchemaVersion { get; init; } = "5.0";

    /// <summary><c>bootbank</c>, <c>locker</c>, ...</summary>
    public string Type { get; init; } = "bootbank";

    public string Name { get; init; }
    public VibVersion Version { get; init; }
    public string Vendor { get; init; }
    public string Summary { get; init; } = "";
    public string Description { get; init; } = "";

    /// <summary>Release date (ImageBuilder shows it as "Creation Date"); null when absent.</summary>
    public DateTimeOffset? ReleaseDate { get; init; }

    public IReadOnlyList<VibUrl> Urls { get; init; } = Array.Empty<VibUrl>();
    public IReadOnlyList<Constraint> Depends { get; init; } = Array.Empty<Constraint>();
    public IReadOnlyList<Constraint> Conflicts { get; init; } = Array.Empty<Constraint>();
    public IReadOnlyList<Constraint> Replaces { get; init; } = Array.Empty<Constraint>();
    public IReadOnlyList<Provide> Provides { get; init; } = Array.Empty<Provide>();
    public IReadOnlyList<Constraint> CompatibleWith { get; init; } = Array.Empty<Constraint>();
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();
    public MaintenanceMode MaintenanceMode { get; init; } = new MaintenanceMode(true, true);
    public IReadOnlyList<HardwarePlatform> HardwarePlatforms { get; init; } = Array.Empty<HardwarePlatform>();
    public IReadOnlyList<SoftwarePlatform> SoftwarePlatforms { get; init; } = Array.Empty<SoftwarePlatform>();
    public IReadOnlyList<string> FileList { get; init; } = Array.Empty<string>();
    public AcceptanceLevel AcceptanceLevel { get; init; } = AcceptanceLevel.CommunitySupported;
    public bool LiveInstallAllowed { get; init; }
    public bool LiveRemoveAllowed { get; init; }
    public bool CimomRestart { get; init; }
    public bool StatelessReady { get; init; }
    public bool Overlay { get; init; }
    public IReadOnlyList<Payload> Payloads { get; init; } = Array.Empty<Payload>();

    /// <summary>Descriptor elements this version does not know, kept verbatim (outer XML) for round trips.</summary>
    public IReadOnlyList<string> UnknownElements { get; init; } = Array.Empty<string>();

    /// <summary>
    /// True when sig.pkcs7 is present and not empty, false when it is absent or empty, null when the .vib
    /// itself was not read (depot metadata does not say; <see cref="VibSignature.Read"/> finds out).
    /// </summary>
    public bool? Signed { get; init; }

    /// <summary>Path of the .vib relative to the metadata zip (depot metadata), or null.</summary>
    public string RelativePath { get; init; }

    /// <summary>Size in bytes of the whole .vib file, when known.</summary>
    public long? PackedSize { get; init; }

    /// <summary>sha-256 of the whole .vib file, when known (depot metadata, or computed on reading).</summary>
    public string VibSha256 { get; init; }

    /// <summary>Where this package was read from (file path, depot source), for messages.</summary>
    public string Source { get; init; }

    /// <summary>Access to the bytes; null when only metadata is known.</summary>
    public IVibContent Content { get; init; }

    /// <summary><c>&lt;vendor&gt;_&lt;type&gt;_&lt;name&gt;_&lt;version&gt;</c>. ImageBuilder: Guid.</summary>
    public string Id => $"{Vendor}_{Type}_{Name}_{Version}";

    /// <summary>The implicit self-provide every VIB has (<c>name = version</c>).</summary>
    public Provide SelfProvide => new Provide(Name, Version);

    /// <summary>The implicit same-name replace every VIB has (<c>name &lt;&lt; version</c>).</summary>
    public Constraint SelfReplace => new Constraint(Name, VersionRelation.LessThan, Version);

    /// <summary>Returns a copy with other content access (used by depots that relocate bytes).</summary>
    public Vib WithContent(IVibContent content, string source = null) => this with { Content = content, Source = source ?? Source };

    public override string ToString() => Id;
}
