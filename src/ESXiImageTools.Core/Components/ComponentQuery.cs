using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Components;

/// <summary>The filters of Get-EsxComponent and <c>esximage components</c>. Empty lists mean "no filter".</summary>
public sealed record ComponentQuery
{
    /// <summary>Wildcard patterns matched against the component name, its display name or its <c>name:version</c> id.</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();
    /// <summary>Wildcard patterns matched against the version or its display version.</summary>
    public IReadOnlyList<string> Versions { get; init; } = Array.Empty<string>();
    /// <summary>Wildcard patterns matched against the vendor.</summary>
    public IReadOnlyList<string> Vendors { get; init; } = Array.Empty<string>();
    /// <summary>Only the highest version of each component name.</summary>
    public bool Newest { get; init; }

    public static ComponentQuery All { get; } = new ComponentQuery();
}

/// <summary>Pure filtering of components, shared by the session, the cmdlets and the CLI.</summary>
public static class ComponentQueries
{
    /// <summary>Applies a query; the result is sorted by name, then version.</summary>
    public static IReadOnlyList<Component> Filter(IEnumerable<Component> components, ComponentQuery query)
    {
        query ??= ComponentQuery.All;
        var q = (components ?? Enumerable.Empty<Component>()).Where(c =>
            (query.Names.Count == 0 || query.Names.Any(p => Wildcard.IsMatch(p, c.Name) || Wildcard.IsMatch(p, c.UiName) || Wildcard.IsMatch(p, c.Id))) &&
            (query.Versions.Count == 0 || query.Versions.Any(p => Wildcard.IsMatch(p, c.Version) || Wildcard.IsMatch(p, c.UiVersion))) &&
            (query.Vendors.Count == 0 || query.Vendors.Any(p => Wildcard.IsMatch(p, c.Vendor))));
        if (query.Newest)
            q = q.GroupBy(c => c.Name, StringComparer.Ordinal).Select(g => g.Aggregate((best, next) => Compare(next, best) > 0 ? next : best));
        return q.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c, Comparer<Component>.Create(Compare)).ToList();
    }

    /// <summary>Orders two versions of a component: by VIB-style version when both parse, else by text.</summary>
    public static int Compare(Component a, Component b)
    {
        if (a?.VersionObject != null && b?.VersionObject != null) return VibVersion.Compare(a.VersionObject, b.VersionObject);
        return string.CompareOrdinal(a?.Version, b?.Version);
    }
}
