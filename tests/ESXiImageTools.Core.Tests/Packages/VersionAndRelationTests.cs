using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

/// <summary>Version comparison vectors, relations, implicit self-provide/replace, acceptance codes.</summary>
public class VersionAndRelationTests
{
    [Theory]
    [InlineData("1.10-1", "1.9-1", 1)]                       // numeric fields, not string compare
    [InlineData("6.7.0-1.28", "6.7.0-1.28.1", -1)]           // longer release is greater when the prefix is equal
    [InlineData("1.0-1vmw.700", "1.0-1OEM.700", 1)]          // "1vmw" vs "1OEM": ordinal string compare ('v' > 'O')
    [InlineData("2.0.67.0-1OEM.700.1.0.15843807", "2.0.67.0-2OEM.700.1.0.15843807", -1)]
    [InlineData("1.0-01", "1.0-1", 0)]                        // leading zeros are insignificant
    [InlineData("1.0", "1.0-0", -1)]                          // empty release < "0"
    [InlineData("8.045a-napi", "8.045-napi", 1)]
    [InlineData("7.0.3-0.0.19193900", "7.0.3-0.0.19193900", 0)]
    [InlineData("5.4.82.0-3vmw.900.0.24755229", "5.4.82.0-3vmw.802.0.24755229", 1)]
    public void CompareVectors(string a, string b, int expected)
    {
        var va = VibVersion.Parse(a);
        var vb = VibVersion.Parse(b);
        Assert.Equal(expected, VibVersion.Compare(va, vb));
        Assert.Equal(-expected, VibVersion.Compare(vb, va));
        Assert.Equal(expected == 0, va == vb);
        if (expected == 0) Assert.Equal(va.GetHashCode(), vb.GetHashCode());
    }

    [Fact]
    public void SortsByVersionThroughTheNonGenericComparison()
    {
        // What Sort-Object and ArrayList.Sort use: 12.1.0 after 8.0.0, not before it as text would.
        var list = new System.Collections.ArrayList { VibVersion.Parse("12.1.0-1"), VibVersion.Parse("8.0.0-1"), VibVersion.Parse("1.2.0-1") };
        list.Sort();
        Assert.Equal(new[] { "1.2.0-1", "8.0.0-1", "12.1.0-1" }, list.Cast<VibVersion>().Select(v => v.Text));
        Assert.Equal(1, ((System.IComparable)VibVersion.Parse("1.0-1")).CompareTo(null));
        Assert.Throws<System.ArgumentException>(() => ((System.IComparable)VibVersion.Parse("1.0-1")).CompareTo("1.0-1"));
    }

