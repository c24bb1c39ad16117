using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;

namespace ESXiImageTools.Core.Tests.Authoring;

/// <summary>Inputs for the authoring tests: generated OEM.tgz files, raw tar headers for hostile cases, and corpus VIBs.</summary>
internal static class AuthoringFixtures
{
    public static readonly DateTimeOffset Date = new(2024, 3, 4, 5, 6, 7, TimeSpan.Zero);

    /// <summary>The three files of a community driver's OEM.tgz.</summary>
    public static (string Path, byte[] Content)[] OemFiles(string module = "foo") => new[]
    {
        ($"usr/lib/vmware/vmkmod/{module}", Encoding.ASCII.GetBytes(new string('M', 5000) + module)),
        ($"etc/vmware/driver.map.d/{module}.map", Encoding.ASCII.GetBytes($"regtype=native,bus=pci,id=10ec:8168,driver={module}\n")),
        ($"usr/share/hwdata/driver.pciids.d/{module}.ids", Encoding.ASCII.GetBytes("10ec  Realtek\n\t8168  RTL8111/8168\n")),
    };

    /// <summary>An OEM.tgz written with the project's tar.gz writer (folders first, like the real ones).</summary>
    public static string OemTgz(string dir, string module = "foo")
    {
        var path = System.IO.Path.Combine(dir, module + "-OEM.tgz");
        using var fs = File.Create(path);
        using var tar = new TarGzWriter(fs, Date);
        foreach (var d in new[] { "etc/", "etc/vmware/", "etc/vmware/driver.map.d/", "usr/", "usr/lib/", "usr/lib/vmware/", "usr/lib/vmware/vmkmod/",
                                  "usr/share/", "usr/share/hwdata/", "usr/share/hwdata/driver.pciids.d/" })
            tar.AddDirectory(d);
        foreach (var (p, c) in OemFiles(module)) tar.AddFile(p, c);
        return path;
    }

    /// <summary>A plain ustar archive from raw entries (name, type flag, content, link target): for names our writer would never emit.</summary>
    public static byte[] RawTar(params (string Name, char Flag, byte[] Content, string Link)[] entries)
    {
        var ms = new MemoryStream();
        foreach (var (name, flag, content, link) in entries)
        {
            var h = new byte[512];
            Encoding.ASCII.GetBytes(name).CopyTo(h, 0);
            Encoding.ASCII.GetBytes("0000644\0").CopyTo(h, 100);
            Encoding.ASCII.GetBytes("0000000\0").CopyTo(h, 108);
            Encoding.ASCII.GetBytes("0000000\0").CopyTo(h, 116);
            Encoding.ASCII.GetBytes(Convert.ToString(content?.Length ?? 0, 8).PadLeft(11, '0') + "\0").CopyTo(h, 124);
            Encoding.ASCII.GetBytes("00000000000\0").CopyTo(h, 136);
            h[156] = (byte)flag;
            if (link != null) Encoding.ASCII.GetBytes(link).CopyTo(h, 157);
            Encoding.ASCII.GetBytes("ustar\0").CopyTo(h, 257);
            Encoding.ASCII.GetBytes("00").CopyTo(h, 263);
            for (int i = 148; i < 156; i++) h[i] = (byte)' ';
            long sum = h.Sum(b => (long)b);
            Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(h, 148);
            ms.Write(h, 0, 512);
            if (content != null && content.Length > 0)
            {
                ms.Write(content, 0, content.Length);
                ms.Write(new byte[(512 - content.Length % 512) % 512], 0, (512 - content.Length % 512) % 512);
            }
        }
        ms.Write(new byte[1024], 0, 1024);
        return ms.ToArray();
    }

    /// <summary>The single VIB of a corpus bundle (VIB2ZIP and VIB Author bundles hold one each).</summary>
    public static Vib CorpusBundleVib(params string[] path) => DepotReader.Open(Corpus.Path(path)).Packages.Single();

    /// <summary>The bytes of a VIB's only payload.</summary>
    public static byte[] PayloadBytes(Vib vib)
    {
        using var s = vib.Content.OpenPayload(vib.Payloads.Single());
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>The raw descriptor.xml member of a .vib.</summary>
    public static byte[] DescriptorBytes(Func<Stream> openVib)
    {
        using var s = openVib();
        var members = VibFile.ListMembers(s, "vib");
        var d = members.First(m => m.Name == VibFile.DescriptorMember);
        using var s2 = openVib();
        var all = new MemoryStream();
        s2.CopyTo(all);
        return all.ToArray().Skip((int)d.DataOffset).Take((int)d.Size).ToArray();
    }

    /// <summary>Top-level element names of a descriptor, in order (comments skipped).</summary>
    public static IReadOnlyList<string> ElementOrder(byte[] descriptor)
        => XDocument.Parse(Encoding.UTF8.GetString(descriptor)).Root.Elements().Select(e => e.Name.LocalName).ToList();

    /// <summary>The regular files a payload installs, sorted.</summary>
    public static IReadOnlyList<string> PayloadFiles(Vib vib)
    {
        var p = vib.Payloads.Single();
        using var s = vib.Content.OpenPayload(p);
        return PayloadContents.List(p, s, vib.Source).Where(e => e.Type == PayloadEntryType.File).Select(e => e.Path).OrderBy(x => x, StringComparer.Ordinal).ToList();
    }

    public static string Sha256(string file) => VibVerifier.Sha256OfFile(file);
}
