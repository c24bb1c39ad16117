using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Profiles;

/// <summary>
/// Checks an image profile: missing dependencies, conflicts,
/// obsolete (replaced) packages, two versions of one name, acceptance level and software platform.
/// Reports, never throws. Constraints are matched against the provides index (explicit provides plus
/// the implicit self-provide), so each check is a dictionary lookup per constraint.
/// </summary>
public static class ProfileValidator
{
    /// <summary>Validates a profile; <paramref name="catalog"/> (optional) supplies candidates for missing dependencies.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(ImageProfile profile, PackageIndex catalog = null)
    {
        if (profile == null) throw new ArgumentNullException(nameof(profile));
        var problems = Validate(profile.Packages, profile.AcceptanceLevel, catalog);
        if (profile.ComponentBulletins.Count == 0) return problems;
        var all = problems.ToList();
        CheckComponents(profile, all);
        return all;
    }

    /// <summary>Validates a profile against a catalog given as a plain sequence (indexed on the fly).</summary>
    public static IReadOnlyList<ValidationProblem> Validate(ImageProfile profile, IEnumerable<Vib> catalog)
        => Validate(profile, catalog == null ? null : new PackageIndex(catalog));

    /// <summary>Validates a package set as if it were a profile of the given acceptance level.</summary>
    public static IReadOnlyList<ValidationProblem> Validate(IEnumerable<Vib> packages, AcceptanceLevel profileLevel, PackageIndex catalog = null)
    {
        if (packages == null) throw new ArgumentNullException(nameof(packages));
        var index = new PackageIndex(packages);
        var problems = new List<ValidationProblem>();
        CheckDuplicateNames(index, problems);
        foreach (var vib in index.Packages)
        {
            CheckDepends(vib, index, catalog, problems);
            CheckConflicts(vib, index, problems);
            CheckReplaces(vib, index, problems);
            CheckAcceptance(vib, profileLevel, problems);
        }
        CheckPlatform(index, problems);
        return problems;
    }

    /// <summary>True when no problem is an error.</summary>
    public static bool IsValid(IEnumerable<ValidationProblem> problems) => problems.All(p => p.Severity != ValidationSeverity.Error);

    private static void CheckDuplicateNames(PackageIndex index, List<ValidationProblem> problems)
    {
        foreach (var name in index.Names)
        {
            var same = index.FindByName(name);
            if (same.Count < 2) continue;
            var newest = same[same.Count - 1];
            var others = same.Take(same.Count - 1).ToList();
            problems.Add(new ValidationProblem
            {
                Kind = ValidationProblemKind.DuplicateName,
                Package = newest,
                Related = others,
                Message = $"the profile holds {same.Count} packages named '{name}' ({string.Join(", ", same.Select(v => v.Id))}); a profile may hold one version of each name",
            });
        }
    }

    private static void CheckDepends(Vib vib, PackageIndex index, PackageIndex catalog, List<ValidationProblem> problems)
    {
        foreach (var dep in vib.Depends)
        {
            if (dep == null || index.IsSatisfied(dep)) continue;
            var candidates = catalog?.FindProviders(dep) ?? Array.Empty<Vib>();
            string hint = candidates.Count == 0
                ? "no package in the catalog provides it"
                : $"packages that would satisfy it: {string.Join(", ", candidates.Select(c => c.Id))}";
            problems.Add(new ValidationProblem
            {
                Kind = ValidationProblemKind.MissingDependency,
                Package = vib,
                Constraint = dep,
                Candidates = candidates,
                Message = $"{vib.Id} requires {dep}, which no package in the profile provides; {hint}",
            });
        }
    }

    private static void CheckConflicts(Vib vib, PackageIndex index, List<ValidationProblem> problems)
    {
        foreach (var c in vib.Conflicts)
        {
            if (c == null) continue;
            var hits = index.FindProviders(c).Where(v => !ReferenceEquals(v, vib)).ToList();
            if (hits.Count == 0) continue;
            problems.Add(new ValidationProblem
            {
                Kind = ValidationProblemKind.Conflict,
                Package = vib,
                Constraint = c,
                Related = hits,
                Message = $"{vib.Id} conflicts with {c}, matched by {string.Join(", ", hits.Select(h => h.Id))}; remove one of them",
            });
        }
    }

