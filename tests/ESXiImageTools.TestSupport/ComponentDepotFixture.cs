using System.Collections.Generic;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// An ESXi 8-shaped base depot with components, and a community component zip, built with the project's writers.
/// The base depot holds the <see cref="EsxImageFixture"/> packages plus esx-update; its bulletins take the shape of
/// the real ESXi 7.0 image database (the corpus's esximg-700/bulletins): an <c>ESXi</c> component over the core
/// VIBs (esx-base, esx-update) and one component per driver; two profiles (<c>-standard</c>, <c>-no-tools</c>).
/// </summary>
public sealed class ComponentDepotFixture
{
    public const string BaseImageVersion = "8.0.0-1.0.20513097";
    public const string StandardProfile = "ESXi-8.0.0-20513097-standard";
    public const string NoToolsProfile = "ESXi-8.0.0-20513097-no-tools";
    public const string CommunityComponent = "Community-net-community";
    public const string CommunityVersion = "1.0.0-1";

    public string BaseDepot { get; private set; }
    public string CommunityZip { get; private set; }
    public EsxImageFixture Image { get; private set; }
    public Vib EsxUpdate { get; private set; }
    public Vib Community { get; private set; }

    /// <summary>A VMware software spec naming the base image and the community component (VMware's format, as is).</summary>
    public static string Spec => "{\n  \"base_image\": { \"version\": \"" + BaseImageVersion + "\" },\n  \"components\": { \"" +
                                 CommunityComponent + "\": \"" + CommunityVersion + "\" }\n}\n";

    public static ComponentDepotFixture Create(string dir)
    {
        Directory.CreateDirectory(dir);
        var fx = EsxImageFixture.Create(Path.Combine(dir, "vibs"));
        var (updatePath, update) = VibFixtures.Build(Path.Combine(dir, "vibs"),
            VibFixtures.Metadata("esx-update", BaseImageVersion, "VMware", AcceptanceLevel.PartnerSupported));
        var core = new[] { fx.Base.Id, update.Id };
        var all = fx.All.Select(v => v.Id).Concat(new[] { update.Id }).ToList();

        var b = new BundleBuilder { VendorName = "VMware, Inc.", VendorCode = "VMW" };
        foreach (var v in fx.All) b.AddBuiltVib(VibPath(fx.Directory, v));
        b.AddBuiltVib(updatePath);
        b.AddBulletin("ESXi_" + BaseImageVersion, core, "ESXi", BaseImageVersion, "VMware");
        b.AddBulletin("Sample-net_1.0.0-1OEM", new[] { fx.Drivers[0].Id }, "Sample-net", fx.Drivers[0].Version.Text, "SampleVendor");
        b.AddBulletin("Sample-nvme_2.1.0-1OEM", new[] { fx.Drivers[1].Id }, "Sample-nvme", fx.Drivers[1].Version.Text, "SampleVendor");
        b.AddProfile(NoToolsProfile, "VMware, Inc.", all);
        b.AddProfile(StandardProfile, "VMware, Inc.", all);
        var baseDepot = Path.Combine(dir, "VMware-ESXi-8.0.0-20513097-depot.zip");
        b.Write(baseDepot);

        var (communityZip, community) = CommunityComponentZip(dir, "vmkapi_2_10_0_0");
        return new ComponentDepotFixture { BaseDepot = baseDepot, CommunityZip = communityZip, Image = fx, EsxUpdate = update, Community = community };
    }

    /// <summary>
    /// A CommunitySupported component zip (<see cref="CommunityComponent"/> <see cref="CommunityVersion"/>, one driver VIB
    /// that depends on <paramref name="vmkapi"/>), as a community driver author would publish it for ESXi 7+.
    /// </summary>
    public static (string Zip, Vib Vib) CommunityComponentZip(string dir, string vmkapi)
    {
        var (path, vib) = VibFixtures.Build(Path.Combine(dir, "community"),
            VibFixtures.Metadata("net-community", "1.0.0-1", "Community", AcceptanceLevel.CommunitySupported,
                depends: new[] { new Constraint(vmkapi) }),
            ("net-comm", "vgz", VibFixtures.Vgz(("usr/lib/vmware/vmkmod/net-community", EsxImageFixture.Filler("net-community", 2500)))));
        var c = new BundleBuilder { VendorName = "Community", VendorCode = "COM" };
        c.AddBuiltVib(path);
        c.AddBulletin(CommunityComponent + "_" + CommunityVersion, new[] { vib.Id }, CommunityComponent, CommunityVersion, "Community");
        var zip = Path.Combine(dir, CommunityComponent + "_" + CommunityVersion + "-component.zip");
        c.Write(zip);
        return (zip, vib);
    }

    private static string VibPath(string dir, Vib v) => Path.Combine(dir, v.Id + ".vib");
}
