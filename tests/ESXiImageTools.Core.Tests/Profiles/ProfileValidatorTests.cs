using System.Linq;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using Xunit;
using static ESXiImageTools.Core.Tests.Profiles.TestVibs;

namespace ESXiImageTools.Core.Tests.Profiles;

public class ProfileValidatorTests
{
    [Fact]
    public void ConsistentProfileHasNoProblems()
    {
        var profile = Profile("p", AcceptanceLevel.PartnerSupported,
            Base(),
            Make("drv", depends: new[] { "vmkapi_2_2_0_0", "esx-version >= 7.0.0" }, platforms: new[] { "embeddedEsx:7.0.*" }),
            Make("tool", depends: new[] { "drv" }));
        Assert.Empty(ProfileValidator.Validate(profile));
    }

    [Fact]
    public void MissingDependencyListsCatalogCandidatesThatSatisfyTheRelation()
    {
        var needy = Make("a", depends: new[] { "b >= 2.0-1" });
        var oldB = Make("b", "1.0-1");
        var profile = Profile("p", AcceptanceLevel.PartnerSupported, needy, oldB);
        var catalog = new PackageIndex(new[] { needy, oldB, Make("b", "2.0-1"), Make("b", "3.0-1"), Make("c", provides: new[] { "b=2.5-1" }) });

        var problem = Assert.Single(ProfileValidator.Validate(profile, catalog));

        Assert.Equal(ValidationProblemKind.MissingDependency, problem.Kind);
        Assert.Equal(ValidationSeverity.Error, problem.Severity);
        Assert.Same(needy, problem.Package);
        Assert.Equal("b >= 2.0-1", problem.Constraint.ToString());
        Assert.Equal(new[] { "TestVendor_bootbank_b_2.0-1", "TestVendor_bootbank_b_3.0-1", "TestVendor_bootbank_c_1.0.0-1" },
                     problem.Candidates.Select(c => c.Id).OrderBy(i => i));
        Assert.Contains("b >= 2.0-1", problem.Message);
    }

    [Fact]
    public void DependencyIsSatisfiedByAVersionedProvideButNotByAVersionlessOne()
    {
        var viaVersioned = Profile("p", AcceptanceLevel.PartnerSupported,
            Make("a", depends: new[] { "cap >= 1.0" }), Make("x", provides: new[] { "cap=1.5" }));
        Assert.Empty(ProfileValidator.Validate(viaVersioned));

        var viaVersionless = Profile("p", AcceptanceLevel.PartnerSupported,
            Make("a", depends: new[] { "cap >= 1.0" }), Make("x", provides: new[] { "cap" }));
        var problem = Assert.Single(ProfileValidator.Validate(viaVersionless));
        Assert.Equal(ValidationProblemKind.MissingDependency, problem.Kind);
        Assert.Empty(problem.Candidates); // no catalog given
    }

    [Fact]
    public void ConflictNamesTheConflictingPackage()
    {
        var a = Make("a", conflicts: new[] { "b << 2.0" });
        var b = Make("b", "1.5-1");
        var problem = Assert.Single(ProfileValidator.Validate(Profile("p", AcceptanceLevel.PartnerSupported, a, b)));
        Assert.Equal(ValidationProblemKind.Conflict, problem.Kind);
        Assert.Same(a, problem.Package);
        Assert.Same(b, Assert.Single(problem.Related));

        // Outside the relation there is no conflict.
        Assert.Empty(ProfileValidator.Validate(Profile("p", AcceptanceLevel.PartnerSupported, a, Make("b", "2.0-1"))));
    }

    [Fact]
    public void ExplicitReplaceLeavesAnObsoletePackage()
    {
        var oldDriver = Make("net-old", "1.0-1");
        var newDriver = Make("net-new", "2.0-1", replaces: new[] { "net-old << 2.0" });
        var problem = Assert.Single(ProfileValidator.Validate(Profile("p", AcceptanceLevel.PartnerSupported, oldDriver, newDriver)));
        Assert.Equal(ValidationProblemKind.Obsolete, problem.Kind);
        Assert.Same(oldDriver, problem.Package);
        Assert.Same(newDriver, Assert.Single(problem.Related));
        Assert.Equal("net-old << 2.0", problem.Constraint.ToString());
    }

