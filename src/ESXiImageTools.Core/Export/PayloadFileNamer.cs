using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// Names payload files the way ESXi media do: the descriptor's <c>vfatname</c> when given, else the payload
/// name cut to 8 characters, a dot, the type's first letter and a two-digit counter that grows while the name is
/// taken (<c>s.v00</c>, <c>lsi_msgp.v01</c>). It names modules in the order it is given; the order itself is
/// <see cref="BootModuleOrder"/>'s. Pure: same input, same names.
/// </summary>
public static class PayloadFileNamer
{
    /// <summary>
    /// Names the boot-module payloads (types boot, vgz, tgz) of <paramref name="packages"/> in BOOT.CFG order:
    /// <see cref="Assign(IReadOnlyList{ValueTuple{Vib, Payload}}, IEnumerable{string})"/> over
    /// <see cref="BootModuleOrder.Order"/>. Other payloads (boot loaders, upgrade, text, unknown types) get no root name.
    /// </summary>
    public static IReadOnlyList<IsoPayloadFile> Assign(IEnumerable<Vib> packages, IEnumerable<string> reserved)
        => Assign(BootModuleOrder.Order(packages), reserved);

    /// <summary>
    /// Assigns a unique root file name to every module of <paramref name="modules"/>, in the given order, so counters
    /// grow in module order as on real media (<c>stage.v00</c> … <c>stage.v07</c>). <paramref name="reserved"/> holds
    /// names already used on the media (BOOT.CFG, IMGDB.TGZ ...).
    /// </summary>
    public static IReadOnlyList<IsoPayloadFile> Assign(IReadOnlyList<(Vib Vib, Payload Payload)> modules, IEnumerable<string> reserved)
    {
        var taken = new HashSet<string>(reserved.Select(r => r.ToLowerInvariant()), StringComparer.Ordinal);
        // vfat-names first: they are fixed, so a generated name must not take one.
        foreach (var (vib, p) in modules.Where(x => !string.IsNullOrWhiteSpace(x.Payload.VfatName)))
            taken.Add(FromVfatName(vib, p, taken));
        var result = new List<IsoPayloadFile>();
        foreach (var (vib, p) in modules)
        {
            string name = !string.IsNullOrWhiteSpace(p.VfatName) ? p.VfatName.Trim().ToLowerInvariant() : Generate(p, taken);
            taken.Add(name);
            result.Add(new IsoPayloadFile(vib, p, name, isBootModule: true));
        }
        return result;
    }

    private static string FromVfatName(Vib vib, Payload p, HashSet<string> taken)
    {
        var name = p.VfatName.Trim().ToLowerInvariant();
        if (!IsValid83(name))
            throw new EsxException(ErrorCodes.IsoLayoutInvalid, EsxErrorCategory.InvalidData,
                $"VIB {vib.Id}: payload '{p.Name}' has vfatname '{p.VfatName}', which is not an 8.3 file name", vib.Id);
        if (taken.Contains(name))
            throw new EsxException(ErrorCodes.IsoLayoutInvalid, EsxErrorCategory.InvalidData,
                $"VIB {vib.Id}: payload '{p.Name}' asks for file name '{name}', which another payload or boot file already uses", vib.Id);
        return name;
    }

    private static string Generate(Payload p, HashSet<string> taken)
    {
        var stem = Sanitize(p.Name);
        if (stem.Length > 8) stem = stem.Substring(0, 8);
        if (stem.Length == 0) stem = "payload";
        char letter = TypeLetter(p.Type);
        for (int n = 0; n < 100; n++)
        {
            var candidate = $"{stem}.{letter}{n:00}";
            if (!taken.Contains(candidate)) return candidate;
        }
        throw new EsxException(ErrorCodes.IsoLayoutInvalid, EsxErrorCategory.InvalidData,
            $"more than 100 payloads would be named '{stem}.{letter}NN'; rename payloads or give them vfatname attributes", p.Name);
    }

    /// <summary>The extension letter of a payload type: vgz → v, tgz → t, boot → b; otherwise the type's first letter.</summary>
    public static char TypeLetter(string type)
    {
        var t = (type ?? "").Trim().ToLowerInvariant();
        var c = t.FirstOrDefault(ch => ch >= 'a' && ch <= 'z');
        return c == default ? 'x' : c;
    }

    // ISO 9660 d-characters are A-Z, 0-9 and '_'; ESXi payload names are lower case, so lower case is kept here
    // and the ISO layer upper-cases. Anything else becomes '_'.
    private static string Sanitize(string name)
    {
        var sb = new StringBuilder();
        foreach (var ch in (name ?? "").ToLowerInvariant())
            sb.Append(IsLowerDCharacter(ch) ? ch : '_');
        return sb.ToString();
    }

    /// <summary>Whether a name is a valid ISO 9660 level-1 file name (8.3, d-characters), case-insensitively.</summary>
    public static bool IsValid83(string name)
    {
        if (string.IsNullOrEmpty(name)) return false;
        var parts = name.Split('.');
        if (parts.Length > 2 || parts[0].Length == 0 || parts[0].Length > 8) return false;
        if (parts.Length == 2 && parts[1].Length > 3) return false;
        foreach (var part in parts)
            foreach (var ch in part.ToLowerInvariant())
                if (!IsLowerDCharacter(ch)) return false;
        return true;
    }

    // An ISO 9660 d-character in the lower case ESXi names use (the ISO layer upper-cases).
    private static bool IsLowerDCharacter(char ch) => (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
}
