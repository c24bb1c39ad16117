using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Profiles;

/// <summary>Settings changed by <see cref="ProfileEditor.Set"/>; null means "leave as is".</summary>
public sealed record ProfileSettings
{
    public string Name { get; init; }
    public string Vendor { get; init; }
    public string Description { get; init; }
    public AcceptanceLevel? AcceptanceLevel { get; init; }
    public bool? ReadOnly { get; init; }
}

/// <summary>
/// Creates and edits image profiles as pure functions: each edit returns a new <see cref="ImageProfile"/>
/// in an <see cref="EditResult"/> and leaves the input untouched. Semantics follow ImageBuilder
/// (Add-EsxSoftwarePackage): same name replaces (newer or older), packages the new one <c>replaces</c>
/// leave, read-only profiles refuse edits, every change is validated. The clock is injectable so
/// ModifiedTime is testable.
/// </summary>
public sealed class ProfileEditor
{
    /// <summary>An editor on the system clock (UTC).</summary>
    public static ProfileEditor Default { get; } = new ProfileEditor();

    public ProfileEditor(Func<DateTimeOffset> clock = null)
    {
        Clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>The source of CreationTime and ModifiedTime.</summary>
    public Func<DateTimeOffset> Clock { get; }

    /// <summary>
    /// An editable copy of <paramref name="source"/> (read-only or not) under a new name; vendor,
    /// description and level default to the source's.
    /// </summary>
    public ImageProfile Clone(ImageProfile source, string name, string vendor = null, string description = null, AcceptanceLevel? acceptanceLevel = null)
    {
        if (source == null) throw new ArgumentNullException(nameof(source));
        RequireName(name);
        RequireText(vendor, "vendor", multiLine: false);
        RequireText(description, "description", multiLine: true);
        var now = Clock();
        return source with
        {
            Name = name.Trim(),
            Vendor = string.IsNullOrWhiteSpace(vendor) ? source.Vendor : vendor.Trim(),
            Description = description ?? source.Description,
            AcceptanceLevel = acceptanceLevel ?? source.AcceptanceLevel,
            ReadOnly = false,
            CreationTime = now,
            ModifiedTime = now,
            ProfileId = null,
            Source = null,
        };
    }

    /// <summary>
    /// A profile from scratch. Items resolve against <paramref name="catalog"/>; the level defaults to
    /// the least trusted package's, or PartnerSupported when empty. Without Force,
    /// a package list with Error-level problems is refused (<see cref="EsxProfileValidationException"/>).
    /// </summary>
    public EditResult New(string name, string vendor, IEnumerable<PackageRef> packages, PackageIndex catalog,
                          string description = null, AcceptanceLevel? acceptanceLevel = null, EditOptions options = null)
    {
        RequireName(name);
        if (string.IsNullOrWhiteSpace(vendor))
            throw new EsxException(ErrorCodes.ProfileInvalid, EsxErrorCategory.InvalidArgument, $"profile '{name}' needs a vendor", name);
        RequireText(vendor, "vendor", multiLine: false);
        RequireText(description, "description", multiLine: true);
        catalog ??= PackageIndex.Empty;
        var items = (packages ?? Enumerable.Empty<PackageRef>()).ToList();
        var resolved = new List<(PackageRef Item, Vib Vib)>();
        var errors = new List<EditItemError>();
        foreach (var item in items)
        {
            if (PackageResolver.TryResolve(item, catalog, out var vib, out var error)) resolved.Add((item, vib));
            else errors.Add(new EditItemError(item.ToString(), error));
        }
        var level = acceptanceLevel ?? (resolved.Count == 0 ? AcceptanceLevel.PartnerSupported : resolved.Min(r => r.Vib.AcceptanceLevel));
        var now = Clock();
        var empty = new ImageProfile
        {
            Name = name.Trim(),
            Vendor = vendor.Trim(),
            Description = description ?? "",
            Creator = vendor.Trim(),
            AcceptanceLevel = level,
            CreationTime = now,
            ModifiedTime = now,
        };
        var result = AddResolved(empty, resolved, catalog, options ?? EditOptions.Default, errors);
        return result with { Changed = true };
    }

    /// <summary>
    /// Adds packages (objects, names, "name version", ids) resolved against <paramref name="catalog"/>.
    /// A package replaces those of the same name (newer or older) and those its <c>replaces</c> match;
    /// an item that cannot be resolved is reported in <see cref="EditResult.Errors"/> and the others
    /// still apply. Without Force, an add that creates Error-level problems is refused with
    /// <see cref="EsxProfileValidationException"/>.
    /// </summary>
    public EditResult AddPackages(ImageProfile profile, IEnumerable<PackageRef> items, PackageIndex catalog, EditOptions options = null)
    {
        if (profile == null) throw new ArgumentNullException(nameof(profile));
        if (items == null) throw new ArgumentNullException(nameof(items));
        RequireEditable(profile);
        catalog ??= PackageIndex.Empty;
        var resolved = new List<(PackageRef Item, Vib Vib)>();
        var errors = new List<EditItemError>();
        foreach (var item in items)
        {
            if (PackageResolver.TryResolve(item, catalog, out var vib, out var error)) resolved.Add((item, vib));
            else errors.Add(new EditItemError(item.ToString(), error));
        }
        return AddResolved(profile, resolved, catalog, options ?? EditOptions.Default, errors);
    }

    /// <summary>Adds packages given as a plain catalog sequence (indexed on the fly).</summary>
    public EditResult AddPackages(ImageProfile profile, IEnumerable<PackageRef> items, IEnumerable<Vib> catalog, EditOptions options = null)
        => AddPackages(profile, items, catalog == null ? null : new PackageIndex(catalog), options);

    private EditResult AddResolved(ImageProfile profile, List<(PackageRef Item, Vib Vib)> resolved, PackageIndex catalog,
                                   EditOptions options, List<EditItemError> errors)
    {
        var working = new List<Vib>(profile.Packages);
        var ids = new HashSet<string>(working.Select(v => v.Id), StringComparer.Ordinal);
        var original = new HashSet<string>(ids, StringComparer.Ordinal);
        var added = new List<Vib>();
        var replaced = new List<PackageReplacement>();
        var ignored = new List<IgnoredItem>();

        foreach (var (item, vib) in resolved)
        {
            var id = vib.Id;
            if (ids.Contains(id))
            {
                ignored.Add(new IgnoredItem(item.ToString(), vib, "already in the profile"));
                continue;
            }
            int insertAt = -1;
            var leaving = new List<(Vib Old, string Reason)>();
            for (int i = 0; i < working.Count; i++)
            {
                var old = working[i];
                string reason = null;
                if (old.Name == vib.Name)
                {
                    int c = VibVersion.Compare(old.Version, vib.Version);
                    reason = c < 0 ? "same name, newer version" : c > 0 ? "same name, older version requested" : $"same name and version from vendor {vib.Vendor}";
                    if (insertAt < 0) insertAt = i;
                }
                else
                {
                    foreach (var r in vib.Replaces)
                        if (r != null && Provides(old, r)) { reason = $"{vib.Name} replaces {r}"; break; }
                }
                if (reason != null) leaving.Add((old, reason));
            }
            foreach (var (old, reason) in leaving)
            {
                working.Remove(old);
                ids.Remove(old.Id);
                if (original.Contains(old.Id))
                {
                    replaced.Add(new PackageReplacement(old, vib, reason));
                }
                else
                {
                    // Added earlier in this same request: the later item wins; earlier replacements now point at it.
                    added.Remove(old);
                    ignored.Add(new IgnoredItem(old.Id, old, $"superseded by {id} later in the same request"));
                    for (int k = 0; k < replaced.Count; k++)
                        if (ReferenceEquals(replaced[k].New, old)) replaced[k] = replaced[k] with { New = vib };
                }
            }
            if (insertAt >= 0 && insertAt <= working.Count) working.Insert(insertAt, vib);
            else working.Add(vib);
            ids.Add(id);
            added.Add(vib);
        }

        var warnings = new List<EsxWarning>();
        var level = profile.AcceptanceLevel;
        if (options.AllowLowerAcceptance && added.Count > 0)
        {
            var least = added.OrderBy(v => v.AcceptanceLevel).First();
            if (least.AcceptanceLevel < level)
            {
                warnings.Add($"the acceptance level of profile '{profile.Name}' was lowered from {level} to {least.AcceptanceLevel} for {least.Id}");
                level = least.AcceptanceLevel;
            }
        }

        bool changed = added.Count > 0 || replaced.Count > 0 || level != profile.AcceptanceLevel;
        var next = changed ? profile with { Packages = working, AcceptanceLevel = level, ModifiedTime = Clock() } : profile;
        var problems = Check(profile, next, catalog, options, warnings, kinds: null,
                             refuse: p => RefusalFor(profile, p, "adding " + string.Join(", ", added.Select(a => a.Id))));
        return new EditResult
        {
            Profile = next,
            Added = added,
            Replaced = replaced,
            Ignored = ignored,
            Errors = errors,
            Warnings = warnings,
            Problems = problems,
            Changed = changed,
        };
    }

    /// <summary>
    /// Removes packages named by object, id, "name version" or name (all versions of that name) from the
    /// profile. Refuses (<see cref="ErrorCodes.DependencyRequired"/>) when a remaining package depends on a
    /// removed one, unless Force. Items not in the profile are reported in <see cref="EditResult.Errors"/>.
    /// </summary>
    public EditResult RemovePackages(ImageProfile profile, IEnumerable<PackageRef> items, EditOptions options = null, PackageIndex catalog = null)
    {
        if (profile == null) throw new ArgumentNullException(nameof(profile));
        if (items == null) throw new ArgumentNullException(nameof(items));
        RequireEditable(profile);
        options ??= EditOptions.Default;
        var inProfile = new PackageIndex(profile.Packages);
        var removeIds = new HashSet<string>(StringComparer.Ordinal);
        var removed = new List<PackageRemoval>();
        var errors = new List<EditItemError>();
        foreach (var item in items)
        {
            var targets = FindInProfile(item, inProfile);
            if (targets.Count == 0)
            {
                errors.Add(new EditItemError(item.ToString(), new EsxException(ErrorCodes.PackageNotFound, EsxErrorCategory.ObjectNotFound,
                    $"profile '{profile.Name}' holds no package '{item}'", item.ToString())));
                continue;
            }
            foreach (var t in targets)
                if (removeIds.Add(t.Id)) removed.Add(new PackageRemoval(t, "removed on request"));
        }

        bool changed = removed.Count > 0;
        var next = changed
            ? profile with { Packages = profile.Packages.Where(v => !removeIds.Contains(v.Id)).ToList(), ModifiedTime = Clock() }
            : profile;
        var warnings = new List<EsxWarning>();
        var what = string.Join(", ", removed.Select(r => r.Package.Id));
        RequireBaseComponentKept(profile, next, what, options, warnings);
        var problems = Check(profile, next, catalog, options, warnings,
            kinds: new[] { ValidationProblemKind.MissingDependency, ValidationProblemKind.PartialComponent },
            refuse: p => p.Any(x => x.Kind == ValidationProblemKind.PartialComponent)
                ? new EsxProfileValidationException(ErrorCodes.ComponentRemovalProhibited,
                    $"cannot remove {what} from profile '{profile.Name}': it breaks component " +
                    string.Join(", ", p.Where(x => x.Kind == ValidationProblemKind.PartialComponent).Select(x => x.Component).Distinct()) +
                    ", the base image's core, and removing it is prohibited", profile.Name, p) { Hint = EsxHints.ForceEdit }
                : new EsxProfileValidationException(ErrorCodes.DependencyRequired,
                    $"cannot remove {what} from profile '{profile.Name}': " +
                    string.Join("; ", p.Select(x => $"{x.Package.Id} depends on {x.Constraint}")),
                    profile.Name, p) { Hint = EsxHints.ForceEdit });
        return new EditResult { Profile = next, Removed = removed, Errors = errors, Warnings = warnings, Problems = problems, Changed = changed };
    }

    /// <summary>
    /// Changes name, vendor, description, acceptance level or the read-only flag. A read-only profile
    /// refuses every change except clearing ReadOnly on a profile made in this session (no
    /// <see cref="ImageProfile.Source"/>); depot profiles stay read-only. Raising the level above a
    /// package's is refused without Force (<see cref="ErrorCodes.AcceptanceLevelViolation"/>).
    /// </summary>
    public EditResult Set(ImageProfile profile, ProfileSettings settings, EditOptions options = null, PackageIndex catalog = null)
    {
        if (profile == null) throw new ArgumentNullException(nameof(profile));
        if (settings == null) throw new ArgumentNullException(nameof(settings));
        options ??= EditOptions.Default;
        bool onlyUnlock = settings.ReadOnly == false && settings.Name == null && settings.Vendor == null &&
                          settings.Description == null && settings.AcceptanceLevel == null;
        if (profile.ReadOnly && !(onlyUnlock && profile.Source == null)) RequireEditable(profile);
        if (settings.Name != null) RequireName(settings.Name);
        if (settings.Vendor != null && settings.Vendor.Trim().Length == 0)
            throw new EsxException(ErrorCodes.ProfileInvalid, EsxErrorCategory.InvalidArgument, $"profile '{profile.Name}': the vendor cannot be empty", profile.Name);
        RequireText(settings.Vendor, "vendor", multiLine: false);
        RequireText(settings.Description, "description", multiLine: true);

        var next = profile with
        {
            Name = settings.Name?.Trim() ?? profile.Name,
            Vendor = settings.Vendor?.Trim() ?? profile.Vendor,
            Description = settings.Description ?? profile.Description,
            AcceptanceLevel = settings.AcceptanceLevel ?? profile.AcceptanceLevel,
            ReadOnly = settings.ReadOnly ?? profile.ReadOnly,
        };
        bool changed = next.Name != profile.Name || next.Vendor != profile.Vendor || next.Description != profile.Description ||
                       next.AcceptanceLevel != profile.AcceptanceLevel || next.ReadOnly != profile.ReadOnly;
        next = changed ? next with { ModifiedTime = Clock() } : profile;
        var warnings = new List<EsxWarning>();
        var problems = Check(profile, next, catalog, options, warnings, kinds: new[] { ValidationProblemKind.AcceptanceLevel },
            refuse: p => RefusalFor(profile, p, $"setting the acceptance level to {next.AcceptanceLevel}"));
        return new EditResult { Profile = next, Warnings = warnings, Problems = problems, Changed = changed };
    }

    /// <summary>
    /// Validates <paramref name="after"/>; Error-level problems that <paramref name="before"/> did not have
    /// (optionally only of <paramref name="kinds"/>) refuse the edit, or become warnings under Force.
    /// </summary>
    private static IReadOnlyList<ValidationProblem> Check(ImageProfile before, ImageProfile after, PackageIndex catalog, EditOptions options,
                                                         List<EsxWarning> warnings, ValidationProblemKind[] kinds,
                                                         Func<IReadOnlyList<ValidationProblem>, EsxException> refuse)
    {
        var problems = ProfileValidator.Validate(after, catalog);
        if (ReferenceEquals(before, after) || problems.Count == 0) return problems;
        var old = new HashSet<string>(ProfileValidator.Validate(before).Select(p => p.Key), StringComparer.Ordinal);
        var fresh = problems.Where(p => p.Severity == ValidationSeverity.Error && !old.Contains(p.Key) &&
                                        (kinds == null || kinds.Contains(p.Kind))).ToList();
        if (fresh.Count == 0) return problems;
        if (!options.Force) throw refuse(fresh);
        foreach (var p in fresh) warnings.Add(EsxWarning.Forced(p.Message));
        return problems;
    }

    private static EsxException RefusalFor(ImageProfile profile, IReadOnlyList<ValidationProblem> problems, string action)
    {
        bool acceptanceOnly = problems.All(p => p.Kind == ValidationProblemKind.AcceptanceLevel);
        var code = acceptanceOnly ? ErrorCodes.AcceptanceLevelViolation : ErrorCodes.ProfileInvalid;
        var shown = string.Join("; ", problems.Take(5).Select(p => p.Message));
        var more = problems.Count > 5 ? $"; and {problems.Count - 5} more" : "";
        return new EsxProfileValidationException(code, $"{action} would make profile '{profile.Name}' invalid: {shown}{more}", profile.Name, problems)
            { Hint = acceptanceOnly ? EsxHints.AllowLowerAcceptance : EsxHints.ForceEdit };
    }

    /// <summary>
    /// Removing every VIB of the base image's <c>ESXi</c> component leaves no partial component to report, yet the image
    /// has no core any more: refuse that too (ESXi-Customizer-PS users meet it as "removing them is prohibited").
    /// </summary>
    private static void RequireBaseComponentKept(ImageProfile before, ImageProfile after, string what, EditOptions options, List<EsxWarning> warnings)
    {
        var dropped = Components.ProfileComponents.DroppedBaseComponent(before, after);
        if (dropped == null) return;
        var message = $"removing {what} from profile '{before.Name}' drops component {dropped.Id}, the base image's core, and removing it is prohibited";
        if (!options.Force)
            throw new EsxProfileValidationException(ErrorCodes.ComponentRemovalProhibited, message, before.Name, Array.Empty<ValidationProblem>())
                { Hint = EsxHints.ForceEdit };
        warnings.Add(EsxWarning.Forced(message));
    }

    /// <summary>An object or id names one package; "name version" that version; a bare name every package of that name.</summary>
    private static IReadOnlyList<Vib> FindInProfile(PackageRef item, PackageIndex inProfile)
    {
        if (item.Package != null)
        {
            var same = inProfile.FindById(item.Package.Id);
            return same == null ? Array.Empty<Vib>() : new[] { same };
        }
        var byId = inProfile.FindById(item.Text);
        if (byId != null) return new[] { byId };
        var parts = item.Text.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 2 && VibVersion.TryParse(parts[1], out var version))
            return inProfile.FindByNameLenient(parts[0]).Where(v => v.Version == version).ToList();
        return parts.Length == 1 ? inProfile.FindByNameLenient(item.Text) : Array.Empty<Vib>();
    }

