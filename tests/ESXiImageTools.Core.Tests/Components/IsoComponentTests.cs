using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.TestSupport;
using ICSharpCode.SharpZipLib.Tar;
using Xunit;

namespace ESXiImageTools.Core.Tests.Components;

/// <summary>An installer ISO whose IMGDB.TGZ keeps component bulletins (var/db/esximg/bulletins/, as the real esximg-700 database does) lists them.</summary>
public class IsoComponentTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Components_come_from_the_bulletins_in_an_isos_image_database()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("fx"));
        var plain = tmp.File("plain.iso");
        IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = plain, Timestamp = Stamp });
        var bulletin = "<bulletin><id>ESXi_8.0.0-1.0.20513097</id><vendor>VMware</vendor><summary>ESXi Component - core ESXi VIBs</summary>" +
                       "<releaseType>patch</releaseType><componentNameSpec name=\"ESXi\" uiString=\"ESXi\"/>" +
                       "<componentVersionSpec uiString=\"8.0.0 Build - 20513097\" version=\"8.0.0-1.0.20513097\"/>" +
                       $"<vibList><vibID>{fx.Base.Id}</vibID><vibID>VMware_bootbank_esx-update_8.0.0-1.0.20513097</vibID></vibList></bulletin>";
        var iso = WithBulletin(plain, tmp.File("with-bulletins.iso"), "ESXi_8.0.0-1.0.20513097.xml", bulletin);

        var depot = DepotReader.Open(iso);
        var c = Assert.Single(depot.Components);
        Assert.Equal("ESXi:8.0.0-1.0.20513097", c.Id);
        Assert.Equal(new[] { fx.Base.Id }, c.Packages.Select(p => p.Id));
        Assert.Equal(new[] { "VMware_bootbank_esx-update_8.0.0-1.0.20513097" }, c.MissingVibIds);
        var profileComponent = Assert.Single(depot.Profiles.Single().Components);
        Assert.Equal(ComponentPresence.Partial, profileComponent.Presence);
        Assert.Contains(ProfileValidator.Validate(depot.Profiles.Single()), p => p.Kind == ValidationProblemKind.PartialComponent);
    }

    /// <summary>A copy of <paramref name="source"/> whose IMGDB.TGZ also holds var/db/esximg/bulletins/<paramref name="name"/>.</summary>
    private static string WithBulletin(string source, string target, string name, string xml)
    {
        using var r = IsoReader.Open(source);
        var files = new List<(string Path, byte[] Bytes)>();
        foreach (var f in r.Files)
        {
            var ms = new MemoryStream();
            using (var s = r.OpenFile(f)) s.CopyTo(ms);
            files.Add((f.Path.TrimStart('/'), ms.ToArray()));
        }
        var imgdb = files.Single(f => f.Path == "IMGDB.TGZ");
        var members = new List<(string, byte[])>();
        using (var gz = new GZipStream(new MemoryStream(imgdb.Bytes), CompressionMode.Decompress))
        using (var tar = new TarInputStream(gz, Encoding.UTF8))
        {
            TarEntry e;
            while ((e = tar.GetNextEntry()) != null)
            {
                if (e.IsDirectory) continue;
                var ms = new MemoryStream();
                tar.CopyEntryContents(ms);
                members.Add((e.Name, ms.ToArray()));
            }
        }
        members.Add((ImgDb.BulletinsDir + name, Encoding.UTF8.GetBytes(xml)));
        var b = new IsoBuilder(Stamp);
        foreach (var (path, bytes) in files.Where(f => f.Path != "IMGDB.TGZ"))
            b.AddFile(path, bytes.Length, () => new MemoryStream(bytes));
        var newDb = TarGzWriter.Build(members, Stamp);
        b.AddFile("IMGDB.TGZ", newDb.Length, () => new MemoryStream(newDb));
        b.WriteToFile(target, false);
        return target;
    }
}
