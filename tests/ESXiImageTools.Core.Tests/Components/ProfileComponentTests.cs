using System;
using System.Linq;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Components;

/// <summary>A profile's components from its VIBs and the bulletins; partly present components; the ESXi component guard.</summary>
public class ProfileComponentTests
{
    private static DepotSession Session(ComponentDepotFixture fx)
    {
        var s = new DepotSession();
        s.Add(fx.BaseDepot);
        s.Add(fx.CommunityZip);
        return s;
    }

    private static ImageProfile Editable(DepotSession s)
        => ProfileEditor.Default.Clone(s.Profiles.Single(p => p.Name == ComponentDepotFixture.StandardProfile), "custom");

    [Fact]
    public void A_depot_profile_knows_its_components_whole()
    {
        using var tmp = new TempDir();
        var s = Session(ComponentDepotFixture.Create(tmp.Path));
        var profile = s.Profiles.Single(p => p.Name == ComponentDepotFixture.StandardProfile);
        Assert.Equal(new[] { "ESXi:8.0.0-1.0.20513097", "Sample-net:1.0.0-1OEM.800.1.0.20613240", "Sample-nvme:2.1.0-1OEM.800.1.0.20613240" },
                     profile.Components.Select(c => c.Id));
        Assert.All(profile.Components, c => Assert.Equal(ComponentPresence.Complete, c.Presence));
        Assert.Equal(2, profile.Components.Single(c => c.IsBaseImageComponent).Packages.Count);
        // The community component is not in the profile, so it is not reported (its bulletin names none of the profile's VIBs).
        Assert.DoesNotContain(profile.ComponentBulletins, b => b.ComponentName == ComponentDepotFixture.CommunityComponent);
        Assert.DoesNotContain(ProfileValidator.Validate(profile), p => p.Kind == ValidationProblemKind.PartialComponent);
    }

    [Fact]
    public void Removing_one_vib_of_the_esxi_component_is_refused_naming_the_component()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.Path);
        var profile = Editable(Session(fx));
        var e = Assert.Throws<EsxProfileValidationException>(() => ProfileEditor.Default.RemovePackages(profile, new PackageRef[] { "esx-update" }));
        Assert.Equal(ErrorCodes.ComponentRemovalProhibited, e.Code);
        Assert.Contains("ESXi:8.0.0-1.0.20513097", e.Message);
        Assert.Contains("esx-update", e.Message);
        Assert.Contains(e.Problems, p => p.Kind == ValidationProblemKind.PartialComponent && p.Severity == ValidationSeverity.Error);

        // Forced, it goes through and the result reports the broken component as an error.
        var forced = ProfileEditor.Default.RemovePackages(profile, new PackageRef[] { "esx-update" }, new EditOptions { Force = true });
        var problem = forced.Problems.Single(p => p.Kind == ValidationProblemKind.PartialComponent);
        Assert.Equal(ValidationSeverity.Error, problem.Severity);
        Assert.Contains(fx.EsxUpdate.Id, problem.Message);
        Assert.False(forced.IsValid);
    }

    [Fact]
    public void Removing_the_whole_esxi_component_is_refused_too()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.Path);
        var profile = Editable(Session(fx));
        var e = Assert.Throws<EsxProfileValidationException>(() =>
            ProfileEditor.Default.RemovePackages(profile, new PackageRef[] { fx.Image.Base, fx.EsxUpdate }));
        Assert.Equal(ErrorCodes.ComponentRemovalProhibited, e.Code);
        Assert.Contains("ESXi:8.0.0-1.0.20513097", e.Message);
    }

    [Fact]
    public void Removing_a_whole_driver_component_is_allowed()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.Path);
        var profile = Editable(Session(fx));
        var r = ProfileEditor.Default.RemovePackages(profile, new PackageRef[] { fx.Image.Drivers[0] });
        Assert.True(r.IsValid);
        Assert.DoesNotContain(r.Profile.Components, c => c.Name == "Sample-net");
    }

    [Fact]
    public void A_partly_present_driver_component_is_a_warning_naming_the_missing_vibs()
    {
        var a = VibFixtures.Metadata("drv-a", "1.0-1");
        var b = VibFixtures.Metadata("drv-b", "1.0-1");
        var bulletin = new Bulletin { Id = "Drv_1.0-1", ComponentName = "Drv", ComponentVersion = "1.0-1", VibIds = new[] { a.Id, b.Id } };
        var profile = new ImageProfile { Name = "p", Vendor = "v", Packages = new[] { a }, ComponentBulletins = new[] { bulletin } };
        var c = Assert.Single(profile.Components);
        Assert.Equal(ComponentPresence.Partial, c.Presence);
        Assert.Equal(new[] { b.Id }, c.MissingVibIds);
        var p = Assert.Single(ProfileValidator.Validate(profile));
        Assert.Equal(ValidationProblemKind.PartialComponent, p.Kind);
        Assert.Equal(ValidationSeverity.Warning, p.Severity);
        Assert.Equal("Drv:1.0-1", p.Component);
        Assert.Contains(b.Id, p.Message);
    }

    [Fact]
    public void Components_filter_by_name_version_vendor_wildcards_and_newest()
    {
        Component C(string name, string version, string vendor = "V")
        {
            VibVersion.TryParse(version, out var v);
            return new Component { Name = name, Version = version, VersionObject = v, UiName = name + " UI", UiVersion = version, Vendor = vendor };
        }
        var all = new[] { C("Intel-i40en", "1.8.1.16-1vmw"), C("Intel-i40en", "1.12.3.0-1OEM"), C("Intel-ne1000", "0.8.4-10vmw", "Intel"), C("ESXi", "7.0.0-1.0.1") };
        Assert.Equal(new[] { "Intel-i40en:1.8.1.16-1vmw", "Intel-i40en:1.12.3.0-1OEM", "Intel-ne1000:0.8.4-10vmw" },
                     ComponentQueries.Filter(all, new ComponentQuery { Names = new[] { "Intel-*" } }).Select(c => c.Id));
        Assert.Equal(new[] { "Intel-i40en:1.12.3.0-1OEM" },
                     ComponentQueries.Filter(all, new ComponentQuery { Names = new[] { "Intel-i40en" }, Newest = true }).Select(c => c.Id));
        Assert.Equal(new[] { "Intel-ne1000:0.8.4-10vmw" }, ComponentQueries.Filter(all, new ComponentQuery { Vendors = new[] { "Intel" } }).Select(c => c.Id));
        Assert.Equal(new[] { "Intel-i40en:1.8.1.16-1vmw" }, ComponentQueries.Filter(all, new ComponentQuery { Versions = new[] { "1.8*" } }).Select(c => c.Id));
        Assert.Equal(new[] { "ESXi:7.0.0-1.0.1" }, ComponentQueries.Filter(all, new ComponentQuery { Names = new[] { "ESXi UI" } }).Select(c => c.Id));
    }
}
