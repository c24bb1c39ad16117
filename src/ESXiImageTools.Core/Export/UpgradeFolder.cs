using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>The <c>UPGRADE/</c> folder of an installer ISO.</summary>
public static class UpgradeFolder
{
    /// <summary>
    /// <c>UPGRADE/</c>: the profile's <c>upgrade</c> payloads (real esx-base: esximage.zip, metadata.xml, precheck.py,
    /// prep.py, extlinux, mbr.bin, gptmbr.bin) under their names, and PROFILE.XML, the image profile (public tools
    /// that recognise ESXi media look for upgrade/metadata.xml and upgrade/profile.xml). Nothing without upgrade payloads.
    /// </summary>
    public static IReadOnlyList<MediaFile> Files(ImageProfile profile, IReadOnlyList<IsoPayloadFile> payloadFiles)
    {
        var upgrade = profile.Packages.OrderBy(v => v.Id, StringComparer.Ordinal)
            .SelectMany(v => v.Payloads.Where(p => string.Equals(p.Type, PayloadTypes.Upgrade, StringComparison.OrdinalIgnoreCase)).Select(p => (v, p)))
            .ToList();
        if (upgrade.Count == 0) return Array.Empty<MediaFile>();
        var result = new List<MediaFile>();
        var taken = new HashSet<string>(StringComparer.Ordinal) { "PROFILE.XML" };
        foreach (var (vib, p) in upgrade)
        {
            var name = p.Name.ToUpperInvariant();
            if (!PayloadFileNamer.IsValid83(name))
                throw new EsxException(ErrorCodes.IsoLayoutInvalid, EsxErrorCategory.InvalidData,
                    $"VIB {vib.Id}: upgrade payload '{p.Name}' is not an 8.3 file name, so it cannot go into UPGRADE/ on ISO 9660 media", vib.Id);
            if (!taken.Add(name))
                throw new EsxException(ErrorCodes.IsoLayoutInvalid, EsxErrorCategory.InvalidData,
                    $"VIB {vib.Id}: upgrade payload '{p.Name}' collides with another file in UPGRADE/", vib.Id);
            result.Add(MediaFile.FromPayload("UPGRADE/" + name, vib, p));
        }
        result.Add(MediaFile.FromBytes("UPGRADE/PROFILE.XML", ImgDb.ProfileBytes(profile, payloadFiles), "the image profile"));
        return result;
    }
}
