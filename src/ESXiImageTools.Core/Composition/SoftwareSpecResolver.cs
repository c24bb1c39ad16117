using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Composition;

/// <summary>
/// Turns a <see cref="SoftwareSpec"/> into a <see cref="ProfileBuildRequest"/>: the base image's profile is cloned,
/// removed components leave, and each named component replaces any same-named one (its VIBs added, replacing
/// same-named VIBs; the old version's other VIBs removed). Everything then goes through <see cref="ProfileBuilder"/>, so validation and
/// exports are those of every other build.
/// </summary>
public static class SoftwareSpecResolver
{
    /// <summary>
    /// The request <paramref name="template"/>.<see cref="ProfileBuildRequest.SoftwareSpec"/> describes, resolved in
    /// <paramref name="components"/> and <paramref name="profiles"/>; name, vendor, description and level come from the template.
    /// </summary>
    public static ProfileBuildRequest Resolve(ProfileBuildRequest template, IEnumerable<ImageProfile> profiles, IEnumerable<Component> components)
    {
        if (template?.SoftwareSpec == null) throw new ArgumentException("the request has no software spec", nameof(template));
        var spec = template.SoftwareSpec;
        var componentList = (components ?? Enumerable.Empty<Component>()).ToList();
        if (spec.AddonName != null)
            throw new EsxException(ErrorCodes.AddonNotSupported, EsxErrorCategory.NotImplemented,
                $"{spec.Source}: add_on '{spec.AddonName}' {spec.AddonVersion}: this version lists add-ons but does not apply them to an image " +
                "(their document format is inferred, not confirmed by a real file). Name the add-on's components under 'components' instead", spec.Source);

        var baseProfile = BaseImages.ProfileFor(spec.BaseImageVersion, componentList, profiles, spec.Source);
        var inBase = ProfileComponents.Derive(baseProfile);
        var remove = new List<string>();
        foreach (var name in spec.RemovedComponents)
        {
            var present = inBase.Where(c => c.Name == name).ToList();
            if (present.Count == 0)
                throw new EsxException(ErrorCodes.ComponentNotFound, EsxErrorCategory.ObjectNotFound,
                    $"{spec.Source}: removed_components names '{name}', which base image {spec.BaseImageVersion} ({baseProfile.Name}) does not hold; " +
                    $"its components: {string.Join(", ", inBase.Select(c => c.Name))}", name);
            remove.AddRange(present.SelectMany(c => c.Packages).Select(v => v.Id));
        }

        var add = new List<Components.Component>();
        foreach (var wanted in spec.Components)
        {
            var chosen = Find(wanted, componentList, spec.Source);
            // The new version's VIBs replace same-named ones when added; only the old version's other VIBs must go.
            var kept = new HashSet<string>(chosen.Packages.Select(v => v.Name), StringComparer.Ordinal);
            remove.AddRange(inBase.Where(c => c.Name == wanted.Name).SelectMany(c => c.Packages).Where(v => !kept.Contains(v.Name)).Select(v => v.Id));
            add.Add(chosen);
        }

        return template with
        {
            SoftwareSpec = null,
            BaseProfile = baseProfile.Name,
            Name = template.Name ?? ImageProfile.CustomizedName(baseProfile.Name),
            AddPackages = (template.AddPackages ?? Array.Empty<Packages.Vib>()).Concat(add.SelectMany(c => c.Packages)).ToList(),
            Remove = (template.Remove ?? Array.Empty<string>()).Concat(remove.Distinct(StringComparer.Ordinal)).ToList(),
            // A spec names its components explicitly; the image's level follows the least trusted of them (reported as a warning).
            AllowLowerAcceptance = true,
        };
    }

    /// <summary>The component a spec entry names: that exact version, or the newest when the version is null.</summary>
    public static Component Find(SoftwareSpecComponent wanted, IReadOnlyList<Component> components, string source)
    {
        var named = components.Where(c => string.Equals(c.Name, wanted.Name, StringComparison.Ordinal)).ToList();
        if (named.Count == 0)
            throw new EsxException(ErrorCodes.ComponentNotFound, EsxErrorCategory.ObjectNotFound,
                $"{source}: no depot offers component '{wanted.Name}'", wanted.Name);
        var chosen = wanted.Version == null
            ? named.Aggregate((best, next) => ComponentQueries.Compare(next, best) > 0 ? next : best)
            : named.FirstOrDefault(c => string.Equals(c.Version, wanted.Version, StringComparison.Ordinal));
        if (chosen == null)
            throw new EsxException(ErrorCodes.ComponentNotFound, EsxErrorCategory.ObjectNotFound,
                $"{source}: no depot offers component {wanted.Name} {wanted.Version}; versions offered: {string.Join(", ", named.Select(c => c.Version))}", wanted.ToString());
        if (!chosen.IsComplete)
            throw new EsxException(ErrorCodes.ComponentIncomplete, EsxErrorCategory.ObjectNotFound,
                $"{source}: component {chosen.Id} cannot be added: the depots lack its VIB(s) {string.Join(", ", chosen.MissingVibIds)}", chosen.Id);
        return chosen;
    }
}
