using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.Components;

/// <summary>
/// An ESXi base image as its own release-unit document (<c>baseimages/</c> in depot metadata) describes it. The
/// member names are those of VMware's JSON schema for base-image documents (<c>json_schemas/1.0/baseimage.json</c> in
/// the VMware.ImageBuilder module; docs/formats-notes.md, "Release units"); the inner shapes are inferred as for
/// add-ons. Builds still take a base image's content from the depot profile that carries its <c>ESXi</c> component
/// (<see cref="BaseImage"/>); this is what the depot says about it.
/// </summary>
public sealed record BaseImageRelease : ReleaseUnitInfo
{
    public override string ToString() => Version;
}

/// <summary>
/// Reads base-image release-unit documents (JSON) with the bounded JSON reader. Required: the
/// <c>versionSpec.version</c> string, and a <c>releaseType</c>, when present, of <c>baseImage</c>; the other members
/// VMware's schema names are read when present and type-checked, and unknown members are ignored (schema 1.1's
/// <c>quickPatchCompatibleVersions</c> and <c>swPlatforms</c> among them: their shape is not public).
/// </summary>
public static class BaseImageDocuments
{
    /// <summary>Largest base-image document read (a base image lists tens of components).</summary>
    public const int MaxDocumentBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The base image the document describes. <paramref name="source"/> names the depot in errors. Throws
    /// <see cref="EsxFormatException"/> with <see cref="ErrorCodes.BaseImageInvalid"/> when the document is not one.
    /// </summary>
    public static BaseImageRelease Read(ReleaseUnit document, string source)
    {
        var json = ReleaseUnitJson.Open(document, source, ErrorCodes.BaseImageInvalid, "base-image", MaxDocumentBytes);
        json.ExpectReleaseType("baseImage");
        return json.Common(document, new BaseImageRelease(), "a base-image");
    }
}
