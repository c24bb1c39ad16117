using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Depots;

/// <summary>The filters of Get-EsxPackage and <c>esximage packages</c>. Empty lists and nulls mean "no filter".</summary>
public sealed record PackageQuery
{
    /// <summary>Wildcard patterns matched against the package name or its id.</summary>
    public IReadOnlyList<string> Names { get; init; } = Array.Empty<string>();
    /// <summary>Wildcard patterns matched against the vendor.</summary>
    public IReadOnlyList<string> Vendors { get; init; } = Array.Empty<string>();
    /// <summary>Wildcard patterns matched against the version text (<c>1.0.0-1</c>) or its version part (<c>1.0.0</c>).</summary>
    public IReadOnlyList<string> Versions { get; init; } = Array.Empty<string>();
    /// <summary>Only packages with exactly this acceptance level.</summary>
    public AcceptanceLevel? AcceptanceLevel { get; init; }
    /// <summary>Only the highest version of each (name, vendor).</summary>
    public bool Newest { get; init; }
    /// <summary>Only packages released on or after this date (packages without a date are left out).</summary>
    public DateTimeOffset? SinceDate { get; init; }

    public static PackageQuery All { get; } = new PackageQuery();
}

/// <summary>Pure filtering of packages and profiles; used by the session, the cmdlets and the CLI.</summary>
public static class DepotQueries
{
    /// <summary>Applies a query; the result is sorted by name, vendor, then version.</summary>
    public static IReadOnlyList<Vib> FilterPackages(IEnumerable<Vib> packages, PackageQuery query)
    {
        query ??= PackageQuery.All;
        var q = packages.Where(v =>
            (query.Names.Count == 0 || query.Names.Any(p => Wildcard.IsMatch(p, v.Name) || Wildcard.IsMatch(p, v.Id))) &&
            (query.Vendors.Count == 0 || query.Vendors.Any(p => Wildcard.IsMatch(p, v.Vendor))) &&
            (query.Versions.Count == 0 || query.Versions.Any(p => Wildcard.IsMatch(p, v.Version?.Text) || Wildcard.IsMatch(p, v.Version?.Version))) &&
            (query.AcceptanceLevel == null || v.AcceptanceLevel == query.AcceptanceLevel.Value) &&
            (query.SinceDate == null || (v.ReleaseDate.HasValue && v.ReleaseDate.Value >= query.SinceDate.Value)));
        if (query.Newest)
            q = q.GroupBy(v => (Name: v.Name ?? "", Vendor: v.Vendor ?? ""))
                 .Select(g => g.Aggregate((best, next) => VibVersion.Compare(next.Version, best.Version) > 0 ? next : best));
        return q.OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase)
                .ThenBy(v => v.Vendor, StringComparer.OrdinalIgnoreCase)
                .ThenBy(v => v.Version, Comparer<VibVersion>.Create(VibVersion.Compare))
                .ToList();
    }

    /// <summary>Profiles whose name matches any of <paramref name="names"/> and vendor any of <paramref name="vendors"/> (wildcards; empty = all).</summary>
    public static IReadOnlyList<ImageProfile> FilterProfiles(IEnumerable<ImageProfile> profiles, IReadOnlyList<string> names = null, IReadOnlyList<string> vendors = null)
        => profiles.Where(p =>
                (names == null || names.Count == 0 || names.Any(n => Wildcard.IsMatch(n, p.Name))) &&
                (vendors == null || vendors.Count == 0 || vendors.Any(n => Wildcard.IsMatch(n, p.Vendor))))
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList();
}
