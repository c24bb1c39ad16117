using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Profiles;

/// <summary>
/// What to build: a base profile (by name) or a profile from scratch, packages to add and remove, and
/// settings. The CLI (<c>validate</c>, <c>build</c>), the cmdlets and <see cref="ProfileSpec"/> all
/// reduce to this, so their semantics cannot drift apart.
/// </summary>
public sealed record ProfileBuildRequest
{
    /// <summary>Name of the profile to clone; null builds from scratch (Name and Vendor then required).</summary>
    public string BaseProfile { get; init; }

    /// <summary>Name of the result; defaults to the base profile's name.</summary>
    public string Name { get; init; }
    public string Vendor { get; init; }
    public string Description { get; init; }

    /// <summary>Sets the level before packages are added; null keeps the base's.</summary>
    public AcceptanceLevel? AcceptanceLevel { get; init; }

    /// <summary>Package names, "name version", ids, or .vib/.zip paths (see <see cref="ProfileBuilder.IsFileItem"/>).</summary>
    public IReadOnlyList<string> Add { get; init; } = Array.Empty<string>();

    /// <summary>Package objects to add as they are (e.g. from the pipeline).</summary>
    public IReadOnlyList<Vib> AddPackages { get; init; } = Array.Empty<Vib>();

    /// <summary>Package names, "name version" or ids to remove.</summary>
    public IReadOnlyList<string> Remove { get; init; } = Array.Empty<string>();

    public bool AllowLowerAcceptance { get; init; }

    /// <summary>Build even when the result has Error-level problems the base did not have (they become warnings).</summary>
    public bool Force { get; init; }

    /// <summary>The folder relative file paths in <see cref="Add"/> are resolved against; null: the process's current directory.</summary>
    public string BaseDirectory { get; init; }

    /// <summary>
    /// A VMware software spec to build from (base image, components); resolved against the depots by
    /// <see cref="SessionProfileBuilder"/> (<see cref="Components.SoftwareSpecResolver"/>) into BaseProfile, AddPackages and Remove.
    /// </summary>
    public Components.SoftwareSpec SoftwareSpec { get; init; }

    /// <summary>Component bulletins the result is judged against (partly present components); usually the session's.</summary>
    public IReadOnlyList<Bulletin> ComponentBulletins { get; init; } = Array.Empty<Bulletin>();

    /// <summary>The request a spec describes.</summary>
    public static ProfileBuildRequest FromSpec(ProfileSpec spec)
    {
        if (spec == null) throw new ArgumentNullException(nameof(spec));
        spec.Check();
        return new ProfileBuildRequest
        {
            BaseProfile = string.IsNullOrWhiteSpace(spec.BaseProfile) ? null : spec.BaseProfile.Trim(),
            Name = spec.Name,
            Vendor = spec.Vendor,
            Description = spec.Description,
            AcceptanceLevel = spec.ParsedAcceptanceLevel,
            Add = spec.Add.ToList(),
            Remove = spec.Remove.ToList(),
            AllowLowerAcceptance = spec.AllowLowerAcceptance,
            Force = spec.Force,
            BaseDirectory = spec.BaseDirectory,
        };
    }
}

