using System;
using System.Collections.Generic;

namespace ESXiImageTools.Core.Components;

/// <summary>
/// An ESXi base image as this version knows it: the base image's core <c>ESXi</c> component (whose version is the
/// base image version a software spec names) and the depot image profiles that carry it. VMware's own base-image
/// documents (<c>baseimages/</c> in metadata.zip) are listed raw in <c>Depot.BaseImages</c> and readable with
/// <see cref="BaseImageDocuments"/>, but not built from: VMware's schema names their members, but no real document
/// is public to check their inner shape against (docs/formats-notes.md, "Release units").
/// </summary>
public sealed record BaseImage
{
    /// <summary>The base image version (<c>base_image.version</c> of a software spec), e.g. <c>7.0.0-1.0.15843807</c>.</summary>
    public string Version { get; init; }
    /// <summary>Display version, e.g. <c>7.0.0 Build - 15843807</c>.</summary>
    public string UiVersion { get; init; }
    public string Vendor { get; init; } = "";
    public string Summary { get; init; } = "";
    public DateTimeOffset? ReleaseDate { get; init; }
    /// <summary>The <c>ESXi</c> component that defines it.</summary>
    public Component Component { get; init; }
    /// <summary>Names of the image profiles that carry this <c>ESXi</c> component whole, preferred first (see <c>BaseImages.ProfileFor</c>).</summary>
    public IReadOnlyList<string> ProfileNames { get; init; } = Array.Empty<string>();

    public override string ToString() => Version;
}
