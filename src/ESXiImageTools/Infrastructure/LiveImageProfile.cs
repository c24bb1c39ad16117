using System;
using System.Collections.Generic;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

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

    internal LiveImageProfile(ImageProfile snapshot, ImageProfile baseProfile)
    {
        _snapshot = snapshot ?? throw new ArgumentNullException(nameof(snapshot));
        Base = baseProfile;
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

    public string Name => Snapshot.Name;
    public string Vendor => Snapshot.Vendor;
    public string Description => Snapshot.Description;

    /// <summary>ImageBuilder's Author (the profile's creator; a clone's is its -Vendor).</summary>
    public string Author => Snapshot.Creator;
    public string Creator => Snapshot.Creator;
    public AcceptanceLevel AcceptanceLevel => Snapshot.AcceptanceLevel;
    public DateTimeOffset CreationTime => Snapshot.CreationTime;
    public DateTimeOffset ModifiedTime => Snapshot.ModifiedTime;
    public bool ReadOnly => Snapshot.ReadOnly;

    /// <summary>The packages (ImageBuilder's VibList).</summary>
    public IReadOnlyList<Vib> VibList => Snapshot.Packages;
    public IReadOnlyList<Vib> Packages => Snapshot.Packages;

    /// <summary>
    /// ImageBuilder's GUID: the profile id the depot declares; a profile made in the session gets one for
    /// the session (not written to exports, which stay byte-identical for the same inputs).
    /// </summary>
    public string Guid => string.IsNullOrEmpty(Snapshot.ProfileId) ? _sessionGuid : Snapshot.ProfileId;

    /// <summary>The depot the profile belongs to, or null for a profile made in the session.</summary>
    public string Source => Snapshot.Source;

    /// <summary>Package ids the profile names that no added depot holds.</summary>
    public IReadOnlyList<string> MissingVibIds => Snapshot.MissingVibIds;

    public override string ToString() => Name;
}
