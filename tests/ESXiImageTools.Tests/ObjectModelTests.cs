using System.Linq;
using ESXiImageTools.ObjectModel;
using Xunit;

namespace ESXiImageTools.Tests;

/// <summary>ImageBuilder's object types over the engine's objects (types and settability: tests/Pester/ObjectModel.Tests.ps1).</summary>
public class ObjectModelTests
{
    [Fact]
    public void RulesAreTheChildrenOfAProfilesRulesElement()
    {
        var kept = new[]
        {
            "<statelessready>true</statelessready>",
            "<rules><hwrule vendor=\"Dell\"><model>R640</model></hwrule><swrule id=\"2\"/></rules>",
            "<RULES><oemrule/></RULES>",
        };
        var rules = ImageProfileRule.From(kept);
        Assert.Equal(new[] { "hwrule", "swrule", "oemrule" }, rules.Select(r => r.Name));
        Assert.Equal("<hwrule vendor=\"Dell\"><model>R640</model></hwrule>", rules[0].Xml);
    }

    [Fact]
    public void NoRulesElementMeansNoRules()
    {
        Assert.Empty(ImageProfileRule.From(new[] { "<statelessready>true</statelessready>" }));
        Assert.Empty(ImageProfileRule.From(null));
    }

    [Fact]
    public void ADoctypeInAKeptElementIsNotExpanded()
    {
        // Kept elements come from parsed XML, which cannot carry a DTD; if one ever did, it is no rule.
        Assert.Empty(ImageProfileRule.From(new[] { "<!DOCTYPE rules [<!ENTITY e \"x\">]><rules><r>&e;</r></rules>" }));
    }
}
