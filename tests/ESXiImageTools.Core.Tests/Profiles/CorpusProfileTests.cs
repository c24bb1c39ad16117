using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.TestSupport;
using Xunit;
using static ESXiImageTools.Core.Tests.Profiles.TestVibs;

namespace ESXiImageTools.Core.Tests.Profiles;

/// <summary>
/// Profile rules on real third-party VIBs (the corpus). There is no public VMware base depot, so the
/// "standard" profiles here are synthetic: an esx-base providing what the real drivers depend on.
/// </summary>
public class CorpusProfileTests
{
    private static readonly ProfileEditor Editor = new ProfileEditor();

    /// <summary>The VIBs of one corpus file (a loose .vib or every .vib inside a zip), read by VibFile.</summary>
    private static List<Vib> VibsOf(string corpusRelative)
        => CorpusVibs.All().Where(i => i.Relative == corpusRelative || i.Relative.StartsWith(corpusRelative + "!/", StringComparison.Ordinal))
                           .Select(i => VibFile.Read(i.Open, i.Location)).ToList();

    private static Vib One(string corpusRelative) => Assert.Single(VibsOf(corpusRelative));

    private static List<Vib> AllCorpusVibs() => CorpusVibs.All().Select(i => VibFile.Read(i.Open, i.Location)).ToList();

    /// <summary>A 6.x-style base that provides the ABIs the corpus drivers name, with the drivers they build on.</summary>
    private static ImageProfile Standard65()
    {
        var esx = Make("esx-base", "6.5.0-3.96.13932383", "VMware", AcceptanceLevel.VMwareCertified,
                       provides: new[] { "esx-version=6.5.0-3.96.13932383", "vmkapi_2_2_0_0", "com.vmware.driverAPI-9.2.2.0" });
        var ahci = Make("sata-ahci", "3.0-26vmw.650.0.0.4564106", "VMW", AcceptanceLevel.VMwareCertified);
        var forcedeth = Make("net-forcedeth", "0.61-2vmw.650.0.0.4564106", "VMW", AcceptanceLevel.VMwareCertified);
        return DepotProfile("ESXi-6.5.0-20190702001-standard", AcceptanceLevel.PartnerSupported, esx, ahci, forcedeth);
    }

    [CorpusFact]
    public void SataXahciMissesSataAhciAndTheCorpusHasNoCandidate()
    {
        var xahci = One("sata-xahci/sata-xahci-1.42-1-offline_bundle.zip");
        Assert.Equal("VFrontDe_bootbank_sata-xahci_1.42-1", xahci.Id);
        var profile = Profile("p", AcceptanceLevel.CommunitySupported, Base("6.5.0-3.96.13932383"), xahci);

        var problem = Assert.Single(ProfileValidator.Validate(profile, new PackageIndex(AllCorpusVibs())));

        Assert.Equal(ValidationProblemKind.MissingDependency, problem.Kind);
        Assert.Equal("sata-ahci", problem.Constraint.Name);
        Assert.Same(xahci, problem.Package);
        Assert.Empty(problem.Candidates);
        Assert.Contains("no package in the catalog provides it", problem.Message);
    }

    [CorpusFact]
    public void TheTwoFwVncVersionsReplaceEachOther()
    {
        var v100 = One("opennebula-fw-vnc/v1.0.0/fw-vnc.vib");
        var v110 = One("opennebula-fw-vnc/v1.1.0/fw-vnc.vib");
        var start = Editor.Clone(Standard65(), "custom", acceptanceLevel: AcceptanceLevel.CommunitySupported);

        var withOld = Editor.AddPackages(start, new PackageRef[] { v100 }, PackageIndex.Empty).Profile;
        var upgraded = Editor.AddPackages(withOld, new PackageRef[] { v110 }, PackageIndex.Empty);
        Assert.Equal((v100.Id, v110.Id), (upgraded.Replaced.Single().Old.Id, upgraded.Replaced.Single().New.Id));
        var downgraded = Editor.AddPackages(upgraded.Profile, new PackageRef[] { v100 }, PackageIndex.Empty);
        Assert.Equal((v110.Id, v100.Id), (downgraded.Replaced.Single().Old.Id, downgraded.Replaced.Single().New.Id));
        Assert.Empty(downgraded.Problems);

        // Both at once (a profile built by hand) is obsolete + duplicate name.
        var both = Profile("p", AcceptanceLevel.CommunitySupported, v100, v110);
        var kinds = ProfileValidator.Validate(both).Select(p => p.Kind).OrderBy(k => k).ToList();
        // A List, not an array: Mono enumerates an enum array's items as their integers, which xunit finds unequal.
        Assert.Equal(new List<ValidationProblemKind> { ValidationProblemKind.Obsolete, ValidationProblemKind.DuplicateName }, kinds);

        // Compare sees the upgrade as package objects.
        var diff = ProfileComparison.Compare(withOld, upgraded.Profile);
        Assert.Same(v110, Assert.Single(diff.Upgraded).Comparison);
    }

