using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Profiles;

/// <summary>A package present in both profiles under one name at different versions.</summary>
public sealed record PackageVersionChange(Vib Reference, Vib Comparison)
{
    public override string ToString() => $"{Reference.Name} {Reference.Version} -> {Comparison.Version}";
}

/// <summary>
/// How two profiles differ (ImageBuilder's ImageProfileDiff, with package objects rather than id strings).
/// </summary>
public sealed record ProfileDiff
{
    public ImageProfile Reference { get; init; }
    public ImageProfile Comparison { get; init; }

    /// <summary>Same packages, acceptance level, name, vendor and description.</summary>
    public bool Equal { get; init; }

    /// <summary>Same package ids (order does not matter).</summary>
    public bool PackagesEqual { get; init; }

    /// <summary>Packages only in the reference, whose name the comparison lacks (or holds from another vendor at the same version).</summary>
    public IReadOnlyList<Vib> OnlyInReference { get; init; } = Array.Empty<Vib>();

    /// <summary>Packages only in the comparison.</summary>
    public IReadOnlyList<Vib> OnlyInComparison { get; init; } = Array.Empty<Vib>();

    /// <summary>Same name, higher version in the comparison.</summary>
    public IReadOnlyList<PackageVersionChange> Upgraded { get; init; } = Array.Empty<PackageVersionChange>();

    /// <summary>Same name, lower version in the comparison.</summary>
    public IReadOnlyList<PackageVersionChange> Downgraded { get; init; } = Array.Empty<PackageVersionChange>();

    /// <summary>Packages in both (same id).</summary>
    public IReadOnlyList<Vib> Common { get; init; } = Array.Empty<Vib>();

    public AcceptanceLevel ReferenceAcceptanceLevel { get; init; }
    public AcceptanceLevel ComparisonAcceptanceLevel { get; init; }
}

/// <summary>Compares two image profiles package by package (Compare-EsxImageProfile).</summary>
public static class ProfileComparison
{
    /// <summary>
    /// Pairs packages by id first, then the remaining ones by name (highest version of each side);
    /// a paired name with a higher comparison version is an upgrade, lower a downgrade, equal version
    /// (another vendor) counts as only-in-each. Linear in the package counts.
    /// </summary>
    public static ProfileDiff Compare(ImageProfile reference, ImageProfile comparison)
    {
        if (reference == null) throw new ArgumentNullException(nameof(reference));
        if (comparison == null) throw new ArgumentNullException(nameof(comparison));
        var refIndex = new PackageIndex(reference.Packages);
        var compIndex = new PackageIndex(comparison.Packages);

        var common = refIndex.Packages.Where(compIndex.Contains).ToList();
        var refRest = refIndex.Packages.Where(v => !compIndex.Contains(v)).ToList();
        var compRest = compIndex.Packages.Where(v => !refIndex.Contains(v)).ToList();

        var compByName = new Dictionary<string, List<Vib>>(StringComparer.Ordinal);
        foreach (var v in compRest)
        {
            if (!compByName.TryGetValue(v.Name, out var l)) compByName[v.Name] = l = new List<Vib>();
            l.Add(v);
        }

        var onlyRef = new List<Vib>();
        var upgraded = new List<PackageVersionChange>();
        var downgraded = new List<PackageVersionChange>();
        var pairedComp = new HashSet<Vib>();
        foreach (var group in refRest.GroupBy(v => v.Name, StringComparer.Ordinal))
        {
            var refs = group.OrderByDescending(v => v.Version).ToList();
            if (!compByName.TryGetValue(group.Key, out var comps))
            {
                onlyRef.AddRange(refs);
                continue;
            }
            var r = refs[0];
            var c = comps.OrderByDescending(v => v.Version).First();
            int cmp = VibVersion.Compare(c.Version, r.Version);
            if (cmp > 0) upgraded.Add(new PackageVersionChange(r, c));
            else if (cmp < 0) downgraded.Add(new PackageVersionChange(r, c));
            else { onlyRef.AddRange(refs); continue; }
            pairedComp.Add(c);
            onlyRef.AddRange(refs.Skip(1));
        }
        var onlyComp = compRest.Where(v => !pairedComp.Contains(v)).ToList();

        bool packagesEqual = onlyRef.Count == 0 && onlyComp.Count == 0 && upgraded.Count == 0 && downgraded.Count == 0;
        bool equal = packagesEqual && reference.AcceptanceLevel == comparison.AcceptanceLevel &&
                     reference.Name == comparison.Name && reference.Vendor == comparison.Vendor &&
                     (reference.Description ?? "") == (comparison.Description ?? "");
        return new ProfileDiff
        {
            Reference = reference,
            Comparison = comparison,
            Equal = equal,
            PackagesEqual = packagesEqual,
            OnlyInReference = onlyRef,
            OnlyInComparison = onlyComp,
            Upgraded = upgraded,
            Downgraded = downgraded,
            Common = common,
            ReferenceAcceptanceLevel = reference.AcceptanceLevel,
            ComparisonAcceptanceLevel = comparison.AcceptanceLevel,
        };
    }
}
