using System;
using System.Collections.Generic;

namespace ESXiImageTools.Core.Components;

/// <summary>
/// A 7.0+ release unit document from metadata (<c>baseimages/</c>, <c>addons/</c>, <c>manifests/</c>, <c>solutions/</c>).
/// These are JSON objects (VMware's release-unit schemas, docs/formats-notes.md "Release units"); they are listed and
/// kept as text here, and add-ons are read from them by <see cref="AddonDocuments"/>.
/// </summary>
public sealed record ReleaseUnit
{
    /// <summary><c>baseimage</c>, <c>addon</c>, <c>manifest</c> or <c>solution</c>.</summary>
    public string Kind { get; init; }
    /// <summary>The document's file name without extension (release-unit ids are used as names).</summary>
    public string Id { get; init; }
    /// <summary>The zip entry it came from.</summary>
    public string EntryName { get; init; }
    /// <summary>The document text (bounded in size).</summary>
    public string Text { get; init; }

    public override string ToString() => $"{Kind} {Id}";
}

/// <summary>
/// What every release-unit document says of itself, by the member names of VMware's release-unit schemas
/// (<c>json_schemas/1.0/common.json</c> in the VMware.ImageBuilder module; docs/formats-notes.md, "Release units"):
/// id, version, vendor, texts, category, acceptance level, release date and components.
/// </summary>
public abstract record ReleaseUnitInfo
{
    /// <summary>The release id (<c>releaseID</c>, <c>name:version</c>); the document's file name when it has none.</summary>
    public string Id { get; init; }
    /// <summary>The version (<c>versionSpec.version</c>) a software spec names.</summary>
    public string Version { get; init; }
    /// <summary>The display version (<c>versionSpec.uiString</c>), or <see cref="Version"/>.</summary>
    public string UiVersion { get; init; }
    public string Vendor { get; init; } = "";
    public string Summary { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary><c>category</c>: <c>enhancement</c>, <c>security</c> or <c>bugfix</c> in schema 1.0; "" when absent.</summary>
    public string Category { get; init; } = "";
    /// <summary><c>acceptanceLevel</c> as the document spells it (e.g. <c>partner</c>); "" when absent.</summary>
    public string AcceptanceLevel { get; init; } = "";
    /// <summary><c>docURL</c>, often empty.</summary>
    public string DocUrl { get; init; } = "";
    /// <summary><c>schemaVersion</c> of the document, e.g. <c>1.0</c>; "" when absent.</summary>
    public string SchemaVersion { get; init; } = "";
    /// <summary>The release date, or null when the document gives none.</summary>
    public DateTimeOffset? ReleaseDate { get; init; }
    /// <summary>The release unit's components: name to version.</summary>
    public IReadOnlyDictionary<string, string> Components { get; init; } = new Dictionary<string, string>();
    /// <summary>The document it was read from.</summary>
    public ReleaseUnit Document { get; init; }
}
