using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.TestSupport;
using ICSharpCode.SharpZipLib.Tar;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

/// <summary>
/// A depot made of the real ESXi 7.0.0 descriptors (the corpus's esximg-700; real XML,
/// synthetic payload bytes; see <see cref="RealDescriptorDepot"/> for how sizes and checksums are reconciled)
/// validates without errors, exports without force, and its ISO follows the real media's rules and the module
/// order of the real BOOT.CFGs (the corpus's bootcfg/), as independent readers see it.
/// </summary>
public class RealDescriptorExportTests
{
    private static readonly DateTimeOffset Stamp = new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [CorpusFact]
    public void Fixture_keeps_every_byte_of_the_real_descriptors_except_sizes_and_checkable_checksums()
    {
        using var tmp = new TempDir();
        var fx = RealDescriptorDepot.Create(tmp.File("depot"));
        Assert.Equal(9, fx.Descriptors.Count);
        foreach (var (file, (real, rewritten)) in fx.Descriptors)
        {
            Assert.NotEqual(real, rewritten);
            Assert.Equal(RealDescriptorDepot.Mask(real), RealDescriptorDepot.Mask(rewritten));
            // The mask blanks something in every payload: a size and at least one checksum.
            Assert.Equal(real.Split("<payload ").Length, RealDescriptorDepot.Mask(real).Split(" size=\"#\"").Length);
        }
        var esxBase = fx.Descriptors.Single(d => d.Key.StartsWith("esx-base-", StringComparison.Ordinal)).Value;
        const string txtMle = "cec4ff471f926d6e39b9172ebf44ca55408f00ccce0ade852af4246ce3ef5b09";
        Assert.Contains($"verify-process=\"txt-mle\">{txtMle}<", esxBase.Real);
        Assert.Contains($"verify-process=\"txt-mle\">{txtMle}<", esxBase.Rewritten);
    }

    [CorpusFact]
    public void Real_descriptors_read_hyphenated_attributes_and_typed_payloads_and_round_trip()
    {
        var xml = File.ReadAllText(Directory.GetFiles(Path.Combine(RealDescriptorDepot.CorpusDir, "vibs"), "esx-base-*.xml").Single());
        var vib = VibDescriptorReader.ParseString(xml, "esx-base.xml");
        var p = vib.Payloads.ToDictionary(x => x.Name);
        Assert.Equal((PayloadTypes.Boot, 10), (p["b"].Type, p["b"].BootOrder.Value));
        Assert.Equal(("features.gz", 49), (p["features"].VfatName, p["features"].BootOrder.Value));
        Assert.Equal(100, p["s"].BootOrder);
        Assert.Equal(PayloadTypes.BootIsoBios, p["isolinux.bin"].Type);
        Assert.Equal(PayloadTypes.EltoritoImageEfi, p["efiboot.img"].Type);
        Assert.Equal(new[] { "BOOTx64.EFI", "safeboot.efi" }, vib.Payloads.Where(x => x.Type == PayloadTypes.BootLoaderEfi).Select(x => x.Name));
        Assert.Equal(new[] { "fatBootSector", "ldlinux.sys", "mboot.c32", "menu.c32", "safeboot.c32" },
            vib.Payloads.Where(x => x.Type == PayloadTypes.BootCom32Bios).Select(x => x.Name));
        Assert.Equal(new[] { "esximage.zip", "extlinux", "gptmbr.bin", "mbr.bin", "metadata.xml", "precheck.py", "prep.py" },
            vib.Payloads.Where(x => x.Type == PayloadTypes.Upgrade).Select(x => x.Name));
        Assert.Equal(new[] { "README", "osl.txt" }, vib.Payloads.Where(x => x.Type == PayloadTypes.Text).Select(x => x.Name));
        // The stored sha-256 is the one without a verify-process, never the txt-mle one next to it.
        Assert.Equal("2a74fa52921a2909c8308b90e9f3f38fcc8b69aa040c37041e9e1c2049f971fb", p["b"].Sha256);
        Assert.Single(p["b"].UnverifiableChecksums);
        // installdate (unknown here) survives, and the writer spells the attributes as the real file does.
        var written = Encoding.UTF8.GetString(VibDescriptorWriter.ToBytes(vib));
        Assert.Contains("<payload name=\"features\" type=\"boot\" boot-order=\"49\" vfat-name=\"features.gz\" size=\"20\">", written);
        Assert.Contains("<installdate>2020-10-07T11:36:17.746590+00:00</installdate>", written);
        VibAssert.SameMetadata(vib, VibDescriptorReader.ParseString(written, "again"));
    }

