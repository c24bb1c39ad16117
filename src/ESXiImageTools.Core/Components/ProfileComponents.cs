using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Components;

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
    /// <summary>The components of <paramref name="profile"/> by its <see cref="ImageProfile.ComponentBulletins"/>, sorted by name.</summary>
    public static IReadOnlyList<ProfileComponent> Derive(ImageProfile profile)
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
    /// <paramref name="profile"/> knowing the component bulletins among <paramref name="bulletins"/> that name any of its
    /// packages (added to those it knows already). Non-component bulletins are ignored.
    /// </summary>
    public static ImageProfile Attach(ImageProfile profile, IEnumerable<Bulletin> bulletins)
    {
        if (profile == null) throw new ArgumentNullException(nameof(profile));
        var ids = new HashSet<string>(profile.Packages.Select(p => p.Id).Concat(profile.MissingVibIds), StringComparer.Ordinal);
        var known = new HashSet<string>(profile.ComponentBulletins.Select(b => b.Id), StringComparer.Ordinal);
        var added = Distinct(bulletins).Where(b => !known.Contains(b.Id) && b.VibIds.Any(ids.Contains)).ToList();
        return added.Count == 0 ? profile : profile with { ComponentBulletins = profile.ComponentBulletins.Concat(added).ToList() };
    }

    /// <summary>Component bulletins only, one per bulletin id.</summary>
    private static IEnumerable<Bulletin> Distinct(IEnumerable<Bulletin> bulletins)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in bulletins ?? Enumerable.Empty<Bulletin>())
            if (b != null && b.IsComponent && seen.Add(b.Id)) yield return b;
    }
}
