using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// The ESXi 7+ components of a profile, from the depot's component bulletins: the profile's components (every VIB
/// the bulletin lists is in the profile) and its reserved components. A reserved component is one the profile
/// replaced: none of its VIBs is in the profile, but each of their names is, at another version (vLCM keeps the
/// replaced lower-version VIBs as "reserved": Broadcom KB 407728; the real 7.0.0 image database holds
/// MRVL-QLogic-FC 4.0.1.0-3vmw under reservedComponents/ beside an HPE image). [inferred] the rule by VIB name.
/// </summary>
public sealed class ProfileComponents
{
    /// <summary>Component bulletins whose VIBs are all in the profile, by id.</summary>
    public IReadOnlyList<Bulletin> Components { get; private init; } = Array.Empty<Bulletin>();

    /// <summary>Component bulletins the profile replaced, by id.</summary>
    public IReadOnlyList<Bulletin> Reserved { get; private init; } = Array.Empty<Bulletin>();

    /// <summary>The reserved components' VIBs the catalog holds (for resvibs.tgz).</summary>
    public IReadOnlyList<Vib> ReservedVibs { get; private init; } = Array.Empty<Vib>();

    public static ProfileComponents Empty { get; } = new();

    /// <summary>Sorts <paramref name="bulletins"/> (non-component bulletins are ignored) against <paramref name="profile"/>.</summary>
    public static ProfileComponents For(ImageProfile profile, IEnumerable<Bulletin> bulletins, IEnumerable<Vib> catalog)
    {
        if (bulletins == null) return Empty;
        var ids = new HashSet<string>(profile.Packages.Select(v => v.Id), StringComparer.Ordinal);
        var names = profile.Packages.Select(v => v.Name).ToLookup(n => n, StringComparer.Ordinal);
        var known = (catalog ?? Enumerable.Empty<Vib>()).Concat(profile.Packages)
                        .GroupBy(v => v.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var all = bulletins.Where(b => b != null && b.IsComponent && b.VibIds.Count > 0)
                           .GroupBy(b => b.Id, StringComparer.Ordinal).Select(g => g.First())
                           .OrderBy(b => b.Id, StringComparer.Ordinal).ToList();
        var components = all.Where(b => b.VibIds.All(ids.Contains)).ToList();
        var reserved = all.Where(b => b.VibIds.All(id => !ids.Contains(id) && NameOf(id, known) is string n && names.Contains(n))).ToList();
        return new ProfileComponents
        {
            Components = components,
            Reserved = reserved,
            ReservedVibs = reserved.SelectMany(b => b.VibIds).Distinct(StringComparer.Ordinal)
                                   .Select(id => known.TryGetValue(id, out var v) ? v : null).Where(v => v != null).ToList(),
        };
    }

    /// <summary>The package name a VIB id names: from the catalog, else parsed from <c>vendor_type_name_version</c>.</summary>
    private static string NameOf(string vibId, IReadOnlyDictionary<string, Vib> known)
    {
        if (known.TryGetValue(vibId, out var v)) return v.Name;
        var parts = vibId.Split('_');
        return parts.Length >= 4 ? string.Join("_", parts.Skip(2).Take(parts.Length - 3)) : null;
    }
}
