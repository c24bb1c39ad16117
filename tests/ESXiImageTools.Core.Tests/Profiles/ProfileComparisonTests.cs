using System.Linq;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using Xunit;
using static ESXiImageTools.Core.Tests.Profiles.TestVibs;

namespace ESXiImageTools.Core.Tests.Profiles;

public class ProfileComparisonTests
{
    private static readonly Vib Esx = Base();

    [Fact]
    public void IdenticalProfilesAreEqual()
    {
        var a = Profile("p", AcceptanceLevel.PartnerSupported, Esx, Make("x"));
        var b = Profile("p", AcceptanceLevel.PartnerSupported, Make("x"), Esx); // order does not matter
        var diff = ProfileComparison.Compare(a, b);
        Assert.True(diff.Equal);
        Assert.True(diff.PackagesEqual);
        Assert.Equal(2, diff.Common.Count);
    }

    [Fact]
    public void CloneHasEqualPackagesButIsNotEqual()
    {
        var source = Profile("std", AcceptanceLevel.PartnerSupported, Esx);
        var diff = ProfileComparison.Compare(source, new ProfileEditor().Clone(source, "custom", acceptanceLevel: AcceptanceLevel.CommunitySupported));
        Assert.True(diff.PackagesEqual);
        Assert.False(diff.Equal);
        Assert.Equal(AcceptanceLevel.PartnerSupported, diff.ReferenceAcceptanceLevel);
        Assert.Equal(AcceptanceLevel.CommunitySupported, diff.ComparisonAcceptanceLevel);
    }

    [Fact]
    public void ReportsUpgradesDowngradesAndOneSidedPackagesAsObjects()
    {
        var upOld = Make("up", "1.0-1");
        var upNew = Make("up", "1.1-1");
        var downOld = Make("down", "2.0-1");
        var downNew = Make("down", "1.9-1");
        var gone = Make("gone");
        var fresh = Make("fresh");
        var theirs = Make("same", vendor: "A");
        var ours = Make("same", vendor: "B");
        var reference = Profile("r", AcceptanceLevel.PartnerSupported, Esx, upOld, downOld, gone, theirs);
        var comparison = Profile("c", AcceptanceLevel.PartnerSupported, Esx, upNew, downNew, fresh, ours);

        var diff = ProfileComparison.Compare(reference, comparison);

        Assert.False(diff.PackagesEqual);
        var up = Assert.Single(diff.Upgraded);
        Assert.Same(upOld, up.Reference);
        Assert.Same(upNew, up.Comparison);
        var down = Assert.Single(diff.Downgraded);
        Assert.Same(downOld, down.Reference);
        Assert.Same(downNew, down.Comparison);
        Assert.Equal(new[] { gone, theirs }, diff.OnlyInReference.OrderBy(v => v.Name));
        Assert.Equal(new[] { fresh, ours }, diff.OnlyInComparison.OrderBy(v => v.Name));
        Assert.Same(Esx, Assert.Single(diff.Common));
    }
}
