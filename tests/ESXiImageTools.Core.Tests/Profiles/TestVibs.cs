using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Tests.Profiles;

/// <summary>Builds Vib records and profiles for profile tests (no files involved).</summary>
internal static class TestVibs
{
    public const string Vendor = "TestVendor";

    /// <summary>
    /// A package. Constraints are in ImageBuilder text form (<c>"b &gt;= 2.0-1"</c>); provides are
    /// <c>"name"</c> or <c>"name=version"</c>; platforms are <c>"productLine:versionGlob"</c>.
    /// </summary>
    public static Vib Make(string name, string version = "1.0.0-1", string vendor = Vendor,
                           AcceptanceLevel level = AcceptanceLevel.PartnerSupported,
                           string[] depends = null, string[] conflicts = null, string[] replaces = null,
                           string[] provides = null, string[] platforms = null)
        => new Vib
        {
            Name = name,
            Version = VibVersion.Parse(version),
            Vendor = vendor,
            AcceptanceLevel = level,
            Depends = Constraints(depends),
            Conflicts = Constraints(conflicts),
            Replaces = Constraints(replaces),
            Provides = (provides ?? Array.Empty<string>()).Select(p =>
            {
                int eq = p.IndexOf('=');
                return eq < 0 ? new Provide(p) : new Provide(p.Substring(0, eq).Trim(), VibVersion.Parse(p.Substring(eq + 1).Trim()));
            }).ToList(),
            SoftwarePlatforms = (platforms ?? Array.Empty<string>()).Select(p =>
            {
                var parts = p.Split(':');
                return new SoftwarePlatform(parts.Length > 1 ? parts[1] : "", "", parts[0]);
            }).ToList(),
        };

    /// <summary>An esx-base like VMware's: provides esx-version and a vmkapi ABI, product line embeddedEsx.</summary>
    public static Vib Base(string version = "7.0.3-0.0.19193900", string productLine = "embeddedEsx")
        => Make("esx-base", version, "VMware", AcceptanceLevel.VMwareCertified,
                provides: new[] { "esx-version=" + version, "vmkapi_2_2_0_0" },
                platforms: new[] { productLine + ":" + version.Split('-')[0] });

    public static ImageProfile Profile(string name, AcceptanceLevel level, params Vib[] vibs)
        => new ImageProfile { Name = name, Vendor = Vendor, AcceptanceLevel = level, Packages = vibs.ToList() };

    public static ImageProfile DepotProfile(string name, AcceptanceLevel level, params Vib[] vibs)
        => Profile(name, level, vibs) with { ReadOnly = true, Source = "depot.zip" };

    private static IReadOnlyList<Constraint> Constraints(string[] texts)
        => (texts ?? Array.Empty<string>()).Select(t => Constraint.Parse(t)).ToList();
}

/// <summary>A settable clock for ModifiedTime checks.</summary>
internal sealed class TestClock
{
    public DateTimeOffset Now { get; set; } = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
    public DateTimeOffset Read() => Now;
    public void Advance(TimeSpan by) => Now += by;
}
