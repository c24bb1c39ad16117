using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Components;

/// <summary>A bulletin from depot metadata (bulletins/*.xml or vmware.xml). Immutable.</summary>
public sealed record Bulletin
{
    public string Id { get; init; }
    public string Vendor { get; init; } = "";
    public string Summary { get; init; } = "";
    public string Description { get; init; } = "";
    public string Severity { get; init; } = "";
    public string Category { get; init; } = "";
    public string Urgency { get; init; } = "";
    /// <summary><c>extension</c>, <c>patch</c>, <c>rollup</c>, ...</summary>
    public string ReleaseType { get; init; } = "";
    public string KbUrl { get; init; } = "";
    public string Contact { get; init; } = "";
    public DateTimeOffset? ReleaseDate { get; init; }
    public IReadOnlyList<SoftwarePlatform> Platforms { get; init; } = Array.Empty<SoftwarePlatform>();
    /// <summary>The VIB ids of <c>&lt;vibList&gt;</c>.</summary>
    public IReadOnlyList<string> VibIds { get; init; } = Array.Empty<string>();

    /// <summary><c>componentNameSpec/@name</c> (7.0+), or null.</summary>
    public string ComponentName { get; init; }
    /// <summary><c>componentNameSpec/@uiString</c>, or null.</summary>
    public string ComponentUiName { get; init; }
    /// <summary><c>componentVersionSpec/@version</c>, or null.</summary>
    public string ComponentVersion { get; init; }
    /// <summary><c>componentVersionSpec/@uiString</c>, or null.</summary>
    public string ComponentUiVersion { get; init; }

    /// <summary>True when the bulletin defines a component (has componentNameSpec and componentVersionSpec).</summary>
    public bool IsComponent => !string.IsNullOrEmpty(ComponentName) && !string.IsNullOrEmpty(ComponentVersion);

    public override string ToString() => Id;
}

/// <summary>
/// An ESXi 7.0+ component: a named, versioned group of VIBs, defined by a bulletin with
/// componentNameSpec / componentVersionSpec. Property names follow ImageBuilder's Get-DepotComponents output.
/// </summary>
public sealed record Component
{
    /// <summary>The name of the base image's core component (the real 7.0 bulletin <c>ESXi_7.0.0-1.0.15843807</c> names it so).</summary>
    public const string BaseImageComponentName = "ESXi";

    public string Name { get; init; }
    /// <summary>The version text (<c>componentVersionSpec/@version</c>).</summary>
    public string Version { get; init; }
    /// <summary>The version parsed for ordering, or null when the text is not a VIB-style version.</summary>
    public VibVersion VersionObject { get; init; }
    /// <summary>Display name (<c>componentNameSpec/@uiString</c>).</summary>
    public string UiName { get; init; }
    /// <summary>Display version (<c>componentVersionSpec/@uiString</c>).</summary>
    public string UiVersion { get; init; }
    public string Vendor { get; init; } = "";
    public string Summary { get; init; } = "";
    public string Description { get; init; } = "";
    /// <summary>The bulletin's <c>releaseType</c>: <c>extension</c>, <c>patch</c>, <c>rollup</c>, ...</summary>
    public string ReleaseType { get; init; } = "";
    public DateTimeOffset? ReleaseDate { get; init; }
    /// <summary>The bulletin's software platforms (product line and version glob).</summary>
    public IReadOnlyList<SoftwarePlatform> Platforms { get; init; } = Array.Empty<SoftwarePlatform>();
    /// <summary>The defining bulletin's id.</summary>
    public string BulletinId { get; init; }
    public IReadOnlyList<string> VibIds { get; init; } = Array.Empty<string>();
    /// <summary>The component's VIBs that the depot holds (ids in <see cref="VibIds"/> without a package are missing).</summary>
    public IReadOnlyList<Vib> Packages { get; init; } = Array.Empty<Vib>();

    /// <summary>The VIB ids the bulletin lists that the depot has no package for.</summary>
    public IReadOnlyList<string> MissingVibIds
    {
        get
        {
            var have = new HashSet<string>(Packages.Select(p => p.Id), StringComparer.Ordinal);
            return VibIds.Where(id => !have.Contains(id)).ToList();
        }
    }

    /// <summary>True when the depot holds every VIB the component lists.</summary>
    public bool IsComplete => MissingVibIds.Count == 0;

    /// <summary>The least trusted level among its VIBs (a component is as trusted as its weakest VIB); null when the depot holds none.</summary>
    public global::ESXiImageTools.Core.Packages.AcceptanceLevel? AcceptanceLevel
        => Packages.Count == 0 ? null : Packages.Min(p => p.AcceptanceLevel);

    /// <summary>True for the base image's core component (<see cref="BaseImageComponentName"/>).</summary>
    public bool IsBaseImageComponent => string.Equals(Name, BaseImageComponentName, StringComparison.Ordinal);

    /// <summary><c>name:version</c>, as ImageBuilder's Get-DepotComponents shows the ID.</summary>
    public string Id => $"{Name}:{Version}";

    public override string ToString() => Id;
}
