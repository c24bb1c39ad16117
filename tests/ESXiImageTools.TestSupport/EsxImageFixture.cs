using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// A small synthetic ESXi base image built with the project's own writers: an esx-base package with boot
/// payloads (kernel 'b', 'k'), a tardisk 's' and a 'btldr' payload carrying the boot-loader files, plus
/// driver packages, and a PartnerSupported profile over them.
/// </summary>
public sealed class EsxImageFixture
{
    public string Directory { get; }
    public Vib Base { get; }
    public IReadOnlyList<Vib> Drivers { get; }
    public ImageProfile Profile { get; }
    public IReadOnlyList<Vib> All => new[] { Base }.Concat(Drivers).ToList();

    private EsxImageFixture(string dir, Vib @base, IReadOnlyList<Vib> drivers, ImageProfile profile)
    {
        Directory = dir;
        Base = @base;
        Drivers = drivers;
        Profile = profile;
    }

    /// <summary>Boot-loader file contents by payload path; tests may replace them (e.g. with real boot programs).</summary>
    public static Dictionary<string, byte[]> DefaultBootLoader() => new()
    {
        ["usr/lib/vmware/isolinux/isolinux.bin"] = Filler("ISOLINUX", 4096),
        ["usr/lib/vmware/isolinux/mboot.c32"] = Filler("MBOOT", 3000),
        ["usr/lib/vmware/isolinux/menu.c32"] = Filler("MENU", 2000),
        ["usr/lib/vmware/efiboot/efiboot.img"] = Filler("EFIBOOT", 8192),
        ["usr/lib/vmware/efiboot/efi/boot/bootx64.efi"] = Filler("BOOTX64", 1500),
    };

    public static byte[] Filler(string tag, int size)
    {
        var b = new byte[size];
        var t = Encoding.ASCII.GetBytes(tag);
        for (int i = 0; i < size; i++) b[i] = (byte)(i < t.Length ? t[i] : (i * 31 + tag.Length) & 0xff);
        return b;
    }

    public static EsxImageFixture Create(string dir, Dictionary<string, byte[]> bootLoader = null, bool withBootLoader = true)
    {
        System.IO.Directory.CreateDirectory(dir);
        var loader = bootLoader ?? DefaultBootLoader();
        var payloads = new List<(string, string, byte[])>
        {
            ("b", "boot", Filler("KERNEL", 10000)),
            ("k", "boot", Filler("VMKBOOT", 5000)),
            ("s", "vgz", VibFixtures.Vgz(("bin/busybox", Filler("BUSYBOX", 7000)), ("etc/vmware/esx.conf", Encoding.ASCII.GetBytes("x=1\n")))),
        };
        if (withBootLoader) payloads.Add(("btldr", "vgz", VibFixtures.Vgz(loader.Select(kv => (kv.Key, kv.Value)).ToArray())));
        var meta = VibFixtures.Metadata("esx-base", "8.0.0-1.0.20513097", "VMware", AcceptanceLevel.PartnerSupported,
            provides: new[] { new Provide("vmkapi_2_10_0_0"), new Provide("esx-version", VibVersion.Parse("8.0.0")) });
        meta = meta with
        {
            SoftwarePlatforms = new[] { new SoftwarePlatform("8.0.0", "", "embeddedEsx") },
            FileList = withBootLoader ? loader.Keys.Concat(new[] { "bin/busybox", "etc/vmware/esx.conf" }).ToList() : new List<string> { "bin/busybox" },
            Payloads = new[]
            {
                new Payload { Name = "b", Type = "boot", BootOrder = 1 },
                new Payload { Name = "k", Type = "boot", BootOrder = 2 },
                new Payload { Name = "s", Type = "vgz" },
            }.Concat(withBootLoader ? new[] { new Payload { Name = "btldr", Type = "vgz" } } : Array.Empty<Payload>()).ToList(),
        };
        var (_, baseVib) = VibFixtures.Build(dir, meta, payloads.ToArray());
        var drivers = new List<Vib>();
        foreach (var (name, ver) in new[] { ("net-sample", "1.0.0-1OEM.800.1.0.20613240"), ("nvme-sample", "2.1.0-1OEM.800.1.0.20613240") })
        {
            var m = VibFixtures.Metadata(name, ver, "SampleVendor", AcceptanceLevel.PartnerSupported,
                depends: new[] { new Constraint("vmkapi_2_10_0_0") });
            var short8 = VibFixtures.Short(name.Replace('-', '_'));
            var (_, v) = VibFixtures.Build(dir, m, (short8, "vgz", VibFixtures.Vgz(($"usr/lib/vmware/vmkmod/{name}", Filler(name, 3000)))));
            drivers.Add(v);
        }
        var when = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var profile = new ImageProfile
        {
            Name = "ESXi-8.0.0-fixture-standard",
            Vendor = "Fixture, Inc.",
            Description = "synthetic base image for tests",
            AcceptanceLevel = AcceptanceLevel.PartnerSupported,
            CreationTime = when,
            ModifiedTime = when,
            Packages = new[] { baseVib }.Concat(drivers).ToList(),
        };
        return new EsxImageFixture(dir, baseVib, drivers, profile);
    }
}
