using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using ICSharpCode.SharpZipLib.Checksum;
using ICSharpCode.SharpZipLib.Zip;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// Builds offline bundles for tests, shaped like VIB2ZIP / vibpublish output: index.xml,
/// vendor-index.xml, a metadata zip (vmware.xml, vendor-index.xml, vibs/, bulletins/, profiles/) and the VIBs
/// (under vib20/&lt;name&gt;/ by default). Every part can be replaced or dropped to build bad input.
/// </summary>
public sealed class BundleBuilder
{
    private sealed class VibItem
    {
        public string DescriptorXml;
        public string FilePath;
        public byte[] Bytes;
        public string RelativePath;
        public bool IncludeFile = true;
        public string Id;
        public string Name;
        public string DeclaredSha256;
    }

    private readonly List<VibItem> _vibs = new();
    private readonly List<(string Name, string Xml)> _bulletins = new();
    private readonly List<(string Name, string Xml)> _profiles = new();
    private readonly List<(string Name, byte[] Bytes)> _extraMetadata = new();
    private readonly List<(string Name, byte[] Bytes)> _extraEntries = new();
    private readonly List<(string Name, long Size)> _zeroEntries = new();

    public string VendorName { get; set; } = "TestVendor";
    public string VendorCode { get; set; } = "TST";
    public string MetadataName { get; set; } = "metadata.zip";
    /// <summary>Place VIBs at the bundle root (VIB2ZIP) instead of vib20/&lt;name&gt;/.</summary>
    public bool VibsAtRoot { get; set; }
    /// <summary>Replaces index.xml (null: generated; "" : left out).</summary>
    public string IndexXml { get; set; }
    /// <summary>Replaces vendor-index.xml (null: generated; "": left out).</summary>
    public string VendorIndexXml { get; set; }
    /// <summary>Replaces the metadata zip bytes (null: generated; empty: left out).</summary>
    public byte[] MetadataBytes { get; set; }
    public string IndexFileName { get; set; } = "index.xml";

    /// <summary>Adds a VIB from bytes. <paramref name="descriptorXml"/> is its descriptor.xml text.</summary>
    public BundleBuilder AddVib(string descriptorXml, byte[] vibBytes, string relativePath = null, bool includeFile = true, string declaredSha256 = null)
        => Add(new VibItem { DescriptorXml = descriptorXml, Bytes = vibBytes, RelativePath = relativePath, IncludeFile = includeFile, DeclaredSha256 = declaredSha256 });

    /// <summary>Adds a VIB from a file (streamed into the bundle; for large fixtures).</summary>
    public BundleBuilder AddVibFile(string descriptorXml, string vibPath, string relativePath = null)
        => Add(new VibItem { DescriptorXml = descriptorXml, FilePath = vibPath, RelativePath = relativePath });

    /// <summary>Adds a built .vib (e.g. from <see cref="VibFixtures.Build(string, ESXiImageTools.Core.Packages.Vib, ValueTuple{string, string, byte[]}[])"/>), reading its descriptor.xml member.</summary>
    public BundleBuilder AddBuiltVib(string vibPath, string relativePath = null, bool includeFile = true)
        => AddVib(DescriptorOf(vibPath), File.ReadAllBytes(vibPath), relativePath, includeFile);

    /// <summary>The descriptor.xml text of a .vib (its first ar member).</summary>
    public static string DescriptorOf(string vibPath)
    {
        using var fs = File.OpenRead(vibPath);
        var m = ESXiImageTools.Core.Packages.VibFile.ListMembers(fs, vibPath).First(x => x.Name == ESXiImageTools.Core.Packages.VibFile.DescriptorMember);
        fs.Position = m.DataOffset;
        var buf = new byte[m.Size];
        fs.ReadExactly(buf);
        return Encoding.UTF8.GetString(buf);
    }

    private BundleBuilder Add(VibItem item)
    {
        var d = XDocument.Parse(item.DescriptorXml).Root;
        string T(string n) => d.Elements().FirstOrDefault(e => e.Name.LocalName == n)?.Value.Trim() ?? "";
        item.Name = T("name");
        item.Id = $"{T("vendor")}_{(T("type").Length == 0 ? "bootbank" : T("type"))}_{item.Name}_{T("version")}";
        item.RelativePath ??= VibsAtRoot ? item.Id + ".vib" : $"vib20/{item.Name}/{item.Id}.vib";
        _vibs.Add(item);
        return this;
    }

    /// <summary>VIB ids added so far.</summary>
    public IReadOnlyList<string> VibIds => _vibs.Select(v => v.Id).ToList();

