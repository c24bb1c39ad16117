using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// Where an ESXi image keeps its package database: the folders of IMGDB.TGZ and the payload paths of the
/// payload archives (imgpayld.tgz, basemisc.tgz). Reading an ISO as a depot and exporting an image share it, so
/// it sits in the lower of the two layers.
/// </summary>
public static class EsxImageLayout
{
    /// <summary>Folder of the packages' descriptors in IMGDB.TGZ.</summary>
    public const string VibsDir = "var/db/esximg/vibs/";
    /// <summary>Folder of the profile's component bulletins in IMGDB.TGZ.</summary>
    public const string BulletinsDir = "var/db/esximg/bulletins/";
    /// <summary>Folder of the reserved (replaced) components' bulletins in IMGDB.TGZ.</summary>
    public const string ReservedComponentsDir = "var/db/esximg/reservedComponents/";
    /// <summary>Folder of the image profile in IMGDB.TGZ.</summary>
    public const string ProfilesDir = "var/db/esximg/profiles/";
    /// <summary>Root of the payloads in the payload archives.</summary>
    public const string PayloadsDir = "var/db/payloads/";

    /// <summary>The path of a payload inside imgpayld.tgz / basemisc.tgz: <c>var/db/payloads/&lt;type&gt;/&lt;name&gt;</c>.</summary>
    public static string PayloadPath(Payload p) => PayloadsDir + PathSegment(p.Type) + "/" + PathSegment(p.Name);

    /// <summary><paramref name="s"/> as one path segment (<see cref="PackageFileNames.Segment"/>, "_" for nothing).</summary>
    public static string PathSegment(string s) => PackageFileNames.Segment(s, "_");
}
