using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Bench;

/// <summary>
/// Builds an ESXi-shaped offline bundle of about <c>megabytes</c> MB for the export benchmark (bench/export-iso.sh):
/// an esx-base with boot payloads, a large tardisk and the boot loader, five large packages and 100 small
/// drivers (the same 106 packages at every size), and one profile over all of them. Payloads are gzip'd random bytes, so they
/// do not compress; with <c>compressible</c> their files hold the bytes of the running .NET runtime's own files (machine
/// code and metadata, as real tardisks hold), which gzip to about a third to a half, so an export inflates two to three
/// times the bytes it copies, as with real media.
/// Also writes the boot-loader files and every payload as plain files under <c>loose/</c> for the baseline.
/// </summary>
public static class ExportDepotGenerator
{
    public const string ProfileName = "ESXi-8.0.0-bench-standard";

    public static void Run(string dir, int megabytes, bool compressible = false)
    {
        _compressible = compressible;
        Directory.CreateDirectory(dir);
        var vibDir = Path.Combine(dir, "vibs");
        Directory.CreateDirectory(vibDir);
        var rng = new Random(42);
        long budget = (long)megabytes << 20;
        var vibs = new List<Vib>();

        var loader = new List<(string Path, byte[] Content)>
        {
            ("usr/lib/vmware/isolinux/isolinux.bin", File.Exists("/usr/lib/ISOLINUX/isolinux.bin") ? File.ReadAllBytes("/usr/lib/ISOLINUX/isolinux.bin") : Random(rng, 38912)),
            ("usr/lib/vmware/isolinux/mboot.c32", Random(rng, 70000)),
            ("usr/lib/vmware/isolinux/menu.c32", Random(rng, 60000)),
            ("usr/lib/vmware/efiboot/efiboot.img", Random(rng, 2880 * 1024)),
            ("usr/lib/vmware/efiboot/efi/boot/bootx64.efi", Random(rng, 1 << 20)),
        };
        long big = budget * 38 / 100;
        var baseMeta = new Vib
        {
            Name = "esx-base", Vendor = "VMware", Version = VibVersion.Parse("8.0.0-1.0.20513097"),
            AcceptanceLevel = AcceptanceLevel.PartnerSupported, ReleaseDate = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Provides = new[] { new Provide("vmkapi_2_10_0_0"), new Provide("esx-version", VibVersion.Parse("8.0.0")) },
            SoftwarePlatforms = new[] { new SoftwarePlatform("8.0.0", "", "embeddedEsx") },
            FileList = loader.Select(l => l.Path).ToList(),
            Payloads = new[]
            {
                new Payload { Name = "b", Type = "boot", BootOrder = 1 }, new Payload { Name = "k", Type = "boot", BootOrder = 2 },
                new Payload { Name = "s", Type = "vgz" }, new Payload { Name = "btldr", Type = "vgz" },
            },
        };
        vibs.Add(Write(vibDir, baseMeta, new[]
        {
            PayloadSource.FromBytes("b", Random(rng, 2 << 20)),
            PayloadSource.FromBytes("k", Random(rng, 1 << 20)),
            PayloadSource.FromFile("s", GzipRandom(Path.Combine(dir, "s.tmp"), rng, big)),
            PayloadSource.FromBytes("btldr", VmTar.Build(loader, gzip: true)),
        }));
        long used = big + (3 << 20);
        var largeSizes = new[] { 0.15, 0.10, 0.08, 0.05, 0.05 };
        int n = 0;
        foreach (var share in largeSizes)
        {
            long size = (long)(budget * share);
            vibs.Add(Driver(vibDir, dir, rng, $"big{n++}", size));
            used += size;
        }
        // A fixed number of small drivers whatever the size, so runs at different sizes differ in payload
        // bytes only (memory is then compared at equal package counts).
        const int smallDrivers = 100;
        long perDriver = Math.Max(16 * 1024, (budget - used) / smallDrivers);
        for (int i = 0; i < smallDrivers; i++)
        {
            long size = perDriver / 2 + (long)(rng.NextDouble() * perDriver);
            vibs.Add(Driver(vibDir, dir, rng, $"drv{i:000}", size));
            used += size;
        }
        var profile = new ImageProfile
        {
            Name = ProfileName, Vendor = "Bench", AcceptanceLevel = AcceptanceLevel.PartnerSupported,
            CreationTime = baseMeta.ReleaseDate.Value, ModifiedTime = baseMeta.ReleaseDate.Value, Packages = vibs,
        };
        using (var fs = File.Create(Path.Combine(dir, "bench-depot.zip")))
            BundleWriter.Write(fs, new BundleContent { VendorName = "Bench", Packages = vibs, Profiles = new[] { profile } }, baseMeta.ReleaseDate.Value);

        // For the baseline: the boot-loader files as plain files (a two-step user would have them from a previous extraction).
        var boot = Path.Combine(dir, "bootfiles");
        Directory.CreateDirectory(boot);
        File.WriteAllBytes(Path.Combine(boot, "ISOLINUX.BIN"), loader[0].Content);
        File.WriteAllBytes(Path.Combine(boot, "MBOOT.C32"), loader[1].Content);
        File.WriteAllBytes(Path.Combine(boot, "MENU.C32"), loader[2].Content);
        File.WriteAllBytes(Path.Combine(boot, "EFIBOOT.IMG"), loader[3].Content);
        foreach (var f in Directory.GetFiles(dir, "*.tmp")) File.Delete(f);
        Directory.Delete(vibDir, true);
        Console.WriteLine($"{Path.Combine(dir, "bench-depot.zip")}: {vibs.Count} packages, {vibs.Sum(v => v.Payloads.Sum(p => p.Size)) >> 20} MiB of payloads, profile {ProfileName}");
    }

