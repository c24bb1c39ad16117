using System;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using Xunit;
using static ESXiImageTools.Core.Tests.Profiles.TestVibs;

namespace ESXiImageTools.Core.Tests.Profiles;

public class ProfileEditorTests
{
    private readonly TestClock _clock = new TestClock();
    private readonly ProfileEditor _editor;

    public ProfileEditorTests() => _editor = new ProfileEditor(_clock.Read);

    private static readonly Vib Esx = Base();
    private static readonly Vib DrvV1 = Make("drv", "1.0-1");
    private static readonly Vib DrvV2 = Make("drv", "2.0-1");
    private static readonly Vib DrvV3 = Make("drv", "3.0-1");
    private static readonly Vib Tool = Make("tool", depends: new[] { "drv" });
    private static readonly PackageIndex Catalog = new PackageIndex(new[] { Esx, DrvV1, DrvV2, DrvV3, Tool });

    private ImageProfile Editable(params Vib[] vibs) => _editor.Clone(DepotProfile("std", AcceptanceLevel.PartnerSupported, vibs), "custom");

    [Fact]
    public void CloneIsEditableWithNewIdentityAndTimes()
    {
        var source = DepotProfile("std", AcceptanceLevel.VMwareCertified, Esx) with { Description = "d", ProfileId = "id-1" };
        var clone = _editor.Clone(source, "custom", "Lab", acceptanceLevel: AcceptanceLevel.PartnerSupported);

        Assert.Equal("custom", clone.Name);
        Assert.Equal("Lab", clone.Vendor);
        Assert.Equal("d", clone.Description);
        Assert.Equal(AcceptanceLevel.PartnerSupported, clone.AcceptanceLevel);
        Assert.False(clone.ReadOnly);
        Assert.Null(clone.Source);
        Assert.Null(clone.ProfileId);
        Assert.Equal(_clock.Now, clone.CreationTime);
        Assert.Equal(_clock.Now, clone.ModifiedTime);
        Assert.Same(source.Packages, clone.Packages);
        Assert.True(source.ReadOnly); // untouched
        Assert.Equal(ErrorCodes.ProfileInvalid, Assert.Throws<EsxException>(() => _editor.Clone(source, " ")).Code);
    }

    [Fact]
    public void ReadOnlyProfileRefusesEdits()
    {
        var depot = DepotProfile("std", AcceptanceLevel.PartnerSupported, Esx);
        Assert.Equal(ErrorCodes.ProfileReadOnly, Assert.Throws<EsxException>(() => _editor.AddPackages(depot, new PackageRef[] { "drv" }, Catalog)).Code);
        Assert.Equal(ErrorCodes.ProfileReadOnly, Assert.Throws<EsxException>(() => _editor.RemovePackages(depot, new PackageRef[] { "esx-base" })).Code);
        Assert.Equal(ErrorCodes.ProfileReadOnly, Assert.Throws<EsxException>(() => _editor.Set(depot, new ProfileSettings { Name = "x" })).Code);
        // A depot profile cannot be unlocked either.
        Assert.Equal(ErrorCodes.ProfileReadOnly, Assert.Throws<EsxException>(() => _editor.Set(depot, new ProfileSettings { ReadOnly = false })).Code);
    }

