using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Bench;

/// <summary>
/// Targets: validating a 500-package profile against a 10,000-package catalog (&lt; 50 ms) and
/// adding one package to such a profile (&lt; 5 ms). The naive baseline does what scripts do: scan every
/// package for every constraint.
/// <c>dotnet run -c Release --project bench/ESXiImageTools.Bench -- --filter '*ProfileBenchmarks*' --job short</c>
/// </summary>
[MemoryDiagnoser]
public class ProfileBenchmarks
{
    private ImageProfile _profile;
    private List<Vib> _catalog;
    private PackageIndex _catalogIndex;
    private ProfileEditor _editor;
    private PackageRef[] _upgrade;

    [GlobalSetup]
    public void Setup()
    {
        (_profile, _catalog) = SyntheticDepot.Create(profileSize: 500, catalogSize: 10_000, seed: 42);
        _catalogIndex = new PackageIndex(_catalog);
        _editor = new ProfileEditor();
        // A newer version of a profile package: replaces it, stays valid.
        _upgrade = new PackageRef[] { "pkg-250" };
        if (ProfileValidator.Validate(_profile, _catalogIndex).Count != 0) throw new InvalidOperationException("synthetic profile should be valid");
        if (NaiveValidate(_profile) != 0) throw new InvalidOperationException("naive validator disagrees");
        if (_editor.AddPackages(_profile, _upgrade, _catalogIndex).Replaced.Count != 1) throw new InvalidOperationException("add should replace");
    }

    [Benchmark(Description = "Validate 500 in 10k (indexed)")]
    public int Validate() => ProfileValidator.Validate(_profile, _catalogIndex).Count;

    [Benchmark(Baseline = true, Description = "Validate 500 (naive scans)")]
    public int ValidateNaive() => NaiveValidate(_profile);

    [Benchmark(Description = "Add one package to 500")]
    public int AddOne() => _editor.AddPackages(_profile, _upgrade, _catalogIndex).Profile.Packages.Count;

    [Benchmark(Description = "Index a 10k catalog")]
    public int IndexCatalog() => new PackageIndex(_catalog).Count;

    /// <summary>Depends/conflicts/replaces checked by scanning all packages for every constraint (O(n²)).</summary>
    private static int NaiveValidate(ImageProfile profile)
    {
        int problems = 0;
        var pkgs = profile.Packages;
        foreach (var v in pkgs)
        {
            foreach (var d in v.Depends)
                if (!pkgs.Any(o => Provides(o, d))) problems++;
            foreach (var c in v.Conflicts)
                if (pkgs.Any(o => !ReferenceEquals(o, v) && Provides(o, c))) problems++;
            foreach (var r in v.Replaces.Append(v.SelfReplace))
                if (pkgs.Any(o => !ReferenceEquals(o, v) && Provides(o, r))) problems++;
            if (v.AcceptanceLevel < profile.AcceptanceLevel) problems++;
        }
        return problems;
    }

    private static bool Provides(Vib v, Constraint c) => c.Matches(v.Name, v.Version) || v.Provides.Any(p => c.Matches(p.Name, p.Version));
}

/// <summary>
/// A reproducible depot shaped like a real one: an esx-base providing esx-version and vmkapi ABIs,
/// packages depending on ABIs and on earlier packages (versioned and not), explicit provides,
/// replaces of retired names, conflicts that do not fire, softwarePlatforms, and older/newer versions
/// of profile packages elsewhere in the catalog.
/// </summary>
public static class SyntheticDepot
{
    public static (ImageProfile Profile, List<Vib> Catalog) Create(int profileSize, int catalogSize, int seed)
    {
        var rnd = new Random(seed);
        var esxBase = new Vib
        {
            Name = "esx-base", Version = VibVersion.Parse("7.0.3-0.0.19193900"), Vendor = "VMware",
            AcceptanceLevel = AcceptanceLevel.VMwareCertified,
            Provides = new[] { new Provide("esx-version", VibVersion.Parse("7.0.3-0.0.19193900")), new Provide("vmkapi_2_2_0_0"), new Provide("vmkapi_2_3_0_0") },
            SoftwarePlatforms = new[] { new SoftwarePlatform("7.0.3", "", "embeddedEsx") },
        };
        var profilePkgs = new List<Vib> { esxBase };
        for (int i = 1; i < profileSize; i++)
            profilePkgs.Add(Package(rnd, i, "1.0.0-1", profilePkgs));

        var catalog = new List<Vib>(profilePkgs);
        // Newer versions of every profile package, then unrelated packages, to reach the catalog size.
        for (int i = 1; i < profileSize && catalog.Count < catalogSize; i++)
            catalog.Add(profilePkgs[i] with { Version = VibVersion.Parse("1.1.0-1") });
        for (int i = profileSize; catalog.Count < catalogSize; i++)
            catalog.Add(Package(rnd, i, "2.0.0-1", profilePkgs));

        var profile = new ImageProfile
        {
            Name = "synthetic", Vendor = "Bench", AcceptanceLevel = AcceptanceLevel.PartnerSupported,
            Packages = profilePkgs, ReadOnly = false,
        };
        return (profile, catalog);
    }

    private static Vib Package(Random rnd, int i, string version, List<Vib> earlier)
    {
        var depends = new List<Constraint> { new Constraint(rnd.Next(2) == 0 ? "vmkapi_2_2_0_0" : "vmkapi_2_3_0_0"), Constraint.Parse("esx-version >= 7.0.0") };
        for (int k = 0; k < 2 && i > 1; k++)
        {
            var target = earlier[1 + rnd.Next(Math.Min(i, earlier.Count) - 1)];
            depends.Add(rnd.Next(2) == 0 ? new Constraint(target.Name) : new Constraint(target.Name, VersionRelation.GreaterOrEqual, VibVersion.Parse("1.0.0")));
        }
        return new Vib
        {
            Name = "pkg-" + i,
            Version = VibVersion.Parse(version),
            Vendor = "Vendor" + (i % 7),
            AcceptanceLevel = i % 3 == 0 ? AcceptanceLevel.VMwareAccepted : AcceptanceLevel.PartnerSupported,
            Depends = depends,
            Conflicts = new[] { new Constraint("retired-" + i, VersionRelation.LessThan, VibVersion.Parse("1.0")) },
            Replaces = new[] { new Constraint("legacy-pkg-" + i) },
            Provides = new[] { new Provide("cap-" + i, VibVersion.Parse("1.0")) },
            SoftwarePlatforms = new[] { new SoftwarePlatform("7.0.*", "", "embeddedEsx") },
        };
    }
}
