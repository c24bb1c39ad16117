using System;
using System.Collections.Generic;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.ObjectModel;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// The image profile object the cmdlets hand out. The engine's profiles are immutable snapshots; this
/// object holds the current one, and edits (Add-EsxPackage, Set-EsxProfile, ...) replace it, so the
/// <c>$p</c> a script holds changes as ImageBuilder's does. The session keeps the same object, so what
/// the user holds, what the session holds and what an export writes are one thing. Depot profiles are
/// read-only: their snapshot never changes.
/// </summary>
public sealed class LiveImageProfile
{
    private readonly object _gate = new object();
    private ImageProfile _snapshot;
    private readonly string _sessionGuid = System.Guid.NewGuid().ToString();
    private readonly ModuleSession _session;

    internal LiveImageProfile(ImageProfile snapshot, ImageProfile baseProfile, ModuleSession session)
    {
        _snapshot = snapshot ?? throw new ArgumentNullException(nameof(snapshot));
        Base = baseProfile;
        _session = session ?? throw new ArgumentNullException(nameof(session));
    }

    /// <summary>The current engine snapshot (what an export writes).</summary>
    public ImageProfile Snapshot { get { lock (_gate) return _snapshot; } }

    /// <summary>The profile this one was cloned from in the session, or null (for Export-EsxProfileSpec).</summary>
    internal ImageProfile Base { get; }

    /// <summary>Replaces the snapshot after an edit.</summary>
    internal void Replace(ImageProfile edited)
    {
        if (edited == null) throw new ArgumentNullException(nameof(edited));
        lock (_gate) _snapshot = edited;
    }

    /// <summary>
    /// Set-EsxProfile's edit of the current snapshot, validated against the session's packages; the caller
    /// commits the result (<see cref="Replace"/>).
    /// </summary>
    internal EditResult Edit(ProfileSettings settings, EditOptions options)
        => ProfileEditor.Default.Set(Snapshot, settings, options, new PackageIndex(_session.Catalog));

    /// <summary>
    /// A property assignment (<c>$p.AcceptanceLevel = 'CommunitySupported'</c>, as ImageBuilder scripts do): the
    /// same edit as Set-EsxProfile without -Force, so a read-only profile or an invalid result throws and
    /// nothing changes.
    /// </summary>
    private void Assign(ProfileSettings settings)
    {
        lock (_gate)
        {
            var result = Edit(settings, EditOptions.Default);
            _snapshot = result.Profile;
        }
    }

    /// <summary>Settable as with Set-EsxProfile -Name.</summary>
    public string Name
    {
        get => Snapshot.Name;
        set => Assign(new ProfileSettings { Name = value ?? "" });
    }

    /// <summary>Settable as with Set-EsxProfile -Vendor.</summary>
    public string Vendor
    {
        get => Snapshot.Vendor;
        set => Assign(new ProfileSettings { Vendor = value ?? "" });
    }

    /// <summary>Settable as with Set-EsxProfile -Description.</summary>
    public string Description
    {
        get => Snapshot.Description;
        set => Assign(new ProfileSettings { Description = value ?? "" });
    }

    /// <summary>ImageBuilder's Author (the profile's creator; a clone's is its -Vendor).</summary>
    public string Author => Snapshot.Creator;
    public string Creator => Snapshot.Creator;

    /// <summary>Settable as with Set-EsxProfile -AcceptanceLevel (a level below a package's refuses).</summary>
    public AcceptanceLevel AcceptanceLevel
    {
        get => Snapshot.AcceptanceLevel;
        set => Assign(new ProfileSettings { AcceptanceLevel = value });
    }


    /// <summary>When the profile was made, in UTC (ImageBuilder's type: System.DateTime).</summary>
    public DateTime CreationTime => Snapshot.CreationTime.UtcDateTime;

    /// <summary>When the profile last changed, in UTC.</summary>
    public DateTime ModifiedTime => Snapshot.ModifiedTime.UtcDateTime;

    /// <summary>Settable as with Set-EsxProfile -ReadOnly; a depot profile stays read-only.</summary>
    public bool ReadOnly
    {
        get => Snapshot.ReadOnly;
        set => Assign(new ProfileSettings { ReadOnly = value });
    }


    /// <summary>The packages (a new array each time; edit with Add-/Remove-EsxPackage).</summary>
    public SoftwarePackage[] VibList => SoftwarePackage.For(Snapshot.Packages);

    /// <summary>The packages, as <see cref="VibList"/>.</summary>
    public SoftwarePackage[] Packages => VibList;

    /// <summary>The rules the depot's profile declares (none for profiles made in the session, unless cloned from one).</summary>
    public ImageProfileRule[] Rules => ImageProfileRule.From(Snapshot.UnknownElements);

    /// <summary>
    /// ImageBuilder's GUID: the profile id the depot declares; a profile made in the session gets one for
    /// the session (not written to exports, which stay byte-identical for the same inputs).
    /// </summary>
    public string Guid => string.IsNullOrEmpty(Snapshot.ProfileId) ? _sessionGuid : Snapshot.ProfileId;

    /// <summary>The depot the profile belongs to, or null for a profile made in the session.</summary>
    public string Source => Snapshot.Source;

    /// <summary>Package ids the profile names that no added depot holds.</summary>
    public IReadOnlyList<string> MissingVibIds => Snapshot.MissingVibIds;

    /// <summary>The ESXi 7+ components the profile holds, complete or partial (see Get-EsxComponent -Profile).</summary>
    public IReadOnlyList<Core.Components.ProfileComponent> Components => Snapshot.Components;

    public override string ToString() => Name;
}