    /// <summary>Adds a bulletin naming VIB ids (a component when name and version are given).</summary>
    public BundleBuilder AddBulletin(string id, IEnumerable<string> vibIds, string componentName = null, string componentVersion = null, string vendor = null)
    {
        var b = new XElement("bulletin",
            new XElement("id", id), new XElement("vendor", vendor ?? VendorName), new XElement("summary", "summary of " + id),
            new XElement("severity", "general"), new XElement("category", "enhancement"), new XElement("urgency", "important"),
            new XElement("releaseType", "extension"), new XElement("description", "bulletin " + id),
            new XElement("kbUrl", "http://kb.example.invalid"), new XElement("contact", "test@example.invalid"));
        if (componentName != null)
        {
            b.Add(new XElement("componentNameSpec", new XAttribute("name", componentName), new XAttribute("uiString", componentName + " UI")));
            b.Add(new XElement("componentVersionSpec", new XAttribute("version", componentVersion), new XAttribute("uiString", componentVersion)));
        }
        b.Add(new XElement("releaseDate", "2022-05-24T06:49:12.459000+00:00"),
            new XElement("platforms", new XElement("softwarePlatform", new XAttribute("locale", ""), new XAttribute("version", "7.0"), new XAttribute("productLineID", "embeddedEsx"))),
            new XElement("vibList", vibIds.Select(v => new XElement("vibID", v))));
        _bulletins.Add(("bulletins/" + id + ".xml", b.ToString(SaveOptions.DisableFormatting)));
        return this;
    }

    /// <summary>Adds a metadata profile listing VIB ids.</summary>
    public BundleBuilder AddProfile(string name, string creator, IEnumerable<string> vibIds, string acceptance = "partner", string description = "test profile", params XElement[] extra)
    {
        var p = new XElement("imageprofile",
            new XElement("name", name), new XElement("creator", creator), new XElement("description", description),
            new XElement("creationtime", "2023-01-02T03:04:05.000000+00:00"), new XElement("modifiedtime", "2023-02-03T04:05:06.000000+00:00"),
            new XElement("acceptancelevel", acceptance), new XElement("readonly", "true"), new XElement("profileID", "id-" + name),
            new XElement("viblist", vibIds.Select(v => new XElement("vib", new XElement("vib-id", v)))), extra);
        _profiles.Add(("profiles/" + name + ".xml", p.ToString(SaveOptions.DisableFormatting)));
        return this;
    }

    /// <summary>Adds a raw metadata-zip entry (e.g. baseimages/x.json, or a bad name).</summary>
    public BundleBuilder AddMetadataEntry(string name, byte[] bytes) { _extraMetadata.Add((name, bytes)); return this; }
    public BundleBuilder AddMetadataEntry(string name, string text) => AddMetadataEntry(name, Encoding.UTF8.GetBytes(text));

    /// <summary>Adds a raw bundle entry (any name, including unsafe ones).</summary>
    public BundleBuilder AddEntry(string name, byte[] bytes) { _extraEntries.Add((name, bytes)); return this; }

    /// <summary>
    /// Adds an entry of <paramref name="size"/> zero bytes, stored, written first so every other entry lies beyond
    /// it (a filler of over 4 GiB makes a zip64 bundle). <see cref="Write"/> leaves it as a hole in a sparse file.
    /// </summary>
    public BundleBuilder AddZeroEntry(string name, long size) { _zeroEntries.Add((name, size)); return this; }

    public string BuildIndexXml() => IndexXml ?? new XElement("vendorList", new XElement("vendor",
        new XElement("name", VendorName), new XElement("code", VendorCode), new XElement("indexfile", "vendor-index.xml"),
        new XElement("patchUrl", ""), new XElement("relativePath", ""),
        new XElement("content", new XElement("name", "VMware ESX"), new XElement("type", "http://www.vmware.com/depotmanagement/esx")))).ToString();

    public string BuildVendorIndexXml() => VendorIndexXml ?? new XElement("metaList", new XElement("metadata",
        new XElement("productId", "embeddedEsx"), new XElement("version", "7.0"), new XElement("locale", ""),
        new XElement("url", MetadataName), new XElement("channelName", "default"))).ToString();

