using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Infrastructure;

/// <summary>A profile made in the session, with the profile it was cloned from (for Export-EsxProfileSpec).</summary>
internal sealed class SessionProfile
{
    public ImageProfile Profile { get; set; }
    public ImageProfile Base { get; set; }
}

/// <summary>
/// What one PowerShell runspace remembers between commands: the profiles made in the session and
/// (once added) the depots. The one place session state lives; keyed by the Runspace instance so that
/// runspaces (jobs, ForEach-Object -Parallel) never share or leak state.
/// </summary>
internal sealed class ModuleSession
{
    private static readonly ConditionalWeakTable<Runspace, ModuleSession> ByRunspace = new ConditionalWeakTable<Runspace, ModuleSession>();
    private static readonly ModuleSession NoRunspace = new ModuleSession();
    private readonly List<SessionProfile> _profiles = new List<SessionProfile>();

    /// <summary>The session of the runspace running the current command.</summary>
    public static ModuleSession Current
    {
        get
        {
            var runspace = Runspace.DefaultRunspace;
            return runspace == null ? NoRunspace : ByRunspace.GetValue(runspace, _ => new ModuleSession());
        }
    }

    /// <summary>
    /// Forgets the session of the current runspace (Remove-Module): its depots and profiles are dropped,
    /// so a later Import-Module starts empty. Objects a script still holds stay usable.
    /// </summary>
    public static void EndCurrent()
    {
        var runspace = Runspace.DefaultRunspace;
        if (runspace != null) ByRunspace.Remove(runspace);
    }

    /// <summary>Guards every member: a runspace may run pipelines from several threads over time.</summary>
    public object Sync { get; } = new object();

    /// <summary>Profiles made in this session, in creation order.</summary>
    public IReadOnlyList<ImageProfile> SessionProfiles
    {
        get { lock (Sync) return _profiles.Select(p => p.Profile).ToList(); }
    }

    /// <summary>The depots added in this runspace (the engine's registry: duplicate checks, package pool).</summary>
    public DepotSession Depots { get; } = new DepotSession();

    /// <summary>Profiles of the added depots (read-only).</summary>
    public IReadOnlyList<ImageProfile> DepotProfiles => Depots.Profiles;

    /// <summary>Every profile: the session's first, so a session profile shadows a depot one of the same name.</summary>
    public IReadOnlyList<ImageProfile> AllProfiles => SessionProfiles.Concat(DepotProfiles).ToList();

    /// <summary>The packages name lookups resolve against: those of the added depots.</summary>
    public IReadOnlyList<Vib> Catalog => Depots.Packages;

    /// <summary>Names of every profile known to the session, for completion.</summary>
    public IReadOnlyList<string> ProfileNames() => AllProfiles.Select(p => p.Name).ToList();

    /// <summary>The session entry of that name (exact, then ignoring case), or null.</summary>
    public SessionProfile FindSessionProfile(string name)
    {
        lock (Sync)
            return _profiles.FirstOrDefault(p => string.Equals(p.Profile.Name, name, StringComparison.Ordinal))
                ?? _profiles.FirstOrDefault(p => string.Equals(p.Profile.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The current state of a profile given as an object or a name. Profiles are immutable snapshots; a
    /// script holding an older snapshot of a session profile (ImageBuilder scripts edit "$p" in place)
    /// gets the session's current one of that name.
    /// </summary>
    public ImageProfile Resolve(ImageProfile profile, string name)
    {
        if (profile != null && profile.Source != null) return profile; // a depot profile: never edited
        var key = profile?.Name ?? name;
        var entry = FindSessionProfile(key);
        if (entry != null) return entry.Profile;
        if (profile != null) return profile;
        return ProfileBuilder.FindProfile(AllProfiles, name);
    }

    /// <summary>Adds a new session profile; the name must be free among session profiles.</summary>
    public void Add(ImageProfile profile, ImageProfile baseProfile)
    {
        lock (Sync)
        {
            if (FindSessionProfile(profile.Name) != null)
                throw new EsxException(ErrorCodes.ProfileExists, EsxErrorCategory.ResourceExists,
                    $"a profile named '{profile.Name}' already exists in this session; choose another -Name or remove it first", profile.Name);
            _profiles.Add(new SessionProfile { Profile = profile, Base = baseProfile });
        }
    }

    /// <summary>Stores the edited state of a session profile (found by its name before the edit).</summary>
    public void Update(string nameBefore, ImageProfile edited)
    {
        lock (Sync)
        {
            var entry = FindSessionProfile(nameBefore);
            if (entry != null) entry.Profile = edited;
        }
    }

    /// <summary>Removes a session profile; false when there is none of that name.</summary>
    public bool Remove(string name)
    {
        lock (Sync)
        {
            var entry = FindSessionProfile(name);
            return entry != null && _profiles.Remove(entry);
        }
    }
}
