using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Components;

/// <summary>
/// An ESXi base image as this version knows it: the base image's core <c>ESXi</c> component (whose version is the
/// base image version a software spec names) and the depot image profiles that carry it. VMware's own base-image
/// documents (<c>baseimages/</c> in metadata.zip) are listed raw in <see cref="Depot.BaseImages"/> but not
/// interpreted: no public source documents their encoding (README).
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
    /// <summary>Names of the image profiles that carry this <c>ESXi</c> component whole, preferred first (see <see cref="BaseImages.ProfileFor"/>).</summary>
    public IReadOnlyList<string> ProfileNames { get; init; } = Array.Empty<string>();

    public override string ToString() => Version;
}

/// <summary>Base images from components and profiles, and the profile a software spec's base image resolves to.</summary>
public static class BaseImages
{
    /// <summary>One base image per <c>ESXi</c> component version, sorted by version.</summary>
    public static IReadOnlyList<BaseImage> List(IEnumerable<Component> components, IEnumerable<ImageProfile> profiles)
    {
        var profileList = (profiles ?? Enumerable.Empty<ImageProfile>()).ToList();
        return (components ?? Enumerable.Empty<Component>()).Where(c => c.IsBaseImageComponent)
            .GroupBy(c => c.Version, StringComparer.Ordinal).Select(g => g.First())
            .OrderBy(c => c, Comparer<Component>.Create(ComponentQueries.Compare))
            .Select(c => new BaseImage
            {
                Version = c.Version,
                UiVersion = c.UiVersion,
                Vendor = c.Vendor,
                Summary = c.Summary,
                ReleaseDate = c.ReleaseDate,
                Component = c,
                ProfileNames = Carriers(c, profileList).Select(p => p.Name).ToList(),
            }).ToList();
    }

    /// <summary>
    /// The image profile that stands for base image <paramref name="version"/>: among the profiles that list every VIB
    /// of the <c>ESXi</c> component at that version, a <c>*-standard</c> one first, then one without <c>no-tools</c>,
    /// then the shortest name. VMware base depots ship such profiles beside the base image; this is the project's
    /// rule, not VMware's (which reads the base image document). Throws <see cref="ErrorCodes.BaseImageNotFound"/>.
    /// </summary>
    public static ImageProfile ProfileFor(string version, IEnumerable<Component> components, IEnumerable<ImageProfile> profiles, string source = null)
    {
        var componentList = (components ?? Enumerable.Empty<Component>()).ToList();
        var core = componentList.FirstOrDefault(c => c.IsBaseImageComponent && string.Equals(c.Version, version, StringComparison.Ordinal));
        var where = source == null ? "" : source + ": ";
        if (core == null)
        {
            var known = componentList.Where(c => c.IsBaseImageComponent).Select(c => c.Version).Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList();
            throw new EsxException(ErrorCodes.BaseImageNotFound, EsxErrorCategory.ObjectNotFound,
                $"{where}no depot offers base image {version} (an '{Component.BaseImageComponentName}' component at that version); " +
                $"base images in the depots: {(known.Count == 0 ? "none" : string.Join(", ", known))}", version);
        }
        var carrier = Carriers(core, (profiles ?? Enumerable.Empty<ImageProfile>()).ToList()).FirstOrDefault();
        if (carrier == null)
            throw new EsxException(ErrorCodes.BaseImageNotFound, EsxErrorCategory.ObjectNotFound,
                $"{where}base image {version}: the depots hold component {core.Id} but no image profile that carries it, and this version " +
                "builds a base image from such a profile (base-image documents, baseimages/ in metadata, are not interpreted); add the ESXi base depot", version);
        return carrier;
    }

    private static IEnumerable<ImageProfile> Carriers(Component core, IReadOnlyList<ImageProfile> profiles)
        => profiles.Where(p =>
            {
                var ids = new HashSet<string>(p.Packages.Select(v => v.Id).Concat(p.MissingVibIds), StringComparer.Ordinal);
                return core.VibIds.Count > 0 && core.VibIds.All(ids.Contains);
            })
            .OrderBy(p => p.Name.EndsWith("-standard", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(p => p.Name.IndexOf("no-tools", StringComparison.OrdinalIgnoreCase) >= 0 ? 1 : 0)
            .ThenBy(p => p.Name.Length).ThenBy(p => p.Name, StringComparer.Ordinal);
}