    [Fact]
    public void SplitsAtFirstDash()
    {
        var v = VibVersion.Parse("1.0.0-1OEM.700-extra");
        Assert.Equal("1.0.0", v.Version);
        Assert.Equal("1OEM.700-extra", v.Release);
        Assert.Equal("", VibVersion.Parse("6.0.0").Release);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1.0 -1")]
    public void RejectsBadVersions(string text)
    {
        Assert.False(VibVersion.TryParse(text, out _));
        Assert.Equal(ErrorCodes.InvalidVersion, Assert.Throws<EsxException>(() => VibVersion.Parse(text, "src")).Code);
    }

    [Theory]
    [InlineData("esx-version >= 6.0.0", "6.0.0", true)]
    [InlineData("esx-version >= 6.0.0", "5.5.0", false)]
    [InlineData("x << 2.0-1", "1.9-9", true)]
    [InlineData("x << 2.0-1", "2.0-1", false)]
    [InlineData("x <= 2.0-1", "2.0-1", true)]
    [InlineData("x = 2.0-1", "2.0-01", true)]
    [InlineData("x = 2.0-1", "2.0-2", false)]
    [InlineData("x >> 2.0-1", "2.0-1.1", true)]
    [InlineData("x >> 2.0-1", "2.0-1", false)]
    [InlineData("x", "0.0.1-0", true)]
    public void ConstraintRelations(string constraint, string version, bool matches)
    {
        var c = Constraint.Parse(constraint);
        Assert.Equal(matches, c.MatchesVersion(VibVersion.Parse(version)));
        Assert.Equal(matches, c.Matches(c.Name, VibVersion.Parse(version)));
        Assert.False(c.Matches(c.Name + "-other", VibVersion.Parse(version)));
    }

    [Fact]
    public void VersionlessProvideOnlySatisfiesVersionlessConstraint()
    {
        Assert.True(Constraint.Parse("vmkapi_2_2_0_0").Matches("vmkapi_2_2_0_0", null));
        Assert.False(Constraint.Parse("vmkapi_2_2_0_0 >= 1.0").Matches("vmkapi_2_2_0_0", null));
    }

    [Fact]
    public void EscapedRelationsFromXmlParse()
    {
        var v = VibDescriptorReader.ParseString("<vib><name>n</name><version>1-1</version><vendor>V</vendor><relationships>" +
            "<depends><constraint name='a' relation='&gt;&gt;' version='1'/><constraint name='b' relation='&lt;=' version='2'/></depends></relationships></vib>", "x");
        // A List, not an array: Mono enumerates an enum array's items as their integers, which xunit finds unequal.
        Assert.Equal(new List<VersionRelation> { VersionRelation.GreaterThan, VersionRelation.LessOrEqual }, v.Depends.Select(c => c.Relation));
    }

    [Fact]
    public void ImplicitSelfProvideAndReplace()
    {
        var newer = new Vib { Name = "net-foo", Version = VibVersion.Parse("2.0-1"), Vendor = "V" };
        var older = new Vib { Name = "net-foo", Version = VibVersion.Parse("1.5-3"), Vendor = "V" };
        Assert.Equal("net-foo = 2.0-1", newer.SelfProvide.ToString());
        Assert.True(newer.SelfReplace.Matches(older.Name, older.Version));   // newer replaces older
        Assert.False(older.SelfReplace.Matches(newer.Name, newer.Version));  // not the other way round
        Assert.False(newer.SelfReplace.Matches(newer.Name, newer.Version));  // never itself
        Assert.True(Constraint.Parse("net-foo >= 2.0").Matches(newer.SelfProvide.Name, newer.SelfProvide.Version));
    }

    [Theory]
    [InlineData("certified", AcceptanceLevel.VMwareCertified)]
    [InlineData("accepted", AcceptanceLevel.VMwareAccepted)]
    [InlineData("vmware", AcceptanceLevel.VMwareAccepted)]
    [InlineData("partner", AcceptanceLevel.PartnerSupported)]
    [InlineData("community", AcceptanceLevel.CommunitySupported)]
    [InlineData(" Community ", AcceptanceLevel.CommunitySupported)]
    [InlineData("VMwareCertified", AcceptanceLevel.VMwareCertified)]
    [InlineData("PartnerSupported", AcceptanceLevel.PartnerSupported)]
    public void AcceptanceCodes(string text, AcceptanceLevel expected)
    {
        Assert.Equal(expected, AcceptanceLevels.Parse(text));
        var code = AcceptanceLevels.ToCode(expected);
        Assert.Equal(expected, AcceptanceLevels.Parse(code));
        Assert.NotEqual("vmware", code); // write "accepted", never the old code
    }

    [Fact]
    public void AcceptanceOrderIsTrust()
    {
        Assert.True(AcceptanceLevel.VMwareCertified > AcceptanceLevel.VMwareAccepted);
        Assert.True(AcceptanceLevel.VMwareAccepted > AcceptanceLevel.PartnerSupported);
        Assert.True(AcceptanceLevel.PartnerSupported > AcceptanceLevel.CommunitySupported);
        Assert.Equal(AcceptanceLevel.CommunitySupported, AcceptanceLevels.Min(AcceptanceLevel.VMwareCertified, AcceptanceLevel.CommunitySupported));
        Assert.False(AcceptanceLevels.TryParse("trusted", out _));
    }

    [Theory]
    [InlineData("=", "7.0.0", true)]            // esx-xserver 7.0.0 (real)
    [InlineData("<=", "7.0.0", true)]           // cpu-microcode 7.0.0 (real)
    [InlineData(">=", "7.0.0", true)]           // bootcfg (real)
    [InlineData("<<", "7.1.0", true)]           // bootcfg (real)
    [InlineData(">=", "6.0.0", true)]           // cpu-microcode (real)
    [InlineData("<<", "7.0.0", false)]
    [InlineData(">>", "7.0.0", false)]
    [InlineData(">>", "6.7.0", true)]
    [InlineData("<=", "6.7.0", false)]
    [InlineData("=", "7.0.1", false)]
    [InlineData(">=", "7.0.0-1.0", true)]       // with a release the whole version counts (esx-update, loadesx: real)
    [InlineData("<<", "7.0.0-1.1", true)]
    [InlineData("=", "7.0.0-1.0", false)]
    [InlineData(">>", "7.0.0-1.0.15843807", false)]
    [InlineData("=", "7.0.0-1.0.15843807", true)]
    public void A_constraint_without_a_release_compares_the_version_part_only(string relation, string version, bool met)
    {
        var provided = VibVersion.Parse("7.0.0-1.0.15843807"); // real esx-base 7.0.0 provides esx-version = this
        var c = new Constraint("esx-version", Constraint.ParseRelation(relation), VibVersion.Parse(version));
        Assert.Equal(met, c.Matches("esx-version", provided));
    }

    [ESXiImageTools.TestSupport.CorpusFact]
    public void Every_esx_version_constraint_of_the_real_700_descriptors_is_met_by_the_real_esx_base()
    {
        var dir = System.IO.Path.Combine(ESXiImageTools.TestSupport.RealDescriptorDepot.CorpusDir, "vibs");
        var vibs = System.IO.Directory.GetFiles(dir, "*.xml").Select(f => VibDescriptorReader.Parse(System.IO.File.OpenRead(f), f)).ToList();
        var provide = vibs.Single(v => v.Name == "esx-base").Provides.Single(p => p.Name == "esx-version");
        var constraints = vibs.SelectMany(v => v.Depends).Where(c => c.Name == "esx-version").ToList();
        // A List, not an array: Mono enumerates an enum array's items as their integers, which xunit finds unequal.
        Assert.Equal(new List<VersionRelation> { VersionRelation.LessThan, VersionRelation.LessOrEqual, VersionRelation.Equal, VersionRelation.GreaterOrEqual },
            constraints.Select(c => c.Relation).Distinct().OrderBy(r => r));
        Assert.All(constraints, c => Assert.True(c.Matches(provide.Name, provide.Version), c.ToString()));
    }
}