    private static void CheckReplaces(Vib vib, PackageIndex index, List<ValidationProblem> problems)
    {
        // Same-name lower versions are reported here (implicit replace) and also as DuplicateName: both are true.
        foreach (var r in Replacements(vib))
        {
            foreach (var old in index.FindProviders(r))
            {
                if (ReferenceEquals(old, vib)) continue;
                problems.Add(new ValidationProblem
                {
                    Kind = ValidationProblemKind.Obsolete,
                    Package = old,
                    Constraint = r,
                    Related = new[] { vib },
                    Message = $"{old.Id} is replaced by {vib.Id} ({r}) but is still in the profile; remove it",
                });
            }
        }
    }

    /// <summary>A package's explicit replaces plus the implicit <c>name &lt;&lt; version</c>.</summary>
    internal static IEnumerable<Constraint> Replacements(Vib vib)
    {
        foreach (var r in vib.Replaces)
            if (r != null) yield return r;
        if (vib.Version != null) yield return vib.SelfReplace;
    }

    private static void CheckAcceptance(Vib vib, AcceptanceLevel profileLevel, List<ValidationProblem> problems)
    {
        if (vib.AcceptanceLevel >= profileLevel) return;
        problems.Add(new ValidationProblem
        {
            Kind = ValidationProblemKind.AcceptanceLevel,
            Package = vib,
            Message = $"{vib.Id} is {vib.AcceptanceLevel}, less trusted than the profile's acceptance level {profileLevel}. " +
                      $"To allow it, lower the profile's acceptance level to {vib.AcceptanceLevel}",
        });
    }

    private static void CheckPlatform(PackageIndex index, List<ValidationProblem> problems)
    {
        var platform = ProfilePlatform.Derive(index.Packages);
        if (!platform.IsKnown) return;
        foreach (var vib in index.Packages)
        {
            if (vib.SoftwarePlatforms.Count == 0 || ReferenceEquals(vib, platform.BasePackage)) continue;
            bool ok = false;
            foreach (var sp in vib.SoftwarePlatforms)
                if (platform.Accepts(sp)) { ok = true; break; }
            if (ok) continue;
            problems.Add(new ValidationProblem
            {
                Kind = ValidationProblemKind.SoftwarePlatform,
                Package = vib,
                Message = $"{vib.Id} is built for {string.Join(" or ", vib.SoftwarePlatforms.Select(Describe))}, " +
                          $"but the profile's platform is {platform} ({platform.Basis})",
            });
        }
    }

    /// <summary>Components the profile holds only partly (a component is installed whole or not at all).</summary>
    private static void CheckComponents(ImageProfile profile, List<ValidationProblem> problems)
    {
        foreach (var c in Components.ProfileComponents.Derive(profile))
        {
            if (c.Presence != Components.ComponentPresence.Partial) continue;
            bool isBase = c.IsBaseImageComponent;
            problems.Add(new ValidationProblem
            {
                Kind = ValidationProblemKind.PartialComponent,
                Severity = isBase ? ValidationSeverity.Error : ValidationSeverity.Warning,
                Package = c.Packages[0],
                Related = c.Packages.Skip(1).ToList(),
                Component = c.Id,
                Message = $"component {c.Id} ({c.UiName} {c.UiVersion}) is only partly in the profile: it lacks " +
                          string.Join(", ", c.MissingVibIds.Take(10)) + (c.MissingVibIds.Count > 10 ? $" and {c.MissingVibIds.Count - 10} more" : "") +
                          (isBase ? "; it is the base image's core component, without which ESXi cannot be installed"
                                  : "; vSphere Lifecycle Manager accepts a component only whole"),
            });
        }
    }

    private static string Describe(SoftwarePlatform p)
        => $"{(p.ProductLineId.Length > 0 ? p.ProductLineId : "any product line")} {(p.Version.Length > 0 ? p.Version : "any version")}";
}
