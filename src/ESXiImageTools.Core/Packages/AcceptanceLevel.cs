using System;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// VIB acceptance levels. The numeric value is the trust: a larger number is more trusted, so
/// <c>level &gt;= profileLevel</c> means "allowed in that profile".
/// </summary>
public enum AcceptanceLevel
{
    CommunitySupported = 1,
    PartnerSupported = 2,
    VMwareAccepted = 3,
    VMwareCertified = 4,
}

/// <summary>Conversions between descriptor codes (<c>certified</c>, <c>accepted</c>, ...) and <see cref="AcceptanceLevel"/>.</summary>
public static class AcceptanceLevels
{
    /// <summary>Parses a descriptor code or a display name. <c>vmware</c> is the older code for VMwareAccepted.</summary>
    public static bool TryParse(string text, out AcceptanceLevel level)
    {
        switch ((text ?? "").Trim().ToLowerInvariant())
        {
            case "certified":
            case "vmwarecertified":
                level = AcceptanceLevel.VMwareCertified; return true;
            case "accepted":
            case "vmware":
            case "vmwareaccepted":
                level = AcceptanceLevel.VMwareAccepted; return true;
            case "partner":
            case "partnersupported":
                level = AcceptanceLevel.PartnerSupported; return true;
            case "community":
            case "communitysupported":
                level = AcceptanceLevel.CommunitySupported; return true;
            default:
                level = AcceptanceLevel.CommunitySupported; return false;
        }
    }

    public static AcceptanceLevel Parse(string text, string source = null)
    {
        if (TryParse(text, out var level)) return level;
        throw new EsxException(ErrorCodes.VibInvalidDescriptor, EsxErrorCategory.InvalidData,
            $"{source ?? "input"}: unknown acceptance level '{text}' (expected certified, accepted, partner or community)", source);
    }

    /// <summary>The code written in descriptors and profile XML.</summary>
    public static string ToCode(AcceptanceLevel level) => level switch
    {
        AcceptanceLevel.VMwareCertified => "certified",
        AcceptanceLevel.VMwareAccepted => "accepted",
        AcceptanceLevel.PartnerSupported => "partner",
        AcceptanceLevel.CommunitySupported => "community",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>The lower (less trusted) of two levels.</summary>
    public static AcceptanceLevel Min(AcceptanceLevel a, AcceptanceLevel b) => a <= b ? a : b;
}