    /// <summary>The metadata zip bytes (vmware.xml kept minimal: readers use vibs/ and bulletins/).</summary>
    public byte[] BuildMetadataZip()
    {
        if (MetadataBytes != null) return MetadataBytes;
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            Text(zip, "vendor-index.xml", BuildVendorIndexXml());
            Text(zip, "vmware.xml", new XElement("metadataResponse", new XElement("version", "3.0"), new XElement("timestamp", "2023-01-01T00:00:00.000000")).ToString());
            int i = 0;
            foreach (var v in _vibs)
            {
                var (sha, size) = HashOf(v);
                var d = XDocument.Parse(v.DescriptorXml).Root;
                d.Add(new XElement("relative-path", v.RelativePath), new XElement("packed-size", size),
                      new XElement("checksum", new XAttribute("checksum-type", "sha-256"), v.DeclaredSha256 ?? sha));
                Text(zip, $"vibs/{v.Name}-{1000000000 + i++}.xml", d.ToString(SaveOptions.DisableFormatting));
            }
            foreach (var (n, x) in _bulletins) Text(zip, n, x);
            foreach (var (n, x) in _profiles) Text(zip, n, x);
            foreach (var (n, b) in _extraMetadata) Bytes(zip, n, b);
        }
        return ms.ToArray();
    }

    /// <summary>Writes the bundle zip: .vib files and zero fillers stored, the rest deflated. SharpZipLib's writer, not
    /// ZipArchive (whose .NET Framework build deflates NoCompression entries), and independent of the engine's own.</summary>
    public void Write(string zipPath)
    {
        using var fs = new SparseFileStream(zipPath);
        using var zip = new ZipOutputStream(fs) { UseZip64 = UseZip64.Dynamic, IsStreamOwner = false, NameTransform = new RawNames() };
        var zeros = new byte[1024 * 1024];
        foreach (var (name, size) in _zeroEntries)
        {
            var crc = new Crc32();
            for (long left = size; left > 0; left -= zeros.Length) crc.Update(new ArraySegment<byte>(zeros, 0, (int)Math.Min(zeros.Length, left)));
            zip.PutNextEntry(new ZipEntry(name) { CompressionMethod = CompressionMethod.Stored, Size = size, Crc = crc.Value, DateTime = EntryTime });
            for (long left = size; left > 0; left -= zeros.Length) zip.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
            zip.CloseEntry();
        }
        foreach (var (name, write) in Parts())
        {
            var data = new MemoryStream();
            write(data);
            var crc = new Crc32();
            crc.Update(new ArraySegment<byte>(data.GetBuffer(), 0, (int)data.Length));
            var store = name.EndsWith(".vib", StringComparison.Ordinal);
            zip.PutNextEntry(new ZipEntry(name) { CompressionMethod = store ? CompressionMethod.Stored : CompressionMethod.Deflated, Size = data.Length, Crc = crc.Value, DateTime = EntryTime });
            data.WriteTo(zip);
            zip.CloseEntry();
        }
        zip.Finish();
    }

    private static readonly DateTime EntryTime = new DateTime(2024, 1, 1);

    /// <summary>Entry names exactly as given: hostile-name tests need "/etc/evil.vib" and "../x" kept.</summary>
    private sealed class RawNames : ICSharpCode.SharpZipLib.Core.INameTransform
    {
        public string TransformDirectory(string name) => name;
        public string TransformFile(string name) => name;
    }

    /// <summary>Writes the bundle's files into a folder (an online depot's layout).</summary>
    public void WriteUnpacked(string dir)
    {
        foreach (var (name, write) in Parts())
        {
            var p = Path.Combine(dir, name.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(p));
            using var s = File.Create(p);
            write(s);
        }
    }

    private IEnumerable<(string Name, Action<Stream> Write)> Parts()
    {
        var index = BuildIndexXml();
        if (index.Length > 0) yield return (IndexFileName, s => W(s, index));
        var vi = BuildVendorIndexXml();
        if (vi.Length > 0) yield return ("vendor-index.xml", s => W(s, vi));
        var md = BuildMetadataZip();
        if (md.Length > 0) yield return (MetadataName, s => s.Write(md, 0, md.Length));
        foreach (var v in _vibs.Where(v => v.IncludeFile))
        {
            var item = v;
            yield return (item.RelativePath, s =>
            {
                if (item.Bytes != null) s.Write(item.Bytes, 0, item.Bytes.Length);
                else using (var f = File.OpenRead(item.FilePath)) f.CopyTo(s);
            });
        }
        foreach (var (n, b) in _extraEntries) yield return (n, s => s.Write(b, 0, b.Length));
    }

    private static (string Sha, long Size) HashOf(VibItem v)
    {
        using var sha = SHA256.Create();
        if (v.Bytes != null) return (Hex(sha.ComputeHash(v.Bytes)), v.Bytes.Length);
        using var f = File.OpenRead(v.FilePath);
        return (Hex(sha.ComputeHash(f)), f.Length);
    }

    public static string Hex(byte[] b) => TestBytes.Hex(b);
    public static string Sha256(byte[] b) { using var sha = SHA256.Create(); return Hex(sha.ComputeHash(b)); }

    private static void W(Stream s, string text) { var b = Encoding.UTF8.GetBytes(text); s.Write(b, 0, b.Length); }
    private static void Text(ZipArchive zip, string name, string text) => Bytes(zip, name, Encoding.UTF8.GetBytes(text));
    private static void Bytes(ZipArchive zip, string name, byte[] bytes)
    {
        using var s = zip.CreateEntry(name).Open();
        s.Write(bytes, 0, bytes.Length);
    }
}
