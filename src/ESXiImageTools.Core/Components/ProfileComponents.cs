using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Components;

/// <summary>
/// What component questions are asked of: an image profile's packages, the VIB ids it names but lacks, and the
/// component bulletins it carries. <c>ImageProfile</c> is one; the interface keeps the component model below profiles.
/// </summary>
public interface IComponentHolder
{
    /// <summary>The packages held.</summary>
    IReadOnlyList<Vib> Packages { get; }
    /// <summary>VIB ids named but not held.</summary>
    IReadOnlyList<string> MissingVibIds { get; }
    /// <summary>The component bulletins that concern the packages (see <see cref="ProfileComponents.Concerning"/>).</summary>
    IReadOnlyList<Bulletin> ComponentBulletins { get; }
}

/// <summary>How much of a component an image profile holds.</summary>
public enum ComponentPresence
{
    /// <summary>Every VIB the component's bulletin lists is in the profile.</summary>
    Complete,
    /// <summary>Some, not all, of its VIBs are in the profile (vLCM refuses such an image).</summary>
    Partial,
}

/// <summary>A component as an image profile holds it: which of its VIBs are there and which are not.</summary>
public sealed record ProfileComponent
{
    public string Name { get; init; }
    public string Version { get; init; }
    /// <summary>Display name and version (the bulletin's uiString attributes).</summary>
    public string UiName { get; init; }
    public string UiVersion { get; init; }
    public string Vendor { get; init; } = "";
    public string BulletinId { get; init; }
    public ComponentPresence Presence { get; init; }
    /// <summary>The profile's packages that belong to the component.</summary>
    public IReadOnlyList<Vib> Packages { get; init; } = Array.Empty<Vib>();
    /// <summary>The component's VIB ids the profile lacks (empty when complete).</summary>
    public IReadOnlyList<string> MissingVibIds { get; init; } = Array.Empty<string>();

    /// <summary>True for the base image's core component (<see cref="Component.BaseImageComponentName"/>).</summary>
    public bool IsBaseImageComponent => string.Equals(Name, Component.BaseImageComponentName, StringComparison.Ordinal);

    public string Id => $"{Name}:{Version}";

    public override string ToString() => $"{Id} ({Presence})";
}

/// <summary>
/// A profile's components: each component bulletin that names at least one of the profile's VIBs, complete or
/// partial. A bulletin for a version the profile does not carry (none of its VIB ids present) is not reported.
/// </summary>
public static class ProfileComponents
{
    /// <summary>The components of <paramref name="profile"/> by its <see cref="IComponentHolder.ComponentBulletins"/>, sorted by name.</summary>
    public static IReadOnlyList<ProfileComponent> Derive(IComponentHolder profile)
    {
        if (profile == null) throw new ArgumentNullException(nameof(profile));
        return Derive(profile.Packages, profile.ComponentBulletins);
    }