    private static Vib Driver(string vibDir, string dir, Random rng, string name, long size)
    {
        var meta = new Vib
        {
            Name = name, Vendor = "BenchVendor", Version = VibVersion.Parse("1.0.0-1OEM.800.1.0.20613240"),
            AcceptanceLevel = AcceptanceLevel.PartnerSupported, ReleaseDate = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            Depends = new[] { new Constraint("vmkapi_2_10_0_0") },
            Payloads = new[] { new Payload { Name = name, Type = "vgz" } },
        };
        return Write(vibDir, meta, new[] { PayloadSource.FromFile(name, GzipRandom(Path.Combine(dir, name + ".tmp"), rng, size)) });
    }

    private static Vib Write(string vibDir, Vib meta, IEnumerable<PayloadSource> payloads)
        => VibWriter.WriteFile(meta, payloads, Path.Combine(vibDir, meta.Id + ".vib"));

    private static bool _compressible;

    /// <summary>The files of the running .NET runtime's folder, cycled through in name order: real binaries that compress as real payloads do.</summary>
    private static class RuntimeBytes
    {
        private static readonly string[] Files = Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location))
            .OrderBy(f => f, StringComparer.Ordinal).ToArray();
        private static int _next;
        private static Stream _current;

        public static void Fill(byte[] buffer)
        {
            for (int got = 0; got < buffer.Length;)
            {
                _current ??= File.OpenRead(Files[_next++ % Files.Length]);
                int n = _current.Read(buffer, got, buffer.Length - got);
                if (n == 0) { _current.Dispose(); _current = null; }
                got += n;
            }
        }
    }

    private static byte[] Random(Random rng, int size)
    {
        var b = new byte[size];
        rng.NextBytes(b);
        return b;
    }

    /// <summary>
    /// A vgz payload (gzip'd vmtar) holding one file of <paramref name="size"/> random bytes, written to
    /// <paramref name="path"/>; random data does not compress, so the payload is about that size.
    /// </summary>
    private static string GzipRandom(string path, Random rng, long size)
    {
        var raw = path + ".raw";
        if (_compressible) size = size * 5 / 2;   // gzip shrinks it: the stored payload keeps about its share of the budget
        using (var fs = File.Create(raw))
        {
            var buffer = new byte[1 << 20];
            for (long left = size; left > 0; left -= buffer.Length)
            {
                if (_compressible) RuntimeBytes.Fill(buffer);
                else rng.NextBytes(buffer);
                fs.Write(buffer, 0, (int)Math.Min(buffer.Length, left));
            }
        }
        using (var outFile = File.Create(path))
            VmTar.Write(outFile, new[] { VmTarInput.File("usr/lib/vmware/" + Path.GetFileNameWithoutExtension(path) + ".bin", size, () => File.OpenRead(raw)) }, gzip: true);
        File.Delete(raw);
        return path;
    }
}
