using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Core.Verification;
using ESXiImageTools.TestSupport;

namespace ESXiImageTools.Core.Tests.Fuzzing;

/// <summary>
/// The fuzz targets with their seeds: real files from the corpus and fixtures generated
/// here with the project's own writers. Each target reads an input the way a command would.
/// </summary>
public static class FuzzTargets
{
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>Bytes of corpus files matching <paramref name="pattern"/> (none when the corpus is absent), at most <paramref name="maxBytes"/> each.</summary>
    private static IEnumerable<byte[]> CorpusFiles(string pattern, long maxBytes = 4 << 20)
    {
        if (!Corpus.Available) return Enumerable.Empty<byte[]>();
        return Directory.EnumerateFiles(Corpus.Root, pattern, SearchOption.AllDirectories)
            .OrderBy(f => f, StringComparer.Ordinal)
            .Where(f => new FileInfo(f).Length <= maxBytes)
            .Select(File.ReadAllBytes);
    }

    /// <summary>Builds every target; <paramref name="fixtureDir"/> receives the generated seed files.</summary>
    public static IReadOnlyList<FuzzTarget> All(string fixtureDir)
    {
        Directory.CreateDirectory(fixtureDir);
        var (vibPath, _) = VibFixtures.Build(fixtureDir, "net-fuzz", "1.0.0-1");
        var vibSeed = File.ReadAllBytes(vibPath);
        var bundle = Path.Combine(fixtureDir, "bundle.zip");
        new BundleBuilder().AddBuiltVib(vibPath, "vib20/net-fuzz/net-fuzz.vib")
            .AddBulletin("TST-net-fuzz-1.0", new[] { BundleBuilder.DescriptorOf(vibPath) }.Select(_ => VibFile.Open(vibPath).Id))
            .Write(bundle);
        var bundleSeed = File.ReadAllBytes(bundle);
        var fx = EsxImageFixture.Create(Path.Combine(fixtureDir, "image"));
        var isoPath = Path.Combine(fixtureDir, "esx.iso");
        IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = isoPath, Timestamp = Stamp });
        var isoSeed = File.ReadAllBytes(isoPath);
        var profileXml = Encoding.UTF8.GetBytes(ProfileXml.Write(fx.Profile).ToString());

        var vibs = CorpusFiles("*.vib").Append(vibSeed).ToList();
        var bundles = CorpusFiles("*.zip").Append(bundleSeed).ToList();
        var metadata = bundles.SelectMany(MetadataZips).ToList();
        var xml = CorpusFiles("*.xml", 256 << 10).Take(40)
            .Concat(vibs.SelectMany(Descriptor)).Append(profileXml)
            .Concat(bundles.SelectMany(b => Entries(b, n => n.EndsWith("index.xml", StringComparison.OrdinalIgnoreCase)))).ToList();
        var bootcfg = (Corpus.Available ? Directory.EnumerateFiles(Path.Combine(Corpus.Root, "bootcfg"), "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes) : Enumerable.Empty<byte[]>())
            .Append(Encoding.ASCII.GetBytes("bootstate=0\ntitle=Loading ESXi installer\ntimeout=5\nkernel=/b.b00\nkernelopt=runweasel\nmodules=/jumpstrt.gz --- /useropts.gz --- /s.v00\nbuild=8.0.0\nupdated=0\n"))
            .ToList();
        var archives = CorpusFiles("*.vgz")
            .Append(VibFixtures.Vgz(("etc/a.txt", Encoding.ASCII.GetBytes("a")), ("usr/lib/b.bin", new byte[5000])))
            .Append(VibFixtures.TarGz(("etc/c.txt", Encoding.ASCII.GetBytes("c"))))
            .Append(VmTar.Build(new[] { ("x/y", new byte[100]) }, gzip: false))
            .ToList();

        // Stored payload bytes, so mutations reach the decompressor instead of failing the VIB's checksums first.
        var payloads = vibs.SelectMany(PayloadsOf).Concat(archives.Where(a => a.Length > 2 && a[0] == 0x1f && a[1] == 0x8b))
            .Append(Convert.FromBase64String(Packages.HostilePayloadTests.CraftedGzipBase64)).ToList();

        // Spec JSON: this project's profile spec and VMware's software spec, with a BOM, nested, with many members.
        var specs = new[]
        {
            "{\"schemaVersion\":1,\"baseProfile\":\"ESXi-8.0.0-standard\",\"name\":\"custom\",\"vendor\":\"Lab\",\"description\":\"d\\u00e9\\n\",\"acceptanceLevel\":\"community\",\"allowLowerAcceptance\":true,\"force\":false,\"add\":[\"net-foo\",\"drivers/x.zip\"],\"remove\":[\"vmkusb\"]}",
            "\uFEFF{\"base_image\":{\"version\":\"8.0.1-0.0.21495797\"},\"add_on\":{\"name\":\"a\",\"version\":\"1.0-1\"},\"components\":{\"Intel-i40en\":\"1.12.3.0-1OEM.700.1.0.15843807\",\"x\":null},\"removed_components\":[\"VMware-vmkusb\"],\"solutions\":{},\"hardware_support\":{}}",
            "{\"base_image\":{\"version\":\"1\"},\"components\":{" + string.Join(",", Enumerable.Range(0, 300).Select(i => $"\"c{i}\":\"1.{i}\"")) + "}}",
            "{\"a\":[[[[[[[[{\"b\":[1,2.5e3,-0,true,false,null,\"\\ud83d\\ude00\"]}]]]]]]]]}",
        }.Select(j => Encoding.UTF8.GetBytes(j)).ToList();

        // Tar headers as hostile archives declare them: pax records, GNU long names, sparse members, sizes past the data.
        var module = new byte[700];
        new Random(5).NextBytes(module);
        var tars = new List<byte[]>
        {
            new HostileTar().Pax(true, ("comment", "g")).Pax(false, ("path", "usr/lib/vmware/vmkmod/" + new string('p', 120)), ("size", "700")).File("x", module).End().ToArray(),
            new HostileTar().Header("././@LongLink", 'L', 130, gnu: true).Data(Encoding.ASCII.GetBytes("etc/vmware/driver.map.d/" + new string('l', 105))).File("y", module).End().ToArray(),
            new HostileTar().File("usr/lib/vmware/vmkmod/ok", module).Header("usr/lib/vmware/vmkmod/sparse", 'S', 512, gnu: true).Data(new byte[512]).End().ToArray(),
            new HostileTar().Pax(false, ("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.name", "m"), ("GNU.sparse.realsize", "10485760"))
                .File("./GNUSparseFile.0/m", new byte[1024]).End().ToArray(),
            new HostileTar().Header("etc/short", '0', 4096).Bytes(new byte[100]).ToArray(),
            new HostileTar().Header("dir/", '5', 0).Header("dev/x", '3', 0).Header("lnk", '2', 0, link: "/etc/shadow").File("z", module).End().ToArray(),
        };
        tars.Add(new HostileTar().File("usr/lib/vmware/vmkmod/m", module).File("etc/vmware/driver.map.d/m.map", new byte[] { 1 }).End().ToTgz());

        var options = (Func<string, DepotOptions>)(dir => new DepotOptions { CacheDirectory = Path.Combine(dir, "cache"), UseProxy = false, Retries = 0 });
        return new[]
        {
            new FuzzTarget("vib", vibs, (input, dir) =>
            {
                var p = Write(dir, "x.vib", input);
                var vib = VibFile.Open(p);
                foreach (var payload in vib.Payloads)
                {
                    VibVerifier.VerifyPayload(vib, payload);
                    if (PayloadContents.IsArchiveType(payload.Type))
                        using (var s = vib.Content.OpenPayload(payload)) PayloadContents.List(payload, s, p);
                }
            }),
            new FuzzTarget("bundle", bundles, (input, dir) =>
            {
                var p = Write(dir, "x.zip", input);
                var depot = DepotReader.Open(p, options(dir));
                foreach (var vib in depot.Packages.Take(3)) VibVerifier.VerifyAll(vib);
            }),
            new FuzzTarget("metadata", metadata, (input, dir) => MetadataBundle.Read(new MemoryStream(input), "metadata.zip")),
            new FuzzTarget("iso", new[] { isoSeed }, (input, dir) =>
            {
                using (var r = new IsoReader(new MemoryStream(input), "x.iso"))
                {
                    var buffer = new byte[65536];
                    foreach (var f in r.Files.Take(64))
                        using (var s = r.OpenFile(f)) s.Read(buffer, 0, buffer.Length);
                }
                var p = Write(dir, "x.iso", input);
                var depot = IsoDepotReader.Open(p);
                foreach (var vib in depot.Packages.Where(v => v.Content != null).Take(3)) VibVerifier.VerifyAll(vib);
            }),
            new FuzzTarget("xml", xml, (input, dir) =>
            {
                try { VibDescriptorReader.Parse(new MemoryStream(input), "x.xml", "descriptor.xml"); } catch (Diagnostics.EsxException) { }
                try { ProfileXml.Read(new MemoryStream(input), "x.xml"); } catch (Diagnostics.EsxException) { }
                var doc = DepotXml.Load(new MemoryStream(input), "x.xml", null, 16 << 20);
                try { DepotIndexXml.ParseVendorList(doc, "x.xml"); } catch (Diagnostics.EsxException) { }
                DepotIndexXml.ParseMetaList(doc, "x.xml");
            }),
            new FuzzTarget("bootcfg", bootcfg, (input, dir) =>
            {
                var cfg = BootCfg.Parse(Encoding.UTF8.GetString(input));
                foreach (var m in cfg.Modules) BootCfg.ModuleFileName(m);
                foreach (var k in cfg.Keys.ToList()) _ = cfg[k];
                BootCfg.Parse(cfg.ToString());
            }),
            new FuzzTarget("payload", payloads, (input, dir) =>
            {
                var payload = new Payload
                {
                    Name = "p", Type = "vgz", Size = input.Length,
                    Checksums = new[] { new PayloadChecksum("sha-256", "", new string('0', 64)), new PayloadChecksum("sha-256", "gunzip", new string('0', 64)) },
                };
                try { PayloadVerifier.Verify(payload, new MemoryStream(input), "fuzz", "x.vib"); } catch (Diagnostics.EsxException) { }
                // The export path: decompression on a second thread while the caller copies the stored bytes.
                using var verifying = new GunzipVerifyingReadStream(new MemoryStream(input), payload, "fuzz", "x.vib");
                verifying.CopyTo(Stream.Null);
            }),
            // An OEM.tgz / tar packaged into a VIB, and a finished image verified.
            new FuzzTarget("oem", payloads.Append(VibFixtures.TarGz(("usr/lib/vmware/vmkmod/m", new byte[300]), ("etc/vmware/driver.map.d/m.map", new byte[] { 1 }))).ToList(), (input, dir) =>
                VibAuthor.Create(Write(dir, "x.tgz", input), new VibAuthoringRequest { Name = "fuzz", Version = "1.0-1", Vendor = "Fuzz", ReleaseDate = Stamp },
                                 Path.Combine(dir, "x.vib"), overwrite: true)),
            // Second hostile campaign: spec JSON through both readers, and hostile tar headers through the package source reader.
            new FuzzTarget("spec", specs, (input, dir) =>
            {
                try { ProfileSpec.Read(new MemoryStream(input), "x.json"); } catch (Diagnostics.EsxException) { }
                ESXiImageTools.Core.Components.SoftwareSpec.Read(new MemoryStream(input), "x.json");
            }),
            new FuzzTarget("tar", tars, (input, dir) =>
            {
                var tar = new TarReader(new MemoryStream(input), "x.tar");
                for (int i = 0; i < 10_000 && tar.Next() is TarMember m; i++)
                    if (m.IsFile) tar.CopyContent(Stream.Null);
                using var tree = PackageSourceTree.Open(Write(dir, "x.tar", input), dir);
                foreach (var f in tree.Files) _ = f.Size;
            }),
            new FuzzTarget("verify", new[] { isoSeed }, (input, dir) => ImageVerifier.Verify(Write(dir, "v.iso", input))),
            new FuzzTarget("vmtar", archives, (input, dir) =>
            {
                VmTar.List(new MemoryStream(input), "x.vgz");
                foreach (var type in new[] { "vgz", "tgz" })
                    PayloadContents.List(new Payload { Name = "x", Type = type, Size = input.Length }, new MemoryStream(input), "x");
            }),
        };
    }

    private static string Write(string dir, string name, byte[] input)
    {
        var p = Path.Combine(dir, name);
        File.WriteAllBytes(p, input);
        return p;
    }

    private static IEnumerable<byte[]> Entries(byte[] zip, Func<string, bool> select)
    {
        var found = new List<byte[]>();
        try
        {
            using var z = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            foreach (var e in z.Entries.Where(e => select(e.FullName) && e.Length < (8 << 20)))
            {
                using var s = e.Open();
                var ms = new MemoryStream();
                s.CopyTo(ms);
                found.Add(ms.ToArray());
            }
        }
        catch (InvalidDataException) { }
        return found;
    }

    private static IEnumerable<byte[]> MetadataZips(byte[] bundle)
    {
        var direct = Entries(bundle, n => n.EndsWith("metadata.zip", StringComparison.OrdinalIgnoreCase)).ToList();
        // A download zip wrapping a bundle: look one level down.
        return direct.Count > 0 ? direct : Entries(bundle, n => n.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)).SelectMany(MetadataZips);
    }

    private static IEnumerable<byte[]> PayloadsOf(byte[] vib)
    {
        try
        {
            var members = VibFile.ListMembers(new MemoryStream(vib), "seed");
            return members.Where(m => m.Name != "descriptor.xml" && m.Name != "sig.pkcs7" && m.Size > 2 && m.Size < (4 << 20))
                .Select(m => vib.Skip((int)m.DataOffset).Take((int)m.Size).ToArray())
                .Where(b => b[0] == 0x1f && b[1] == 0x8b).ToList();
        }
        catch (Diagnostics.EsxException) { return Enumerable.Empty<byte[]>(); }
    }

    private static IEnumerable<byte[]> Descriptor(byte[] vib)
    {
        try
        {
            var members = VibFile.ListMembers(new MemoryStream(vib), "seed");
            var d = members.FirstOrDefault(m => m.Name == "descriptor.xml");
            if (d == null) return Enumerable.Empty<byte[]>();
            return new[] { vib.Skip((int)d.DataOffset).Take((int)d.Size).ToArray() };
        }
        catch (Diagnostics.EsxException) { return Enumerable.Empty<byte[]>(); }
    }
}