    [CorpusToolFact("isoinfo", "7z", "xorriso")]
    public void Real_depot_validates_exports_without_force_and_lays_out_the_iso_as_real_media()
    {
        using var tmp = new TempDir();
        var fx = RealDescriptorDepot.Create(tmp.File("depot"));
        var depot = DepotReader.Open(fx.BundlePath);
        Assert.Empty(depot.UnavailablePackages);
        var profile = depot.Profiles.Single(p => p.Name == RealDescriptorDepot.ProfileName);
        Assert.Empty(profile.MissingVibIds);

        var problems = ProfileValidator.Validate(profile, depot.Packages);
        Assert.DoesNotContain(problems, x => x.Severity == ValidationSeverity.Error);

        var iso = tmp.File("real.iso");
        var result = IsoExporter.Export(profile, new IsoExportOptions
        {
            Destination = iso, Timestamp = Stamp, Catalog = depot.Packages, AllowInvalidProfile = false,
            // VMware's real descriptors over synthetic payloads: no VMware signature can cover them.
            NoSignatureCheck = true,
        });
        // The txt-mle hash is carried through and reported, never fatal.
        Assert.Contains(result.Warnings, w => w.Contains("txt-mle", StringComparison.Ordinal) && w.Contains("'b'", StringComparison.Ordinal));

        using var r = IsoReader.Open(iso);
        var cfg = BootCfg.Parse(Text(r, "BOOT.CFG"));
        Assert.Equal(Text(r, "BOOT.CFG"), Text(r, "EFI/BOOT/BOOT.CFG"));
        Assert.Equal("/b.b00", cfg["kernel"]);
        Assert.Equal("7.0.0-1.0.15843807", cfg["build"]);
        var modules = cfg.Modules.Select(m => BootCfg.ModuleFileName(m).TrimStart('/')).ToList();

        // modules= holds only boot, vgz and tgz payloads, each once, each on the image; then the database modules.
        var esxBase = profile.Packages.Single(v => v.Name == "esx-base");
        var moduleTypes = profile.Packages.SelectMany(v => v.Payloads).Where(x => x.IsBootModule).Count();
        Assert.Equal(moduleTypes - 1 + 2, modules.Count); // all module payloads but the kernel, plus imgdb/imgpayld
        Assert.Equal(new[] { "imgdb.tgz", "imgpayld.tgz" }, modules.Skip(modules.Count - 2)); // a 7.0.0 base: no basemisc/resvibs
        Assert.Equal(modules.Count, modules.Distinct().Count());
        Assert.All(modules, m => Assert.NotNull(r.Find("/" + m.ToUpperInvariant())));
        foreach (var name in new[] { "readme", "osl.txt", "isolinux.bin", "mboot.c32", "ldlinux.sys", "efiboot.img", "bootx64.efi", "esximage.zip" })
            Assert.DoesNotContain(modules, m => m.StartsWith(name, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(new[] { "jumpstrt.gz", "useropts.gz", "features.gz", "k.b00", "uc_intel.b00", "uc_amd.b00", "uc_hygon.b00", "procfs.b00" },
            modules.Take(8));
        // Then esx-base's order-100 tardisks; then by VIB id (HPE_, MRVL_, VMW_, VMware_; synthetic and real), overlay last.
        Assert.Equal(new[] { "s.v00", "sb.v00", "tpm.v00", "vim.v00", "vmx.v00" }, modules.Skip(8).Take(5).OrderBy(x => x, StringComparer.Ordinal));
        Assert.Equal(new[] { "stage.v00", "qlnativ.v00", "i40en.v00", "ne1000.v00", "vmw_ahci.v00", "crx.v00", "btldr.v00", "esx_dvfi.v00",
                             "esx_ui.v00", "esxupdt.v00", "tpmesxup.v00", "weaselin.v00", "loadesx.v00", "native_m.v00", "vdfs.v00",
                             "vsan.v00", "vsanheal.v00", "xorg.v00" }, modules.Skip(13).Take(18));

        // Against the real BOOT.CFGs: every module both lists keeps the real relative order (order-100 ties as a set).
        foreach (var real in new[] { "esxi-7.0.2-hpe", "esxi-8.0.0" })
        {
            var realModules = BootCfg.Parse(File.ReadAllText(Corpus.Path("bootcfg", real, "boot.cfg"))).Modules
                .Select(m => BootCfg.ModuleFileName(m).TrimStart('/')).ToList();
            Assert.Equal("/b.b00", BootCfg.Parse(File.ReadAllText(Corpus.Path("bootcfg", real, "boot.cfg")))["kernel"]);
            var tie = new HashSet<string> { "s.v00", "sb.v00", "tpm.v00", "vim.v00", "vmx.v00" };
            string Key(string m) => tie.Contains(m) ? "order-100" : m;
            var common = modules.Where(m => realModules.Contains(m) && !m.StartsWith("stage.", StringComparison.Ordinal)).ToList();
            Assert.True(common.Count >= 25, $"{real}: only {common.Count} modules in common");
            Assert.Equal(realModules.Where(common.Contains).Select(Key).Distinct(), common.Select(Key).Distinct());
            Assert.Equal("imgdb.tgz", realModules[realModules.IndexOf("gc.v00") + 1]);
            Assert.Equal("imgpayld.tgz", realModules.Last());
        }

        // The other keys as the unedited real 7.0.2 file has them, in its order.
        var real702 = BootCfg.Parse(File.ReadAllText(Corpus.Path("bootcfg", "esxi-7.0.2-hpe", "boot.cfg")));
        Assert.Equal(real702.Keys, cfg.Keys);
        foreach (var key in new[] { "bootstate", "title", "timeout", "prefix", "kernel", "kernelopt", "updated" })
            Assert.Equal(real702[key], cfg[key]);
        // ISOLINUX.CFG has the real 6.0 file's installer and local-disk entries (that file adds kickstart entries).
        var isolinux = Text(r, "ISOLINUX.CFG").Split('\n').Select(l => l.Trim()).ToList();
        var real60 = File.ReadAllLines(Corpus.Path("bootcfg", "esxi-6.0", "ISOLINUX.CFG")).Select(l => l.Trim()).ToList();
        foreach (var line in new[] { "DEFAULT menu.c32", "NOHALT 1", "PROMPT 0", "LABEL install", "KERNEL mboot.c32", "APPEND -c boot.cfg",
                                     "LABEL hddboot", "LOCALBOOT 0x80", "MENU LABEL ^Boot from local disk" })
        {
            Assert.Contains(line, real60);
            Assert.Contains(line, isolinux);
        }

        // The ISO root as real media have it: boot loaders from their typed payloads, UPGRADE/ with the upgrade payloads.
        byte[] Payload(string vib, string name) => fx.PayloadBytes[(vib, name)];
        foreach (var (path, payload) in new[] { ("ISOLINUX.BIN", "isolinux.bin"), ("MBOOT.C32", "mboot.c32"), ("MENU.C32", "menu.c32"),
                                                ("SAFEBOOT.C32", "safeboot.c32"), ("EFIBOOT.IMG", "efiboot.img"),
                                                ("EFI/BOOT/BOOTX64.EFI", "BOOTx64.EFI"), ("EFI/BOOT/SAFEBOOT.EFI", "safeboot.efi"),
                                                ("UPGRADE/ESXIMAGE.ZIP", "esximage.zip"), ("UPGRADE/METADATA.XML", "metadata.xml"),
                                                ("UPGRADE/PRECHECK.PY", "precheck.py"), ("UPGRADE/PREP.PY", "prep.py"), ("UPGRADE/EXTLINUX", "extlinux"),
                                                ("UPGRADE/MBR.BIN", "mbr.bin"), ("UPGRADE/GPTMBR.BIN", "gptmbr.bin") })
        {
            var expected = Payload("esx-base", payload);
            if (path == "ISOLINUX.BIN") Assert.Equal(expected.Skip(64), IsoContents.ReadFile(r, path).Skip(64)); // bytes 8..63: boot-info table
            else Assert.Equal(expected, IsoContents.ReadFile(r, path));
        }
        Assert.Equal(profile.Name, ProfileXml.Read(new MemoryStream(IsoContents.ReadFile(r, "UPGRADE/PROFILE.XML")), "PROFILE.XML").Name);
        foreach (var absent in new[] { "README", "OSL.TXT", "LDLINUX.SYS", "FATBOOTS" }) Assert.Null(r.Find("/" + absent));
        Assert.Equal(2, r.BootCatalog.Entries.Count);

        // IMGDB.TGZ: the profile's components and its reserved component, byte for byte as the real database has them.
        var imgdb = IsoContents.TarGzFiles(IsoContents.ReadFile(r, "IMGDB.TGZ"));
        foreach (var id in new[] { "ESXi_7.0.0-1.0.15843807", "Intel-i40en_1.8.1.16-1vmw.700.1.0.15843807", "Intel-ne1000_0.8.4-10vmw.700.1.0.15843807",
                                   "VMware-ahci_1.3.9-1vmw.700.1.0.15843807" })
            Assert.Equal(File.ReadAllBytes(Corpus.Path("esximg-700", "bulletins", id + ".xml")), imgdb[EsxImageLayout.BulletinsDir + id + ".xml"]);
        Assert.Equal(4, imgdb.Keys.Count(k => k.StartsWith(EsxImageLayout.BulletinsDir, StringComparison.Ordinal) && k.EndsWith(".xml")));
        const string reserved = "MRVL-QLogic-FC_4.0.1.0-3vmw.700.1.0.15843807";
        Assert.Equal(File.ReadAllBytes(Corpus.Path("esximg-700", "reservedComponents", reserved + ".xml")), imgdb[EsxImageLayout.ReservedComponentsDir + reserved + ".xml"]);
        Assert.Equal(profile.Packages.Count, imgdb.Keys.Count(k => k.StartsWith(EsxImageLayout.VibsDir, StringComparison.Ordinal) && k.EndsWith(".xml")));

        // IMGPAYLD.TGZ: every payload that is not a boot module, as var/db/payloads/<type>/<name>.
        var imgpayld = IsoContents.TarGzFiles(IsoContents.ReadFile(r, "IMGPAYLD.TGZ"));
        var nonModules = profile.Packages.SelectMany(v => v.Payloads.Where(x => !x.IsBootModule)).ToList();
        Assert.Equal(18, nonModules.Count); // esx-base: 7 upgrade, 2 text, 1 + 5 + 1 + 2 boot-loader payloads
        foreach (var x in nonModules) Assert.Equal(Payload("esx-base", x.Name), imgpayld[$"var/db/payloads/{x.Type}/{x.Name}"]);

        // Independent readers see the same files with the same sizes.
        var ours = IsoOracles.OurListing(r).Where(kv => !kv.Value.Dir).ToDictionary(kv => kv.Key, kv => kv.Value.Size);
        Assert.Equal(ours.OrderBy(k => k.Key), IsoOracles.IsoInfoListing(iso).Where(kv => !kv.Value.Dir).ToDictionary(kv => kv.Key, kv => kv.Value.Size).OrderBy(k => k.Key));
        Assert.Equal(ours.OrderBy(k => k.Key), IsoOracles.SevenZipListing(iso).OrderBy(k => k.Key));
        var report = IsoOracles.Run("xorriso", $"-indev \"{iso}\" -report_el_torito plain");
        Assert.Contains("/ISOLINUX.BIN", report);
        Assert.Contains("/EFIBOOT.IMG", report);
    }

    [CorpusFact]
    public void The_real_media_iso_reads_back_as_a_depot_with_every_package_available()
    {
        using var tmp = new TempDir();
        var fx = RealDescriptorDepot.Create(tmp.File("depot"));
        var depot = DepotReader.Open(fx.BundlePath);
        var profile = depot.Profiles.Single();
        var iso = tmp.File("real.iso");
        IsoExporter.Export(profile, new IsoExportOptions { NoSignatureCheck = true, Destination = iso, Timestamp = Stamp, Catalog = depot.Packages });
        var back = DepotReader.Open(iso);
        Assert.Empty(back.UnavailablePackages);
        var esxBase = back.Packages.Single(v => v.Name == "esx-base");
        // Typed payloads come back from IMGPAYLD.TGZ and still verify against the descriptor.
        Assert.Equal(esxBase.Payloads.Count, VibVerifier.VerifyAll(esxBase).Count);
        // The image's components come back too, so a re-export keeps IMGDB bulletins/ and reservedComponents/.
        Assert.Contains(back.Components, c => c.Name == "ESXi" && c.Version == "7.0.0-1.0.15843807");
        var again = tmp.File("again.iso");
        IsoExporter.Export(back.Profiles.Single(), new IsoExportOptions { Destination = again, Timestamp = Stamp, Catalog = back.Packages });
        using var r1 = IsoReader.Open(iso);
        using var r2 = IsoReader.Open(again);
        Assert.Equal(Text(r1, "BOOT.CFG"), Text(r2, "BOOT.CFG"));
        Assert.Equal(IsoContents.ReadFile(r1, "IMGPAYLD.TGZ"), IsoContents.ReadFile(r2, "IMGPAYLD.TGZ"));
        var db1 = IsoContents.TarGzFiles(IsoContents.ReadFile(r1, "IMGDB.TGZ"));
        var db2 = IsoContents.TarGzFiles(IsoContents.ReadFile(r2, "IMGDB.TGZ"));
        foreach (var dir in new[] { EsxImageLayout.BulletinsDir, EsxImageLayout.ReservedComponentsDir })
            Assert.Equal(db1.Where(k => k.Key.StartsWith(dir, StringComparison.Ordinal)).OrderBy(k => k.Key, StringComparer.Ordinal),
                         db2.Where(k => k.Key.StartsWith(dir, StringComparison.Ordinal)).OrderBy(k => k.Key, StringComparer.Ordinal));
    }

    [CorpusFact]
    public void A_bundle_export_keeps_the_real_components_and_gives_the_other_packages_components_of_their_own()
    {
        using var tmp = new TempDir();
        var fx = RealDescriptorDepot.Create(tmp.File("depot"));
        var depot = DepotReader.Open(fx.BundlePath);
        var profile = depot.Profiles.Single();
        var zip = tmp.File("bundle.zip");
        BundleExporter.Export(profile, new BundleExportOptions { NoSignatureCheck = true, Destination = zip, Timestamp = Stamp, Catalog = depot.Packages });
        var back = DepotReader.Open(zip);
        Assert.Empty(back.UnavailablePackages);
        var ids = back.Components.Select(c => c.BulletinId).ToList();
        foreach (var id in new[] { "ESXi_7.0.0-1.0.15843807", "Intel-i40en_1.8.1.16-1vmw.700.1.0.15843807", "Intel-ne1000_0.8.4-10vmw.700.1.0.15843807",
                                   "VMware-ahci_1.3.9-1vmw.700.1.0.15843807" })
            Assert.Contains(id, ids);
        // Every package is in exactly one component (real ones, or one of its own: bootcfg, esx-update, loadesx, qlnativefc).
        var covering = profile.Packages.ToDictionary(v => v.Id, v => back.Components.Count(c => c.VibIds.Contains(v.Id)));
        Assert.All(covering, kv => Assert.Equal(1, kv.Value));
        Assert.Equal(4 + 4, back.Components.Count);
        // The reserved component is not one of the bundle's (its VIB is not exported).
        Assert.DoesNotContain("MRVL-QLogic-FC_4.0.1.0-3vmw.700.1.0.15843807", ids);
    }

    [CorpusFact]
    public void A_cloned_profile_exports_to_the_same_bytes_whenever_it_was_cloned()
    {
        using var tmp = new TempDir();
        var fx = RealDescriptorDepot.Create(tmp.File("depot"));
        var depot = DepotReader.Open(fx.BundlePath);
        var source = depot.Profiles.Single();
        string Build(DateTimeOffset cloneTime, string name)
        {
            var clone = new ProfileEditor(() => cloneTime).Clone(source, "ESXi-7.0.0-custom", "Contoso");
            var path = tmp.File(name);
            IsoExporter.Export(clone, new IsoExportOptions { NoSignatureCheck = true, Destination = path, Timestamp = Stamp, Catalog = depot.Packages });
            return path;
        }
        var a = Build(DateTimeOffset.UtcNow, "a.iso");
        var b = Build(DateTimeOffset.UtcNow.AddHours(3), "b.iso");
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    private static string Text(IsoReader r, string path) => Encoding.ASCII.GetString(IsoContents.ReadFile(r, path));
}