    /// <summary>The components that <paramref name="bulletins"/> define among <paramref name="packages"/>.</summary>
    public static IReadOnlyList<ProfileComponent> Derive(IEnumerable<Vib> packages, IEnumerable<Bulletin> bulletins)
    {
        var byId = new Dictionary<string, Vib>(StringComparer.Ordinal);
        foreach (var p in packages ?? Enumerable.Empty<Vib>()) if (p != null && !byId.ContainsKey(p.Id)) byId[p.Id] = p;
        var result = new List<ProfileComponent>();
        foreach (var b in Distinct(bulletins))
        {
            var present = b.VibIds.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
            if (present.Count == 0) continue;
            var missing = b.VibIds.Where(id => !byId.ContainsKey(id)).ToList();
            result.Add(new ProfileComponent
            {
                Name = b.ComponentName,
                Version = b.ComponentVersion,
                UiName = b.ComponentUiName ?? b.ComponentName,
                UiVersion = b.ComponentUiVersion ?? b.ComponentVersion,
                Vendor = b.Vendor,
                BulletinId = b.Id,
                Presence = missing.Count == 0 ? ComponentPresence.Complete : ComponentPresence.Partial,
                Packages = present,
                MissingVibIds = missing,
            });
        }
        return result.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Version, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The component bulletins <paramref name="profile"/> should carry: those it carries already, plus those among
    /// <paramref name="bulletins"/> that concern it: bulletins naming any of its packages, and those it replaced
    /// (<see cref="IsReplaced"/>), which an image keeps as reserved components. Non-component bulletins are ignored.
    /// <paramref name="catalog"/> (optional) names the VIBs a replaced bulletin lists; otherwise the name comes from
    /// the VIB id. Returns the profile's own list when nothing is added.
    /// </summary>
    public static IReadOnlyList<Bulletin> Concerning(IComponentHolder profile, IEnumerable<Bulletin> bulletins, IEnumerable<Vib> catalog = null)
    {
        if (profile == null) throw new ArgumentNullException(nameof(profile));
        var ids = new HashSet<string>(profile.Packages.Select(p => p.Id).Concat(profile.MissingVibIds), StringComparer.Ordinal);
        var known = new HashSet<string>(profile.ComponentBulletins.Select(b => b.Id), StringComparer.Ordinal);
        var names = NamesOf(profile);
        var vibs = Index(catalog, profile);
        var added = Distinct(bulletins).Where(b => !known.Contains(b.Id) && (b.VibIds.Any(ids.Contains) || IsReplaced(b, ids, names, vibs))).ToList();
        return added.Count == 0 ? profile.ComponentBulletins : profile.ComponentBulletins.Concat(added).ToList();
    }

    /// <summary>
    /// The components an image of <paramref name="profile"/> records, from the bulletins the profile carries
    /// (<see cref="IComponentHolder.ComponentBulletins"/>): whole components, and reserved ones the profile replaced.
    /// <paramref name="catalog"/> (optional) supplies the reserved components' VIBs for resvibs.tgz.
    /// </summary>
    public static ImageComponents ForImage(IComponentHolder profile, IEnumerable<Vib> catalog = null)
    {
        if (profile == null) throw new ArgumentNullException(nameof(profile));
        var ids = new HashSet<string>(profile.Packages.Select(v => v.Id), StringComparer.Ordinal);
        var names = NamesOf(profile);
        var vibs = Index(catalog, profile);
        var all = Distinct(profile.ComponentBulletins).Where(b => b.VibIds.Count > 0).OrderBy(b => b.Id, StringComparer.Ordinal).ToList();
        var reserved = all.Where(b => IsReplaced(b, ids, names, vibs)).ToList();
        return new ImageComponents
        {
            Components = all.Where(b => b.VibIds.All(ids.Contains)).ToList(),
            Reserved = reserved,
            ReservedVibs = reserved.SelectMany(b => b.VibIds).Distinct(StringComparer.Ordinal)
                                   .Select(id => vibs.TryGetValue(id, out var v) ? v : null).Where(v => v != null).ToList(),
        };
    }

    /// <summary>
    /// The base image's core component <paramref name="before"/> held and <paramref name="after"/> no longer does (not even
    /// at another version its bulletins define), or null. Removing it is prohibited: without it ESXi cannot be installed.
    /// </summary>
    public static ProfileComponent DroppedBaseComponent(IComponentHolder before, IComponentHolder after)
    {
        if (before == null || after == null || ReferenceEquals(before, after) || before.ComponentBulletins.Count == 0) return null;
        var had = Derive(before).FirstOrDefault(c => c.IsBaseImageComponent);
        if (had == null) return null;
        return Derive(after.Packages, before.ComponentBulletins.Concat(after.ComponentBulletins)).Any(c => c.IsBaseImageComponent) ? null : had;
    }

    /// <summary>
    /// A bulletin the profile replaced: none of its VIBs is in the profile, but each of their names is, at another
    /// version (vLCM keeps the replaced lower-version VIBs as "reserved": Broadcom KB 407728; the real 7.0.0 image
    /// database holds MRVL-QLogic-FC 4.0.1.0-3vmw under reservedComponents/ beside an HPE image). [inferred] the rule by VIB name.
    /// </summary>
    private static bool IsReplaced(Bulletin b, HashSet<string> ids, ILookup<string, string> names, IReadOnlyDictionary<string, Vib> vibs)
        => b.VibIds.Count > 0 && b.VibIds.All(id => !ids.Contains(id) && NameOf(id, vibs) is string n && names.Contains(n));

    private static ILookup<string, string> NamesOf(IComponentHolder profile)
        => profile.Packages.Select(v => v.Name).ToLookup(n => n, StringComparer.Ordinal);

    private static Dictionary<string, Vib> Index(IEnumerable<Vib> catalog, IComponentHolder profile)
        => (catalog ?? Enumerable.Empty<Vib>()).Concat(profile.Packages).Where(v => v != null)
               .GroupBy(v => v.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>The package name a VIB id names: from the known VIBs, else parsed from <c>vendor_type_name_version</c>.</summary>
    private static string NameOf(string vibId, IReadOnlyDictionary<string, Vib> known)
    {
        if (known.TryGetValue(vibId, out var v)) return v.Name;
        var parts = vibId.Split('_');
        return parts.Length >= 4 ? string.Join("_", parts.Skip(2).Take(parts.Length - 3)) : null;
    }

    /// <summary>Component bulletins only, one per bulletin id.</summary>
    private static IEnumerable<Bulletin> Distinct(IEnumerable<Bulletin> bulletins)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in bulletins ?? Enumerable.Empty<Bulletin>())
            if (b != null && b.IsComponent && seen.Add(b.Id)) yield return b;
    }
}

/// <summary>
/// The components an image database records for a profile (IMGDB.TGZ bulletins/ and reservedComponents/, resvibs.tgz):
/// <see cref="ProfileComponents.ForImage"/>.
/// </summary>
public sealed class ImageComponents
{
    /// <summary>Component bulletins whose VIBs are all in the profile, by id.</summary>
    public IReadOnlyList<Bulletin> Components { get; init; } = Array.Empty<Bulletin>();

    /// <summary>Component bulletins the profile replaced, by id.</summary>
    public IReadOnlyList<Bulletin> Reserved { get; init; } = Array.Empty<Bulletin>();

    /// <summary>The reserved components' VIBs that are known (for resvibs.tgz).</summary>
    public IReadOnlyList<Vib> ReservedVibs { get; init; } = Array.Empty<Vib>();

    public static ImageComponents Empty { get; } = new();
}
