using System;
using System.Collections.Generic;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Profiles;

/// <summary>
/// An image profile: the list of packages that becomes an ESXi image. Immutable snapshot; editing
/// produces a new instance. Property names follow ImageBuilder's ImageProfile.
/// </summary>
public sealed record ImageProfile : IComponentHolder
{
    /// <summary>The suffix a customized profile's default name carries.</summary>
    public const string CustomizedSuffix = "-customized";

    /// <summary>
    /// The default name of a profile customized from <paramref name="baseName"/>: the base's name plus
    /// <see cref="CustomizedSuffix"/>, once (customizing a customized image does not add a second suffix).
    /// </summary>
    public static string CustomizedName(string baseName)
        => baseName == null ? null
         : baseName.EndsWith(CustomizedSuffix, StringComparison.OrdinalIgnoreCase) ? baseName : baseName + CustomizedSuffix;

    public string Name { get; init; }
    public string Vendor { get; init; }
    public string Description { get; init; } = "";

    /// <summary>ImageBuilder's Author (the <c>creator</c> element).</summary>
    public string Creator { get; init; } = "";

    public AcceptanceLevel AcceptanceLevel { get; init; } = AcceptanceLevel.PartnerSupported;
    public DateTimeOffset CreationTime { get; init; }
    public DateTimeOffset ModifiedTime { get; init; }

    /// <summary>True for profiles read from a depot; clones are editable.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The profile's packages (ImageBuilder: VibList), resolved to Vib objects.</summary>
    public IReadOnlyList<Vib> Packages { get; init; } = Array.Empty<Vib>();

    /// <summary>VIB ids the profile names that no added depot holds.</summary>
    public IReadOnlyList<string> MissingVibIds { get; init; } = Array.Empty<string>();

    /// <summary>The profile's id (<c>profileID</c>), when the source gives one.</summary>
    public string ProfileId { get; init; }

    /// <summary>Where the profile was read from (depot source), or null for session-made profiles.</summary>
    public string Source { get; init; }

    /// <summary>
    /// The component definitions (bulletins with componentNameSpec) that concern this profile, from its depot, ISO and
    /// the session: those naming its packages, and those it replaced (reserved components). <see cref="Components"/> and
    /// validation judge the profile's VIBs against them; an export writes them into the image database.
    /// </summary>
    public IReadOnlyList<Bulletin> ComponentBulletins { get; init; } = Array.Empty<Bulletin>();

    /// <summary>The components this profile holds, derived from its packages and <see cref="ComponentBulletins"/>; partly present ones included.</summary>
    public IReadOnlyList<ProfileComponent> Components => ProfileComponents.Derive(this);

    /// <summary>
    /// This profile carrying, besides its own, the component bulletins among <paramref name="bulletins"/> that concern
    /// it (<see cref="ProfileComponents.Concerning"/>); this instance when none does.
    /// </summary>
    public ImageProfile WithComponentBulletins(IEnumerable<Bulletin> bulletins, IEnumerable<Vib> catalog = null)
    {
        var carried = ProfileComponents.Concerning(this, bulletins, catalog);
        return ReferenceEquals(carried, ComponentBulletins) ? this : this with { ComponentBulletins = carried };
    }

    /// <summary>Profile XML elements this version does not know, kept verbatim (outer XML) for round trips.</summary>
    public IReadOnlyList<string> UnknownElements { get; init; } = Array.Empty<string>();

    public override string ToString() => Name;
}
