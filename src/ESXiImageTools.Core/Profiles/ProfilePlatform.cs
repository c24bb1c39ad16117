using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Profiles;

/// <summary>
/// The ESXi platform an image profile targets, derived from its packages because profile XML does
/// not state it. Assumptions (no public source states the rules, so these are ours):
/// <list type="bullet">
/// <item>The base package is <c>esx-base</c>, else <c>esxio-base</c> (7.0+ DPU images).</item>
/// <item>The version is the version part (before '-') of an <c>esx-version</c> provide, the base
/// package's first, else any package's highest; without one, the base package's own version part.</item>
/// <item>The product lines are the base package's <c>softwarePlatform</c> productLineIDs; a base package
/// without any is taken as <c>embeddedEsx</c> (classic ESXi; the element is absent from older VIBs).</item>
/// <item>Without a base package and an <c>esx-version</c> provide, the platform is unknown and no
/// platform check is made.</item>
/// </list>
/// </summary>
public sealed class ProfilePlatform
{
    /// <summary>Names of base packages, most preferred first.</summary>
    public static readonly IReadOnlyList<string> BasePackageNames = new[] { "esx-base", "esxio-base" };

    /// <summary>The product line assumed for a base package that declares none.</summary>
    public const string DefaultProductLine = "embeddedEsx";

    private ProfilePlatform(string version, IReadOnlyList<string> productLines, Vib basePackage, string basis)
    {
        Version = version;
        ProductLines = productLines;
        BasePackage = basePackage;
        Basis = basis;
    }

    /// <summary>The ESXi version such as <c>7.0.3</c>, or null when unknown.</summary>
    public string Version { get; }

    /// <summary>Product line ids such as <c>embeddedEsx</c>; empty when unknown.</summary>
    public IReadOnlyList<string> ProductLines { get; }

    /// <summary>The base package the platform was read from, or null.</summary>
    public Vib BasePackage { get; }

    /// <summary>How the platform was derived, for messages.</summary>
    public string Basis { get; }

    public bool IsKnown => Version != null || ProductLines.Count > 0;

    /// <summary>Derives the platform from a profile's packages (see the type's remarks for the rules).</summary>
    public static ProfilePlatform Derive(IEnumerable<Vib> packages)
    {
        var list = packages as IReadOnlyList<Vib> ?? packages.ToList();
        Vib basePackage = null;
        foreach (var name in BasePackageNames)
        {
            basePackage = list.Where(v => v.Name == name).OrderByDescending(v => v.Version).FirstOrDefault();
            if (basePackage != null) break;
        }

        string version = null;
        var basis = new List<string>();
        var baseProvide = basePackage?.Provides.FirstOrDefault(p => p.Name == "esx-version" && p.Version != null);
        if (baseProvide != null)
        {
            version = baseProvide.Version.Version;
            basis.Add($"version from the esx-version provide of {basePackage.Id}");
        }
        else
        {
            var any = list.SelectMany(v => v.Provides.Where(p => p.Name == "esx-version" && p.Version != null).Select(p => (v, p)))
                          .OrderByDescending(t => t.p.Version).FirstOrDefault();
            if (any.p != null)
            {
                version = any.p.Version.Version;
                basis.Add($"version from the esx-version provide of {any.v.Id}");
            }
            else if (basePackage != null)
            {
                version = basePackage.Version.Version;
                basis.Add($"version of {basePackage.Id}");
            }
        }

        IReadOnlyList<string> lines = Array.Empty<string>();
        if (basePackage != null)
        {
            var declared = basePackage.SoftwarePlatforms.Select(p => p.ProductLineId).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            if (declared.Count > 0)
            {
                lines = declared;
                basis.Add($"product lines from the softwarePlatform of {basePackage.Id}");
            }
            else
            {
                lines = new[] { DefaultProductLine };
                basis.Add($"product line {DefaultProductLine} assumed ({basePackage.Id} declares none)");
            }
        }
        if (basis.Count == 0) basis.Add("no base package (esx-base) and no esx-version provide: platform unknown");
        return new ProfilePlatform(version, lines, basePackage, string.Join("; ", basis));
    }

    /// <summary>
    /// Whether a package requirement fits this platform: its product line is one of ours (when both are
    /// known) and its version glob matches our version (when both are known). A glob without wildcards
    /// also matches as a dotted prefix (<c>7.0</c> fits <c>7.0.3</c>).
    /// </summary>
    public bool Accepts(SoftwarePlatform requirement)
    {
        if (requirement == null) return true;
        if (ProductLines.Count > 0 && requirement.ProductLineId.Length > 0 &&
            !ProductLines.Contains(requirement.ProductLineId, StringComparer.OrdinalIgnoreCase))
            return false;
        if (Version != null && requirement.Version.Length > 0 && !VersionGlobMatches(requirement.Version, Version))
            return false;
        return true;
    }

    /// <summary>fnmatch-style match of <c>*</c> and <c>?</c>; a glob without wildcards also matches as a dotted prefix.</summary>
    public static bool VersionGlobMatches(string glob, string version)
    {
        if (glob.IndexOfAny(new[] { '*', '?' }) < 0)
            return version == glob || version.StartsWith(glob + ".", StringComparison.Ordinal);
        return Glob(glob, 0, version, 0);
    }

    private static bool Glob(string p, int pi, string s, int si)
    {
        while (pi < p.Length)
        {
            char c = p[pi];
            if (c == '*')
            {
                for (int k = si; k <= s.Length; k++)
                    if (Glob(p, pi + 1, s, k)) return true;
                return false;
            }
            if (si >= s.Length) return false;
            if (c != '?' && c != s[si]) return false;
            pi++;
            si++;
        }
        return si == s.Length;
    }

    public override string ToString() => IsKnown ? $"{string.Join("/", ProductLines)} {Version}".Trim() : "unknown";
}
