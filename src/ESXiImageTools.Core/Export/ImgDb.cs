using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// IMGDB.TGZ, the image database an installer reads: each package's descriptor under
/// <c>var/db/esximg/vibs/</c>, the profile's components under <c>bulletins/</c> and its reserved components under
/// <c>reservedComponents/</c> (as a real 7.0.0 database has them, docs/formats-notes.md; one
/// <c>&lt;bulletin id&gt;.xml</c> each), and the profile, with its payload → file-name map, under <c>profiles/</c>.
/// </summary>
public static class ImgDb
{
    /// <summary>Writes IMGDB.TGZ for <paramref name="profile"/> whose payloads are placed as <paramref name="files"/>.</summary>
    public static void Write(Stream output, ImageProfile profile, IReadOnlyList<IsoPayloadFile> files, DateTimeOffset timestamp,
                             ImageComponents components = null)
    {
        components ??= ImageComponents.Empty;
        var byVib = files.GroupBy(f => f.Package.Id).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        using var tar = new TarGzWriter(output, timestamp);
        tar.AddDirectory("var");
        tar.AddDirectory("var/db");
        tar.AddDirectory("var/db/esximg");
        tar.AddDirectory(EsxImageLayout.VibsDir);
        tar.AddDirectory(EsxImageLayout.BulletinsDir);
        tar.AddDirectory(EsxImageLayout.ReservedComponentsDir);
        tar.AddDirectory(EsxImageLayout.ProfilesDir);
        foreach (var vib in profile.Packages.OrderBy(v => v.Id, StringComparer.Ordinal))
            tar.AddFile(EsxImageLayout.VibsDir + VibFileName(vib), VibDescriptorWriter.ToBytes(vib));
        foreach (var b in components.Components)
            tar.AddFile(EsxImageLayout.BulletinsDir + Sanitize(b.Id) + ".xml", BulletinXmlWriter.ToBytes(b));
        foreach (var b in components.Reserved)
            tar.AddFile(EsxImageLayout.ReservedComponentsDir + Sanitize(b.Id) + ".xml", BulletinXmlWriter.ToBytes(b));
        tar.AddFile(EsxImageLayout.ProfilesDir + ProfileFileName(profile.Name), ProfileBytes(profile, files));
    }

    /// <summary>The profile XML with its payload → file-name map (IMGDB and the ISO's UPGRADE/PROFILE.XML).</summary>
    public static byte[] ProfileBytes(ImageProfile profile, IReadOnlyList<IsoPayloadFile> files)
    {
        var byVib = files.GroupBy(f => f.Package.Id).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var profileXml = new MemoryStream();
        ProfileXml.WriteTo(profileXml, profile, vib =>
            byVib.TryGetValue(vib.Id, out var list)
                ? list.Select(f => new ProfilePayloadFile(f.Payload.Name, f.FileName)).ToList()
                : (IReadOnlyList<ProfilePayloadFile>)Array.Empty<ProfilePayloadFile>());
        return profileXml.ToArray();
    }

    /// <summary><c>&lt;name&gt;-&lt;10 hex digits of the id's sha-1&gt;.xml</c>: stable and unique per VIB id.</summary>
    public static string VibFileName(Vib vib) => PackageFileNames.VibDescriptor(Sanitize(vib.Name), vib.Id);

    /// <summary>The profile file name: the profile name with path separators and control characters replaced.</summary>
    public static string ProfileFileName(string profileName) => Sanitize(profileName);

    private static string Sanitize(string s) => PackageFileNames.Segment(s, "profile");
}