    [Theory]
    [InlineData("drv", "3.0-1")]
    [InlineData("drv 2.0-1", "2.0-1")]
    [InlineData("TestVendor_bootbank_drv_1.0-1", "1.0-1")]
    [InlineData("DRV", "3.0-1")]
    public void AddResolvesNamesVersionsAndIds(string item, string expectedVersion)
    {
        var result = _editor.AddPackages(Editable(Esx), new PackageRef[] { item }, Catalog);
        var added = Assert.Single(result.Added);
        Assert.Equal(expectedVersion, added.Version.ToString());
        Assert.Contains(added, result.Profile.Packages);
        Assert.Empty(result.Errors);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void AddTakesObjectsThatAreNotInTheCatalog()
    {
        var loose = Make("loose");
        var result = _editor.AddPackages(Editable(Esx), new PackageRef[] { loose }, PackageIndex.Empty);
        Assert.Same(loose, Assert.Single(result.Added));
    }

    [Fact]
    public void SameNameReplacesNewerOrOlderAndKeepsThePosition()
    {
        var start = Editable(Esx, DrvV2, Tool);

        var up = _editor.AddPackages(start, new PackageRef[] { DrvV3 }, Catalog);
        var r = Assert.Single(up.Replaced);
        Assert.Same(DrvV2, r.Old);
        Assert.Same(DrvV3, r.New);
        Assert.Equal(new[] { Esx, DrvV3, Tool }, up.Profile.Packages);

        var down = _editor.AddPackages(start, new PackageRef[] { "drv 1.0-1" }, Catalog);
        Assert.Same(DrvV1, Assert.Single(down.Replaced).New);
        Assert.Contains("older", down.Replaced[0].Reason);
        Assert.DoesNotContain(DrvV2, down.Profile.Packages);
    }

    [Fact]
    public void PackagesTheNewOneReplacesLeave()
    {
        var legacy = Make("net-legacy", "1.0-1");
        var modern = Make("net-modern", "1.0-1", replaces: new[] { "net-legacy" });
        var result = _editor.AddPackages(Editable(Esx, legacy), new PackageRef[] { modern }, PackageIndex.Empty);
        var r = Assert.Single(result.Replaced);
        Assert.Same(legacy, r.Old);
        Assert.Same(modern, r.New);
        Assert.Contains("replaces net-legacy", r.Reason);
        Assert.Equal(new[] { Esx, modern }, result.Profile.Packages);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void AmbiguousNameIsAPerItemErrorThatDoesNotStopTheOthers()
    {
        var catalog = new PackageIndex(new[] { Make("nic", vendor: "Intel"), Make("nic", "2.0-1", vendor: "Realtek"), DrvV1 });
        var result = _editor.AddPackages(Editable(Esx), new PackageRef[] { "nic", "drv", "nosuch" }, catalog);

        Assert.Same(DrvV1, Assert.Single(result.Added));
        Assert.Equal(2, result.Errors.Count);
        Assert.Equal(ErrorCodes.PackageAmbiguous, result.Errors[0].Error.Code);
        Assert.Equal("nic", result.Errors[0].Item);
        Assert.Contains("Intel", result.Errors[0].Error.Message);
        Assert.Equal(ErrorCodes.PackageNotFound, result.Errors[1].Error.Code);
        Assert.Equal(EsxErrorCategory.ObjectNotFound, result.Errors[1].Error.Category);

        // Naming it by id or "name version" settles it.
        Assert.Single(_editor.AddPackages(Editable(Esx), new PackageRef[] { "Realtek_bootbank_nic_2.0-1" }, catalog).Added);
    }

    [Fact]
    public void PackageAlreadyPresentIsIgnoredAndNothingChanges()
    {
        var start = Editable(Esx, DrvV2);
        var result = _editor.AddPackages(start, new PackageRef[] { "drv 2.0-1" }, Catalog);
        Assert.Empty(result.Added);
        Assert.Equal("already in the profile", Assert.Single(result.Ignored).Reason);
        Assert.False(result.Changed);
        Assert.Same(start, result.Profile);
    }

    [Fact]
    public void LaterItemOfTheSameNameWins()
    {
        var result = _editor.AddPackages(Editable(Esx), new PackageRef[] { "drv 3.0-1", "drv 1.0-1" }, Catalog);
        Assert.Same(DrvV1, Assert.Single(result.Added));
        Assert.Contains(result.Ignored, i => i.Package == DrvV3 && i.Reason.Contains("superseded"));
        Assert.Single(result.Profile.Packages, v => v.Name == "drv");
    }

    [Fact]
    public void LessTrustedPackageIsRefusedUnlessTheLevelMayBeLowered()
    {
        var community = Make("fw-vnc", level: AcceptanceLevel.CommunitySupported);
        var start = Editable(Esx);

        var e = Assert.Throws<EsxProfileValidationException>(() => _editor.AddPackages(start, new PackageRef[] { community }, PackageIndex.Empty));
        Assert.Equal(ErrorCodes.AcceptanceLevelViolation, e.Code);
        Assert.Equal(ValidationProblemKind.AcceptanceLevel, Assert.Single(e.Problems).Kind);
        Assert.Equal(EsxHints.AllowLowerAcceptance, e.Hint);

        var lowered = _editor.AddPackages(start, new PackageRef[] { community }, PackageIndex.Empty, new EditOptions { AllowLowerAcceptance = true });
        Assert.Equal(AcceptanceLevel.CommunitySupported, lowered.Profile.AcceptanceLevel);
        Assert.Contains("lowered from PartnerSupported to CommunitySupported", Assert.Single(lowered.Warnings).Message);
        Assert.Empty(lowered.Problems);
    }

    [Fact]
    public void ForceAddsDespiteProblemsAndWarns()
    {
        var needy = Make("needy", depends: new[] { "missing-thing" });
        var start = Editable(Esx);
        var e = Assert.Throws<EsxProfileValidationException>(() => _editor.AddPackages(start, new PackageRef[] { needy }, Catalog));
        Assert.Equal(ErrorCodes.ProfileInvalid, e.Code);
        Assert.Equal(EsxErrorCategory.InvalidOperation, e.Category);

        var forced = _editor.AddPackages(start, new PackageRef[] { needy }, Catalog, new EditOptions { Force = true });
        Assert.Contains(needy, forced.Profile.Packages);
        var warning = Assert.Single(forced.Warnings);
        Assert.Equal(EsxWarningKind.ForcedProblem, warning.Kind);   // typed: no caller parses a text prefix
        Assert.Contains("missing-thing", warning.Message);
        Assert.False(forced.IsValid);
        Assert.Equal(ValidationProblemKind.MissingDependency, Assert.Single(forced.Problems).Kind);
    }

    [Fact]
    public void ExistingProblemsDoNotBlockAnUnrelatedAdd()
    {
        var broken = Make("broken", depends: new[] { "nowhere" });
        var result = _editor.AddPackages(Editable(Esx, broken), new PackageRef[] { "drv" }, Catalog);
        Assert.Single(result.Added);
        Assert.Single(result.Problems); // still reported
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void ModifiedTimeFollowsTheClock()
    {
        var start = Editable(Esx);
        var created = start.CreationTime;
        _clock.Advance(TimeSpan.FromHours(1));
        var result = _editor.AddPackages(start, new PackageRef[] { "drv" }, Catalog);
        Assert.Equal(created, result.Profile.CreationTime);
        Assert.Equal(created.AddHours(1), result.Profile.ModifiedTime);
        Assert.Equal(created, start.ModifiedTime); // input untouched
    }

    [Fact]
    public void RemovingARequiredPackageIsRefusedUnlessForced()
    {
        var start = Editable(Esx, DrvV2, Tool);
        var e = Assert.Throws<EsxProfileValidationException>(() => _editor.RemovePackages(start, new PackageRef[] { "drv" }));
        Assert.Equal(ErrorCodes.DependencyRequired, e.Code);
        Assert.Contains("tool", e.Message);

        var forced = _editor.RemovePackages(start, new PackageRef[] { "drv" }, new EditOptions { Force = true }, Catalog);
        Assert.Same(DrvV2, Assert.Single(forced.Removed).Package);
        Assert.Single(forced.Warnings);
        var missing = Assert.Single(forced.Problems);
        Assert.Equal(3, missing.Candidates.Count); // drv 1, 2 and 3 in the catalog

        var both = _editor.RemovePackages(start, new PackageRef[] { "tool", DrvV2 });
        Assert.Equal(new[] { Esx }, both.Profile.Packages);
        Assert.Empty(both.Problems);
    }

    [Fact]
    public void RemoveByNameTakesEveryVersionAndReportsUnknownItems()
    {
        var start = Editable(Esx, DrvV1, DrvV2);
        var result = _editor.RemovePackages(start, new PackageRef[] { "drv", "ghost" });
        Assert.Equal(2, result.Removed.Count);
        Assert.Equal(new[] { Esx }, result.Profile.Packages);
        Assert.Equal(ErrorCodes.PackageNotFound, Assert.Single(result.Errors).Error.Code);

        var one = _editor.RemovePackages(start, new PackageRef[] { "drv 1.0-1" });
        Assert.Same(DrvV1, Assert.Single(one.Removed).Package);
    }

    [Fact]
    public void SetChangesSettingsAndGuardsTheLevelAndReadOnly()
    {
        var community = Make("c", level: AcceptanceLevel.CommunitySupported);
        var start = _editor.Clone(DepotProfile("std", AcceptanceLevel.CommunitySupported, Esx, community), "custom");
        _clock.Advance(TimeSpan.FromMinutes(5));

        var renamed = _editor.Set(start, new ProfileSettings { Name = "n2", Vendor = "V2", Description = "d2" });
        Assert.Equal(("n2", "V2", "d2"), (renamed.Profile.Name, renamed.Profile.Vendor, renamed.Profile.Description));
        Assert.Equal(_clock.Now, renamed.Profile.ModifiedTime);

        var e = Assert.Throws<EsxProfileValidationException>(() => _editor.Set(start, new ProfileSettings { AcceptanceLevel = AcceptanceLevel.PartnerSupported }));
        Assert.Equal(ErrorCodes.AcceptanceLevelViolation, e.Code);

        var locked = _editor.Set(start, new ProfileSettings { ReadOnly = true }).Profile;
        Assert.Throws<EsxException>(() => _editor.AddPackages(locked, new PackageRef[] { "drv" }, Catalog));
        var unlocked = _editor.Set(locked, new ProfileSettings { ReadOnly = false }).Profile; // a session profile may be unlocked
        Assert.False(unlocked.ReadOnly);

        Assert.Equal(ErrorCodes.ProfileInvalid, Assert.Throws<EsxException>(() => _editor.Set(start, new ProfileSettings { Name = "" })).Code);
    }

    [Fact]
    public void NewProfileTakesTheLeastTrustedLevelAndIsValidated()
    {
        var community = Make("c", level: AcceptanceLevel.CommunitySupported);
        var catalog = new PackageIndex(new[] { Esx, community, Tool, DrvV1 });
        var result = _editor.New("scratch", "Lab", new PackageRef[] { "esx-base", "c" }, catalog);
        Assert.Equal(AcceptanceLevel.CommunitySupported, result.Profile.AcceptanceLevel);
        Assert.Equal(2, result.Added.Count);
        Assert.False(result.Profile.ReadOnly);
        Assert.Equal(_clock.Now, result.Profile.CreationTime);

        var e = Assert.Throws<EsxProfileValidationException>(() => _editor.New("scratch", "Lab", new PackageRef[] { "tool" }, catalog));
        Assert.Equal(ValidationProblemKind.MissingDependency, Assert.Single(e.Problems).Kind);
        Assert.Equal(ErrorCodes.ProfileInvalid, Assert.Throws<EsxException>(() => _editor.New("scratch", "", new PackageRef[0], catalog)).Code);
    }
}
