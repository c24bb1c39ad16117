using System.IO;
using System.IO.Compression;
using System.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Components;

/// <summary>Components come from every depot kind that carries bulletins (online depots: OnlineDepotTests compares them with the zip's).</summary>
public class DepotKindComponentTests
{
    private static string Ids(Depot d) => string.Join(" ", d.Components.Select(c => c.Id + "=" + string.Join(",", c.Packages.Select(p => p.Id))).OrderBy(x => x));

    [Fact]
    public void A_wrapping_zip_an_unpacked_depot_and_a_folder_list_the_same_components_as_the_bundle()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        var expected = Ids(DepotReader.Open(fx.CommunityZip));
        Assert.Contains(ComponentDepotFixture.CommunityComponent, expected);

        var wrapped = tmp.File("download.zip");
        using (var z = ZipFile.Open(wrapped, ZipArchiveMode.Create)) z.CreateEntryFromFile(fx.CommunityZip, Path.GetFileName(fx.CommunityZip));
        var w = DepotReader.Open(wrapped);
        Assert.Equal(DepotKind.WrappedBundle, w.Kind);
        Assert.Equal(expected, Ids(w));

        var unpacked = tmp.File("unpacked");
        ZipFile.ExtractToDirectory(fx.CommunityZip, unpacked);
        Assert.Equal(expected, Ids(DepotReader.Open(unpacked)));

        var folder = tmp.File("folder");
        Directory.CreateDirectory(folder);
        File.Copy(fx.CommunityZip, Path.Combine(folder, Path.GetFileName(fx.CommunityZip)));
        File.Copy(fx.BaseDepot, Path.Combine(folder, Path.GetFileName(fx.BaseDepot)));
        var f = DepotReader.Open(folder);
        Assert.Equal(DepotKind.Folder, f.Kind);
        Assert.Equal(4, f.Components.Count);
        // The folder's profiles know the component bulletins of every member.
        Assert.Equal(3, f.Profiles.First().Components.Count);
    }
}
