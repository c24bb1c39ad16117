using System;
using System.Collections.Generic;
using System.IO;
using ESXiImageTools.Core.Iso;

namespace ESXiImageTools.Core.Tests.Iso;

/// <summary>Deterministic in-memory sources and small image recipes shared by the ISO tests.</summary>
internal static class IsoTestData
{
    public static readonly DateTimeOffset Timestamp = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public static byte[] Bytes(int size, int seed)
    {
        var b = new byte[size];
        new Random(seed).NextBytes(b);
        return b;
    }

    /// <summary>Adds an in-memory file; the opener hands out a fresh stream each time.</summary>
    public static IsoBuilder Add(this IsoBuilder b, string path, byte[] content)
        => b.AddFile(path, content.Length, () => new MemoryStream(content, writable: false));

    /// <summary>An ESXi-like little tree with a fake BIOS boot file and EFI image, both boot entries set.</summary>
    public static (IsoBuilder Builder, Dictionary<string, byte[]> Files) SmallBootable()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["ISOLINUX.BIN"] = Bytes(38_912, 1),
            ["EFIBOOT.IMG"] = Bytes(2880 * 1024, 2),
            ["BOOT.CFG"] = System.Text.Encoding.ASCII.GetBytes("kernel=/b.b00\nmodules=/jumpstrt.gz --- /s.v00\n"),
            ["B.B00"] = Bytes(100_000, 3),
            ["S.V00"] = Bytes(1_234_567, 4),
            ["EMPTY.TXT"] = Array.Empty<byte>(),
            ["README"] = Bytes(10, 5),
            ["EFI/BOOT/BOOTX64.EFI"] = Bytes(50_000, 6),
            ["EFI/BOOT/BOOT.CFG"] = Bytes(300, 7),
            ["UPGRADE/PRECHECK.PY"] = Bytes(4096, 8),
        };
        var b = new IsoBuilder(Timestamp) { VolumeId = "ESXI-TEST-1.0" };
        foreach (var kv in files) b.Add(kv.Key, kv.Value);
        b.AddDirectory("EMPTYDIR");
        b.BiosBoot = new IsoBiosBoot { Path = "ISOLINUX.BIN" };
        b.EfiBoot = new IsoEfiBoot { Path = "EFIBOOT.IMG" };
        return (b, files);
    }

    public static byte[] Build(IsoBuilder b)
    {
        var ms = new MemoryStream();
        b.WriteTo(ms);
        return ms.ToArray();
    }

    public static string ReadAll(Stream s)
    {
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    public static byte[] ReadBytes(Stream s)
    {
        using (s)
        {
            var ms = new MemoryStream();
            s.CopyTo(ms);
            return ms.ToArray();
        }
    }
}