/// <summary>
/// Turns a <see cref="ProfileBuildRequest"/> into an edited profile: clone (or new), set the level,
/// add (names resolved in the catalog, files through a delegate so the depot layer plugs in), remove,
/// then validate the end state. Steps run forced so the request is judged as a whole: only the final
/// profile's new Error-level problems refuse the build (unless Force).
/// </summary>
public static class ProfileBuilder
{
    /// <summary>Whether an add item names a file (.vib or .zip, or any path with a separator) rather than a package.</summary>
    public static bool IsFileItem(string item)
    {
        if (string.IsNullOrWhiteSpace(item)) return false;
        var t = item.Trim();
        return t.EndsWith(".vib", StringComparison.OrdinalIgnoreCase) || t.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) ||
               t.IndexOf('/') >= 0 || t.IndexOf('\\') >= 0;
    }

    /// <summary>Finds a profile by name (exact, then ignoring case); errors name the available profiles.</summary>
    public static ImageProfile FindProfile(IEnumerable<ImageProfile> profiles, string name)
    {
        var list = (profiles ?? Enumerable.Empty<ImageProfile>()).Where(p => p != null).ToList();
        var hits = list.Where(p => string.Equals(p.Name, name, StringComparison.Ordinal)).ToList();
        if (hits.Count == 0) hits = list.Where(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (hits.Count == 0)
        {
            var names = list.Select(p => p.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
            var shown = names.Count == 0 ? "none" : string.Join(", ", names.Take(20)) + (names.Count > 20 ? ", ..." : "");
            throw new EsxException(ErrorCodes.ProfileNotFound, EsxErrorCategory.ObjectNotFound, $"no image profile named '{name}' (available: {shown})", name);
        }
        var vendors = hits.Select(h => h.Vendor).Distinct(StringComparer.Ordinal).ToList();
        if (vendors.Count > 1)
            throw new EsxException(ErrorCodes.ProfileAmbiguous, EsxErrorCategory.InvalidArgument,
                $"image profile '{name}' is offered by {vendors.Count} vendors ({string.Join(", ", vendors)})", name);
        return hits[0];
    }

    /// <summary>
    /// Builds the profile a request describes. <paramref name="resolveFile"/> turns a .vib or bundle path
    /// into its packages (null: file items are an error). Unresolvable package items are reported in
    /// <see cref="EditResult.Errors"/>; the rest still apply. Throws <see cref="EsxProfileValidationException"/>
    /// when the result has new Error-level problems and the request is not forced.
    /// </summary>
    public static EditResult Build(ProfileBuildRequest request, IEnumerable<ImageProfile> profiles, IEnumerable<Vib> catalog,
                                   Func<string, IEnumerable<Vib>> resolveFile, ProfileEditor editor = null)
    {
        if (request == null) throw new ArgumentNullException(nameof(request));
        if (request.SoftwareSpec != null)
            throw new ArgumentException("resolve the software spec first (SessionProfileBuilder, SoftwareSpecResolver)", nameof(request));
        editor ??= ProfileEditor.Default;
        var catalogList = (catalog ?? Enumerable.Empty<Vib>()).ToList();
        var forced = new EditOptions { Force = true, AllowLowerAcceptance = request.AllowLowerAcceptance };

        // Files first: their packages join the catalog (as candidates for missing dependencies) and are added as objects.
        var items = new List<PackageRef>();
        var fromFiles = new List<Vib>();
        foreach (var add in request.Add ?? Array.Empty<string>())
        {
            if (!IsFileItem(add)) { items.Add(PackageRef.Parse(add)); continue; }
            if (resolveFile == null)
                throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.InvalidArgument, $"'{add}' is a file, and files cannot be added here", add);
            var path = request.BaseDirectory != null && !Path.IsPathRooted(add.Trim()) ? Path.Combine(request.BaseDirectory, add.Trim()) : add.Trim();
            var vibs = (resolveFile(path) ?? Enumerable.Empty<Vib>()).ToList();
            if (vibs.Count == 0)
                throw new EsxException(ErrorCodes.PackageNotFound, EsxErrorCategory.InvalidData, $"{path}: holds no packages", path);
            fromFiles.AddRange(vibs);
            items.AddRange(vibs.Select(PackageRef.Of));
        }
        items.AddRange((request.AddPackages ?? Array.Empty<Vib>()).Select(PackageRef.Of));
        var index = new PackageIndex(catalogList.Concat(fromFiles).Concat(request.AddPackages ?? Array.Empty<Vib>()));

        ImageProfile start, reference;
        EditResult result;
        if (request.BaseProfile != null)
        {
            var baseProfile = FindProfile(profiles, request.BaseProfile).WithComponentBulletins(request.ComponentBulletins, catalogList);
            reference = baseProfile;
            start = editor.Clone(baseProfile, request.Name ?? baseProfile.Name, request.Vendor, request.Description, request.AcceptanceLevel);
            result = new EditResult { Profile = start, Changed = true };
        }
        else
        {
            if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Vendor))
                throw new EsxException(ErrorCodes.ProfileInvalid, EsxErrorCategory.InvalidArgument, "a profile from scratch needs a name and a vendor (or name a base profile)");
            start = editor.New(request.Name, request.Vendor, Array.Empty<PackageRef>(), index, request.Description,
                               request.AcceptanceLevel ?? AcceptanceLevel.PartnerSupported).Profile;
            reference = start;
            result = new EditResult { Profile = start, Changed = true };
        }

        if (items.Count > 0) result = result.Then(editor.AddPackages(result.Profile, items, index, forced));
        if ((request.Remove?.Count ?? 0) > 0)
            result = result.Then(editor.RemovePackages(result.Profile, request.Remove.Select(PackageRef.Parse), forced, index));

        // Judge the end state: only problems the base profile did not have count, and intermediate "forced" warnings are replaced.
        result = result with { Profile = result.Profile.WithComponentBulletins(request.ComponentBulletins, index.Packages) };
        var problems = ProfileValidator.Validate(result.Profile, index);
        var old = new HashSet<string>(ProfileValidator.Validate(reference).Select(p => p.Key), StringComparer.Ordinal);
        var fresh = problems.Where(p => p.Severity == ValidationSeverity.Error && !old.Contains(p.Key)).ToList();
        var warnings = result.Warnings.Where(w => w.Kind != EsxWarningKind.ForcedProblem).ToList();
        if (result.Profile.MissingVibIds.Count > 0)
            warnings.Add($"profile '{result.Profile.Name}' names {result.Profile.MissingVibIds.Count} VIB(s) that no depot holds: " +
                         string.Join(", ", result.Profile.MissingVibIds.Take(10)) + (result.Profile.MissingVibIds.Count > 10 ? ", ..." : ""));
        var dropped = Components.ProfileComponents.DroppedBaseComponent(reference, result.Profile)?.Id;
        if (dropped != null)
        {
            var message = $"profile '{result.Profile.Name}' no longer holds component {dropped}, the base image's core, and removing it is prohibited";
            if (!request.Force)
                throw new EsxProfileValidationException(ErrorCodes.ComponentRemovalProhibited, message, result.Profile.Name, fresh) { Hint = EsxHints.ForceEdit };
            warnings.Add(EsxWarning.Forced(message));
        }
        if (fresh.Count > 0)
        {
            if (!request.Force)
            {
                bool acceptanceOnly = fresh.All(p => p.Kind == ValidationProblemKind.AcceptanceLevel);
                throw new EsxProfileValidationException(acceptanceOnly ? ErrorCodes.AcceptanceLevelViolation : ErrorCodes.ProfileInvalid,
                    $"profile '{result.Profile.Name}' would be invalid: {string.Join("; ", fresh.Take(5).Select(p => p.Message))}" +
                    (fresh.Count > 5 ? $"; and {fresh.Count - 5} more" : ""),
                    result.Profile.Name, fresh) { Hint = acceptanceOnly ? EsxHints.AllowLowerAcceptance : EsxHints.ForceEdit };
            }
            warnings.AddRange(fresh.Select(p => EsxWarning.Forced(p.Message)));
        }
        return result with { Problems = problems, Warnings = warnings };
    }
}

/// <summary>Applies a <see cref="ProfileSpec"/> (New-EsxProfile -Spec, the CLI's --spec).</summary>
public static class ProfileSpecApplier
{
    /// <summary>
    /// Builds the profile <paramref name="spec"/> describes from <paramref name="profiles"/> and
    /// <paramref name="catalog"/>; file paths in <c>add</c> go through <paramref name="resolveFile"/>.
    /// </summary>
    public static EditResult Apply(ProfileSpec spec, IEnumerable<ImageProfile> profiles, IEnumerable<Vib> catalog,
                                   Func<string, IEnumerable<Vib>> resolveFile, ProfileEditor editor = null)
        => ProfileBuilder.Build(ProfileBuildRequest.FromSpec(spec), profiles, catalog, resolveFile, editor);
}
