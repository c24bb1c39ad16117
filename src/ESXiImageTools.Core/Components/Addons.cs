using System;
using System.Collections.Generic;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.Components;

/// <summary>
/// A vendor add-on (OEM customization) read from its release-unit document (<c>addons/</c> in depot metadata):
/// what VMware's Get-DepotAddons shows (Name, Version, ID, Vendor, Release date) and the
/// components it adds (<see cref="ReleaseUnitInfo.Components"/>) and removes. The member names are those of VMware's own JSON schema for add-on documents
/// (<c>json_schemas/1.0/addon.json</c> in the VMware.ImageBuilder module; docs/formats-notes.md, "Release units").
/// </summary>
public sealed record Addon : ReleaseUnitInfo
{
    /// <summary>The add-on name (<c>nameSpec.name</c>) a software spec's <c>add_on.name</c> names.</summary>
    public string Name { get; init; }
    /// <summary>The display name (<c>nameSpec.uiString</c>), or <see cref="Name"/>.</summary>
    public string UiName { get; init; }
    /// <summary>Names of the base image's components the add-on removes.</summary>
    public IReadOnlyList<string> RemovedComponents { get; init; } = Array.Empty<string>();
    /// <summary>Base image versions the add-on declares it supports (<c>supportedBaseImageVersions</c>).</summary>
    public IReadOnlyList<string> SupportedBaseImageVersions { get; init; } = Array.Empty<string>();

    public override string ToString() => Id;
}

/// <summary>
/// Reads add-on release-unit documents (JSON) with the bounded JSON reader. Required: the
/// <c>nameSpec.name</c> and <c>versionSpec.version</c> strings, and a <c>releaseType</c>, when present, of
/// <c>addon</c> (VMware's schema names <c>baseImage</c>, <c>addon</c>, <c>solution</c> and <c>manifest</c>). The other
/// members VMware's schema requires are read when present and type-checked, not demanded, and unknown members are
/// ignored, so that newer schema versions stay readable.
/// </summary>
public static class AddonDocuments
{
    /// <summary>Largest add-on document read (an add-on lists tens of components; real ones are a few KB).</summary>
    public const int MaxDocumentBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The add-on the document describes. <paramref name="source"/> names the depot in errors. Throws
    /// <see cref="EsxFormatException"/> with <see cref="ErrorCodes.AddonInvalid"/> when the document is not one.
    /// </summary>
    public static Addon Read(ReleaseUnit document, string source)
    {
        var json = ReleaseUnitJson.Open(document, source, ErrorCodes.AddonInvalid, "add-on", MaxDocumentBytes);
        json.ExpectReleaseType("addon");
        var (name, uiName) = json.Spec("nameSpec", "name", "an add-on");
        return json.Common(document, new Addon
        {
            Name = name,
            UiName = uiName,
            RemovedComponents = json.Names("removedComponents"),
            SupportedBaseImageVersions = json.Strings("supportedBaseImageVersions"),
        }, "an add-on");
    }
}
