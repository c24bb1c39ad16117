using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Infrastructure;

/// <summary>
/// What one PowerShell runspace remembers between commands: the profiles made in the session and
/// (once added) the depots. The one place session state lives; keyed by the Runspace instance so that
/// runspaces (jobs, ForEach-Object -Parallel) never share or leak state.
/// </summary>
internal sealed class ModuleSession
{
    private static readonly ConditionalWeakTable<Runspace, ModuleSession> ByRunspace = new ConditionalWeakTable<Runspace, ModuleSession>();
    private static readonly ModuleSession NoRunspace = new ModuleSession();
    private readonly List<LiveImageProfile> _profiles = new List<LiveImageProfile>();
    // One live object per depot profile snapshot, so Get-EsxProfile returns the same object each time.
    private readonly ConditionalWeakTable<ImageProfile, LiveImageProfile> _depotProfiles = new ConditionalWeakTable<ImageProfile, LiveImageProfile>();

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
        get { lock (Sync) return _profiles.Select(p => p.Snapshot).ToList(); }
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

    /// <summary>The live session profile of that name (exact, then ignoring case), or null.</summary>
    public LiveImageProfile FindSessionProfile(string name)
    {
        lock (Sync)
            return _profiles.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal))
                ?? _profiles.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The live object for a profile snapshot: the session's own object, or the (read-only) depot profile's.</summary>
    public LiveImageProfile Live(ImageProfile profile)
    {
        if (profile == null) return null;
        lock (Sync)
        {
            var own = _profiles.FirstOrDefault(p => ReferenceEquals(p.Snapshot, profile));
            if (own != null) return own;
            return _depotProfiles.GetValue(profile, p => new LiveImageProfile(p, null, this));
        }
    }

    /// <summary>Every profile as live objects: the session's first, then the depots'.</summary>
    public IReadOnlyList<LiveImageProfile> Live(IEnumerable<ImageProfile> profiles) => profiles.Select(Live).ToList();

    /// <summary>
    /// The live profile an argument names. An object stands for itself (a snapshot for the session's
    /// profile of that name, or its depot profile); a name matches exactly (session profiles shadow depot
    /// ones), or as a wildcard pattern that must match exactly one profile.
    /// </summary>
    public LiveImageProfile Resolve(ProfileArgument argument)
    {
        if (argument == null) throw new ArgumentNullException(nameof(argument));
        if (argument.Live != null) return argument.Live;
        if (argument.Profile != null)
        {
            if (argument.Profile.Source != null) return Live(argument.Profile);
            return FindSessionProfile(argument.Profile.Name) ?? Live(argument.Profile);
        }
        var name = argument.Name ?? "";
        if (!WildcardPattern.ContainsWildcardCharacters(name))
            return FindSessionProfile(name) ?? Live(ProfileBuilder.FindProfile(AllProfiles, name));
        var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
        var hits = AllProfiles.Where(p => pattern.IsMatch(p.Name)).GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();
        if (hits.Count == 1) return FindSessionProfile(hits[0].Name) ?? Live(hits[0]);
        if (hits.Count == 0)
            throw new EsxException(ErrorCodes.ProfileNotFound, EsxErrorCategory.ObjectNotFound,
                $"no image profile matches '{name}' (see Get-EsxProfile)", name);
        throw new EsxException(ErrorCodes.ProfileAmbiguous, EsxErrorCategory.InvalidArgument,
            $"'{name}' matches {hits.Count} image profiles ({string.Join(", ", hits.Select(h => h.Name).Take(10))}); name one", name);
    }

    /// <summary>Adds a new session profile; the name must be free among session profiles.</summary>
    public LiveImageProfile Add(ImageProfile profile, ImageProfile baseProfile)
    {
        lock (Sync)
        {
            if (FindSessionProfile(profile.Name) != null)
                throw new EsxException(ErrorCodes.ProfileExists, EsxErrorCategory.ResourceExists,
                    $"a profile named '{profile.Name}' already exists in this session; choose another -Name or remove it first", profile.Name);
            var live = new LiveImageProfile(profile, baseProfile, this);
            _profiles.Add(live);
            return live;
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