    [CorpusFact]
    public void CommunityPackageInAPartnerProfileIsAnAcceptanceProblem()
    {
        var ghetto = One("ghettovcb-2015/vghetto-ghettoVCB.vib");
        Assert.Equal(AcceptanceLevel.CommunitySupported, ghetto.AcceptanceLevel);
        var partner = Editor.Clone(Standard65(), "custom");

        var problem = Assert.Single(ProfileValidator.Validate(partner with { Packages = partner.Packages.Append(ghetto).ToList() }));
        Assert.Equal(ValidationProblemKind.AcceptanceLevel, problem.Kind);
        Assert.Contains("lower the profile's acceptance level to CommunitySupported", problem.Message);

        var e = Assert.Throws<EsxProfileValidationException>(() => Editor.AddPackages(partner, new PackageRef[] { ghetto }, PackageIndex.Empty));
        Assert.Equal(ErrorCodes.AcceptanceLevelViolation, e.Code);
        var lowered = Editor.AddPackages(partner, new PackageRef[] { ghetto }, PackageIndex.Empty, new EditOptions { AllowLowerAcceptance = true });
        Assert.Equal(AcceptanceLevel.CommunitySupported, lowered.Profile.AcceptanceLevel);
        Assert.True(lowered.IsValid);
    }

    [CorpusFact]
    public void R8168ReplacesTheOldDriverAndConflictsWithNet51Drivers()
    {
        var r8168 = One("net55-r8168/net55-r8168-8.045a-napi-offline_bundle.zip");
        var oldDriver = Make("net-r8168", "6.010-1", "Realtek", AcceptanceLevel.CommunitySupported);
        var start = Editor.Clone(Standard65(), "custom", acceptanceLevel: AcceptanceLevel.CommunitySupported);
        start = Editor.AddPackages(start, new PackageRef[] { oldDriver }, PackageIndex.Empty).Profile;

        var result = Editor.AddPackages(start, new PackageRef[] { r8168 }, PackageIndex.Empty);
        var replaced = Assert.Single(result.Replaced);
        Assert.Same(oldDriver, replaced.Old);
        Assert.Contains("replaces net-r8168", replaced.Reason);
        Assert.Empty(result.Problems);

        var net51 = Make("net51-drivers", vendor: "Someone", level: AcceptanceLevel.CommunitySupported);
        var e = Assert.Throws<EsxProfileValidationException>(() => Editor.AddPackages(result.Profile, new PackageRef[] { net51 }, PackageIndex.Empty));
        Assert.Equal(ValidationProblemKind.Conflict, Assert.Single(e.Problems).Kind);
        Assert.Equal(r8168.Id, e.Problems[0].Package.Id);
    }

    [CorpusFact]
    public void Esxi7FlingDoesNotFitA65PlatformButFitsA703One()
    {
        var fling = One("usbnic-fling-703/ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip");
        Assert.Equal("7.0", Assert.Single(fling.SoftwarePlatforms).Version);
        var on65 = Standard65() with { Packages = Standard65().Packages.Append(fling).ToList() };
        Assert.Contains(ProfileValidator.Validate(on65), p => p.Kind == ValidationProblemKind.SoftwarePlatform && p.Package == fling);

        var esx703 = Make("esx-base", "7.0.3-0.50.20036589", "VMware", AcceptanceLevel.VMwareCertified,
                          provides: new[] { "esx-version=7.0.3-0.50.20036589", "vmkapi_2_9_0_0", "vmkapi_incompat_2_9_0_0" },
                          platforms: new[] { "embeddedEsx:7.0.3" });
        Assert.Empty(ProfileValidator.Validate(Profile("p", AcceptanceLevel.PartnerSupported, esx703, fling)));
    }

    [CorpusFact]
    public void SeedWorkflowCloneAddAllPackagesOfBundlesValidationClean()
    {
        var standard = Standard65();
        var bundleVibs = VibsOf("sata-xahci/sata-xahci-1.42-1-offline_bundle.zip")
            .Concat(VibsOf("net55-r8168/net55-r8168-8.045a-napi-offline_bundle.zip"))
            .Concat(VibsOf("net-forcedeth-1/net-forcedeth-1-1.0.0-1-offline_bundle.zip")).ToList();
        Assert.Equal(3, bundleVibs.Count);

        // Engine, step by step as the seed script does it.
        var custom = Editor.Clone(standard, "ESXi-6.5.0-custom", "Lab");
        var added = Editor.AddPackages(custom, bundleVibs.Select(PackageRef.Of), standard.Packages, new EditOptions { AllowLowerAcceptance = true });
        Assert.Equal(3, added.Added.Count);
        Assert.Empty(added.Errors);
        Assert.Empty(added.Problems);
        Assert.Equal(AcceptanceLevel.CommunitySupported, added.Profile.AcceptanceLevel);
        Assert.Single(added.Warnings); // the level was lowered

        // The same as a declarative request, with bundles resolved through the file delegate.
        var bundles = new Dictionary<string, List<Vib>>(StringComparer.Ordinal)
        {
            ["/bundles/sata-xahci.zip"] = VibsOf("sata-xahci/sata-xahci-1.42-1-offline_bundle.zip"),
            ["/bundles/r8168.zip"] = VibsOf("net55-r8168/net55-r8168-8.045a-napi-offline_bundle.zip"),
        };
        var request = new ProfileBuildRequest
        {
            BaseProfile = standard.Name,
            Name = "ESXi-6.5.0-custom",
            Add = new[] { "/bundles/sata-xahci.zip", "/bundles/r8168.zip" },
            AllowLowerAcceptance = true,
        };
        var built = ProfileBuilder.Build(request, new[] { standard }, standard.Packages, path => bundles[path]);
        Assert.True(built.IsValid);
        Assert.Empty(built.Problems);
        Assert.Equal(5, built.Profile.Packages.Count);
    }
}