    [Fact]
    public void TwoVersionsOfOneNameAreDuplicateAndTheLowerIsObsolete()
    {
        var v1 = Make("fw", "1.0.0-1");
        var v2 = Make("fw", "1.1.0-1");
        var problems = ProfileValidator.Validate(Profile("p", AcceptanceLevel.PartnerSupported, v1, v2));

        var dup = Assert.Single(problems, p => p.Kind == ValidationProblemKind.DuplicateName);
        Assert.Same(v2, dup.Package);
        Assert.Same(v1, Assert.Single(dup.Related));
        var obsolete = Assert.Single(problems, p => p.Kind == ValidationProblemKind.Obsolete);
        Assert.Same(v1, obsolete.Package);
        Assert.Equal("fw << 1.1.0-1", obsolete.Constraint.ToString());
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void SameNameAndVersionFromTwoVendorsIsDuplicateButNotObsolete()
    {
        var problems = ProfileValidator.Validate(Profile("p", AcceptanceLevel.PartnerSupported, Make("x", vendor: "A"), Make("x", vendor: "B")));
        var problem = Assert.Single(problems);
        Assert.Equal(ValidationProblemKind.DuplicateName, problem.Kind);
    }

    [Fact]
    public void LessTrustedPackageIsAnAcceptanceProblemWhoseMessageSaysTheFix()
    {
        var community = Make("c", level: AcceptanceLevel.CommunitySupported);
        var problem = Assert.Single(ProfileValidator.Validate(Profile("p", AcceptanceLevel.PartnerSupported, community, Make("partner"))));
        Assert.Equal(ValidationProblemKind.AcceptanceLevel, problem.Kind);
        Assert.Same(community, problem.Package);
        Assert.Contains("lower the profile's acceptance level to CommunitySupported", problem.Message);

        Assert.Empty(ProfileValidator.Validate(Profile("p", AcceptanceLevel.CommunitySupported, community)));
    }

    [Theory]
    [InlineData("embeddedEsx:8.*", true)]
    [InlineData("embeddedEsx:6.7.0", true)]
    [InlineData("esxio:7.0.*", true)]
    [InlineData("embeddedEsx:7.0.*", false)]
    [InlineData("embeddedEsx:7.0", false)]
    [InlineData("embeddedEsx:7.?.3", false)]
    [InlineData(":7.*", false)]
    [InlineData("embeddedEsx:", false)]
    public void SoftwarePlatformIsCheckedAgainstTheBasePackage(string platform, bool mismatch)
    {
        var drv = Make("drv", platforms: new[] { platform });
        var problems = ProfileValidator.Validate(Profile("p", AcceptanceLevel.PartnerSupported, Base("7.0.3-0.0.19193900"), drv));
        if (!mismatch) { Assert.Empty(problems); return; }
        var problem = Assert.Single(problems);
        Assert.Equal(ValidationProblemKind.SoftwarePlatform, problem.Kind);
        Assert.Same(drv, problem.Package);
        Assert.Contains("embeddedEsx 7.0.3", problem.Message);
    }

    [Fact]
    public void PackageMatchingAnyOfItsPlatformsIsAccepted()
    {
        var drv = Make("drv", platforms: new[] { "embeddedEsx:6.*", "embeddedEsx:7.*" });
        Assert.Empty(ProfileValidator.Validate(Profile("p", AcceptanceLevel.PartnerSupported, Base(), drv)));
    }

    [Fact]
    public void WithoutABasePackageThePlatformIsUnknownAndNotChecked()
    {
        var drv = Make("drv", platforms: new[] { "esxio:9.*" });
        var platform = ProfilePlatform.Derive(new[] { drv });
        Assert.False(platform.IsKnown);
        Assert.Empty(ProfileValidator.Validate(Profile("p", AcceptanceLevel.PartnerSupported, drv)));
    }

    [Fact]
    public void PlatformVersionComesFromEsxVersionProvideBeforeTheBaseVersion()
    {
        var baseWithoutPlatform = Make("esx-base", "7.0.3-0.0.1", "VMware", AcceptanceLevel.VMwareCertified, provides: new[] { "esx-version=8.0.2-0.0.2" });
        var platform = ProfilePlatform.Derive(new[] { baseWithoutPlatform });
        Assert.Equal("8.0.2", platform.Version);
        Assert.Equal(new[] { "embeddedEsx" }, platform.ProductLines); // assumed: the base declares none
        Assert.Contains("assumed", platform.Basis);

        var plain = ProfilePlatform.Derive(new[] { Make("esx-base", "6.7.0-2.48.1") });
        Assert.Equal("6.7.0", plain.Version);
    }

    [Theory]
    [InlineData("8.*", "8.0.2", true)]
    [InlineData("8.*", "7.0.3", false)]
    [InlineData("7.0.?", "7.0.3", true)]
    [InlineData("7.0", "7.0.3", true)]
    [InlineData("7.0", "7.01", false)]
    [InlineData("7.0.3", "7.0.3", true)]
    [InlineData("*", "9.0.0", true)]
    public void VersionGlobs(string glob, string version, bool expected)
        => Assert.Equal(expected, ProfilePlatform.VersionGlobMatches(glob, version));

    [Fact]
    public void ProblemKeysIdentifyProblemsAcrossRuns()
    {
        var profile = Profile("p", AcceptanceLevel.PartnerSupported, Make("a", depends: new[] { "zz" }));
        Assert.Equal(ProfileValidator.Validate(profile).Single().Key, ProfileValidator.Validate(profile with { Name = "q" }).Single().Key);
    }
}
