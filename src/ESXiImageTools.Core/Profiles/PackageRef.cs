using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Profiles;

/// <summary>
/// One package as a user names it: a <see cref="Vib"/> object, an id
/// (<c>vendor_type_name_version</c>), a name (highest version wins) or <c>"name version"</c>.
/// </summary>
public sealed class PackageRef
{
    private PackageRef(Vib package, string text)
    {
        Package = package;
        Text = text;
    }

    /// <summary>The package object, when one was given.</summary>
    public Vib Package { get; }

    /// <summary>The text, when a name, "name version" or id was given.</summary>
    public string Text { get; }

    public static PackageRef Of(Vib package) => new PackageRef(package ?? throw new ArgumentNullException(nameof(package)), null);

    public static PackageRef Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new EsxException(ErrorCodes.PackageNotFound, EsxErrorCategory.InvalidArgument, "an empty package name was given");
        return new PackageRef(null, text.Trim());
    }

    /// <summary>Accepts a <see cref="Vib"/>, a <see cref="PackageRef"/> or anything whose string form names a package.</summary>
    public static PackageRef From(object item) => item switch
    {
        null => throw new ArgumentNullException(nameof(item)),
        PackageRef r => r,
        Vib v => Of(v),
        _ => Parse(item.ToString()),
    };

    /// <summary>Converts a mixed list (objects and strings).</summary>
    public static IReadOnlyList<PackageRef> FromMany(IEnumerable<object> items) => items.Select(From).ToList();

    /// <summary>
    /// Like <see cref="From"/>, but a component (a depot's <see cref="Components.Component"/> or a profile's
    /// <see cref="Components.ProfileComponent"/>) stands for its VIBs, so they are added or removed together. To add, a
    /// depot component must be complete (<see cref="ErrorCodes.ComponentIncomplete"/> otherwise); to remove, its VIB ids are named.
    /// </summary>
    public static IReadOnlyList<PackageRef> Expand(object item, bool forRemoval = false)
    {
        switch (item)
        {
            case Components.Component c when forRemoval:
                return c.VibIds.Select(Parse).ToList();
            case Components.Component c:
                if (!c.IsComplete)
                    throw new EsxException(ErrorCodes.ComponentIncomplete, EsxErrorCategory.ObjectNotFound,
                        $"component {c.Id} cannot be added: the depots lack its VIB(s) {string.Join(", ", c.MissingVibIds)}", c.Id);
                return c.Packages.Select(Of).ToList();
            case Components.ProfileComponent pc:
                return pc.Packages.Select(Of).ToList();
            default:
                return new[] { From(item) };
        }
    }

    public static implicit operator PackageRef(Vib package) => Of(package);
    public static implicit operator PackageRef(string text) => Parse(text);

    public override string ToString() => Package?.Id ?? Text;
}

/// <summary>Finds the package a <see cref="PackageRef"/> names in a catalog (ImageBuilder's Add-EsxSoftwarePackage rules).</summary>
public static class PackageResolver
{
    /// <summary>
    /// Resolves one item: an object is taken as is; text is tried as an id, then as
    /// <c>"name version"</c>, then as a name (highest version). A name offered by two vendors is
    /// ambiguous (<see cref="ErrorCodes.PackageAmbiguous"/>); nothing found is <see cref="ErrorCodes.PackageNotFound"/>.
    /// </summary>
    public static Vib Resolve(PackageRef item, PackageIndex catalog)
    {
        if (TryResolve(item, catalog, out var vib, out var error)) return vib;
        throw error;
    }

    /// <summary>Like <see cref="Resolve"/> but returns the error instead of throwing it.</summary>
    public static bool TryResolve(PackageRef item, PackageIndex catalog, out Vib vib, out EsxException error)
    {
        vib = null;
        error = null;
        if (item == null) throw new ArgumentNullException(nameof(item));
        if (item.Package != null) { vib = item.Package; return true; }
        var text = item.Text;
        vib = catalog.FindById(text);
        if (vib != null) return true;

        var parts = text.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
        IReadOnlyList<Vib> matches;
        string what;
        if (parts.Length == 2 && VibVersion.TryParse(parts[1], out var version))
        {
            matches = catalog.FindByNameLenient(parts[0]).Where(v => v.Version == version).ToList();
            what = $"package '{parts[0]}' version {parts[1]}";
        }
        else if (parts.Length == 1)
        {
            matches = catalog.FindByNameLenient(text);
            what = $"package '{text}'";
        }
        else
        {
            error = NotFound(text, $"'{text}' is not a package name, \"name version\" or id");
            return false;
        }

        if (matches.Count == 0)
        {
            error = NotFound(text, $"no {what} in the catalog ({catalog.Count} packages)");
            return false;
        }
        var vendors = matches.Select(m => m.Vendor).Distinct(StringComparer.Ordinal).ToList();
        if (vendors.Count > 1)
        {
            error = new EsxException(ErrorCodes.PackageAmbiguous, EsxErrorCategory.InvalidArgument,
                $"{what} is offered by {vendors.Count} vendors ({string.Join(", ", vendors)}); name it by id: {string.Join(", ", matches.Select(m => m.Id))}", text);
            return false;
        }
        vib = matches.OrderBy(m => m.Version).Last();
        return true;
    }

    private static EsxException NotFound(string text, string message)
        => new EsxException(ErrorCodes.PackageNotFound, EsxErrorCategory.ObjectNotFound, message, text);
}
