using System;
using System.Linq;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Components;

/// <summary>
/// An installer ISO as a depot gives its components from IMGDB.TGZ (var/db/esximg/bulletins/, as the real esximg-700
/// database keeps them), and a profile read from the ISO knows them: the ESXi guard holds for it too.
/// </summary>
public class IsoComponentTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Components_come_back_from_an_isos_image_database_and_guard_its_profile()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        var session = new DepotSession();
        session.Add(fx.BaseDepot);
        var profile = session.Profiles.Single(p => p.Name == ComponentDepotFixture.StandardProfile);
        var iso = tmp.File("esxi.iso");
        IsoExporter.Export(profile, new IsoExportOptions { Destination = iso, Timestamp = Stamp });

        var depot = DepotReader.Open(iso);
        Assert.Equal(DepotKind.Iso, depot.Kind);
        var esxi = depot.Components.Single(c => c.IsBaseImageComponent);
        Assert.Equal("ESXi:" + ComponentDepotFixture.BaseImageVersion, esxi.Id);
        Assert.Equal(new[] { fx.Image.Base.Id, fx.EsxUpdate.Id }.OrderBy(x => x), esxi.Packages.Select(p => p.Id).OrderBy(x => x));
        Assert.Equal(profile.Components.Select(c => c.Id), depot.Profiles.Single().Components.Select(c => c.Id));

        var clone = ProfileEditor.Default.Clone(depot.Profiles.Single(), "from-iso");
        var e = Assert.Throws<EsxProfileValidationException>(() => ProfileEditor.Default.RemovePackages(clone, new PackageRef[] { "esx-update" }));
        Assert.Equal(ErrorCodes.ComponentRemovalProhibited, e.Code);
        var forced = ProfileEditor.Default.RemovePackages(clone, new PackageRef[] { "esx-update" }, new EditOptions { Force = true });
        Assert.Equal(ComponentPresence.Partial, forced.Profile.Components.Single(c => c.IsBaseImageComponent).Presence);
    }
}