    private static bool Provides(Vib vib, Constraint c)
    {
        if (c.Matches(vib.Name, vib.Version)) return true;
        foreach (var p in vib.Provides)
            if (p != null && c.Matches(p.Name, p.Version)) return true;
        return false;
    }

    private static void RequireEditable(ImageProfile profile)
    {
        if (profile.ReadOnly)
            throw new EsxException(ErrorCodes.ProfileReadOnly, EsxErrorCategory.InvalidOperation,
                $"profile '{profile.Name}' is read-only{(profile.Source != null ? $" (from {profile.Source})" : "")}; clone it to edit",
                profile.Name) { Hint = EsxHints.CloneToEdit };
    }

    private static void RequireName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new EsxException(ErrorCodes.ProfileInvalid, EsxErrorCategory.InvalidArgument, "a profile name is required");
        RequireText(name, "name", multiLine: false);
    }

    /// <summary>
    /// Refuses text a profile's XML (and an ESXi host) cannot carry: NUL and other control characters (a description
    /// may have tabs and line breaks), lone surrogates and U+FFFE/U+FFFF. Said when the value is given, not when
    /// an export later fails to write it.
    /// </summary>
    public static void RequireText(string value, string field, bool multiLine)
    {
        var problem = TextProblem(value, multiLine);
        if (problem != null)
            throw new EsxException(ErrorCodes.ProfileInvalid, EsxErrorCategory.InvalidArgument, $"the profile {field} {problem}", field);
    }

    /// <summary>What is wrong with <paramref name="value"/> as profile text, or null when nothing is.</summary>
    public static string TextProblem(string value, bool multiLine)
    {
        if (value == null) return null;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return $"has a lone surrogate (U+{(int)c:X4}) at position {i + 1}: it is not text";
            if (multiLine && (c == '\t' || c == '\n' || c == '\r')) continue;
            if (c < ' ' || (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF)
                return $"has the control character U+{(int)c:X4} at position {i + 1}; {(multiLine ? "only tabs and line breaks are allowed" : "it must be one line of printable text")}";
        }
        return null;
    }
}
