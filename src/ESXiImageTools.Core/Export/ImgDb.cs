using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// IMGDB.TGZ, the image database an installer reads (formats.md §3.3): each package's descriptor under
/// <c>var/db/esximg/vibs/</c> and the profile, with its payload → file-name map, under <c>var/db/esximg/profiles/</c>.
/// </summary>
public static class ImgDb
{
    public const string VibsDir = "var/db/esximg/vibs/";
    public const string ProfilesDir = "var/db/esximg/profiles/";

    /// <summary>Writes IMGDB.TGZ for <paramref name="profile"/> whose payloads are placed as <paramref name="files"/>.</summary>
    public static void Write(Stream output, ImageProfile profile, IReadOnlyList<IsoPayloadFile> files, DateTimeOffset timestamp)
    {
        var byVib = files.GroupBy(f => f.Package.Id).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        using var tar = new TarGzWriter(output, timestamp);
        tar.AddDirectory("var");
        tar.AddDirectory("var/db");
        tar.AddDirectory("var/db/esximg");
        tar.AddDirectory(VibsDir);
        tar.AddDirectory(ProfilesDir);
        foreach (var vib in profile.Packages.OrderBy(v => v.Id, StringComparer.Ordinal))
            tar.AddFile(VibsDir + VibFileName(vib), VibDescriptorWriter.ToBytes(vib));
        var profileXml = new MemoryStream();
        ProfileXml.WriteTo(profileXml, profile, vib =>
            byVib.TryGetValue(vib.Id, out var list)
                ? list.Select(f => new ProfilePayloadFile(f.Payload.Name, f.FileName)).ToList()
                : (IReadOnlyList<ProfilePayloadFile>)Array.Empty<ProfilePayloadFile>());
        tar.AddFile(ProfilesDir + ProfileFileName(profile.Name), profileXml.ToArray());
    }

    /// <summary><c>&lt;name&gt;-&lt;10 hex digits of the id's sha-1&gt;.xml</c>: stable and unique per VIB id.</summary>
    public static string VibFileName(Vib vib)
    {
        using var sha1 = SHA1.Create();
        var h = sha1.ComputeHash(Encoding.UTF8.GetBytes(vib.Id));
        var hex = string.Concat(h.Take(5).Select(b => b.ToString("x2")));
        return Sanitize(vib.Name) + "-" + hex + ".xml";
    }

    /// <summary>The profile file name: the profile name with path separators and control characters replaced.</summary>
    public static string ProfileFileName(string profileName) => Sanitize(profileName);

    private static string Sanitize(string s)
    {
        var sb = new StringBuilder();
        foreach (var ch in s ?? "")
            sb.Append(ch == '/' || ch == '\\' || ch < ' ' || ch == ':' ? '_' : ch);
        var r = sb.ToString().Trim();
        return r.Length == 0 || r == "." || r == ".." ? "profile" : r;
    }
}
