using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// The depots added in one PowerShell runspace or one CLI run, and the package pool they form. A VIB id
/// present in two depots is one package when the content is the same; different content is a
/// DepotDuplicateConflict and the second depot is not registered. Thread-safe.
/// </summary>
public sealed class DepotSession
{
    private readonly object _gate = new object();
    private List<Depot> _depots = new List<Depot>();

    public DepotSession(DepotOptions options = null) { Options = options ?? DepotOptions.Default; }

    /// <summary>Defaults for <see cref="Add(string, DepotOptions, IProgress{DepotProgress}, CancellationToken)"/> when it gets no options.</summary>
    public DepotOptions Options { get; }

    /// <summary>The registered depots, in the order added.</summary>
    public IReadOnlyList<Depot> Depots { get { lock (_gate) return _depots.ToList(); } }

    /// <summary>Opens a source (see <see cref="DepotReader.Open"/>) and registers it. Re-adding a source replaces its earlier copy.</summary>
    public Depot Add(string source, DepotOptions options = null, IProgress<DepotProgress> progress = null, CancellationToken cancellationToken = default)
        => Add(DepotReader.Open(source, options ?? Options, progress, cancellationToken));

    /// <summary>Registers an opened depot after the duplicate check; nothing is registered when it throws.</summary>
    public Depot Add(Depot depot)
    {
        if (depot == null) throw new ArgumentNullException(nameof(depot));
        lock (_gate)
        {
            var others = _depots.Where(d => !SameSource(d.Source, depot.Source)).ToList();
            var pool = new Dictionary<string, (Vib Vib, Depot Depot)>(StringComparer.Ordinal);
            foreach (var d in others)
                foreach (var p in d.Packages)
                    if (!pool.ContainsKey(p.Id)) pool[p.Id] = (p, d);
            foreach (var p in depot.Packages)
                if (pool.TryGetValue(p.Id, out var existing) && !PackageIdentity.SameContent(existing.Vib, p))
                    throw DepotErrors.Conflict(p.Id, existing.Depot.Source, depot.Source, existing.Vib.VibSha256, p.VibSha256);
            others.Add(depot);
            _depots = others;
            return depot;
        }
    }

    /// <summary>Removes a depot; true when it was registered.</summary>
    public bool Remove(Depot depot)
    {
        lock (_gate) return _depots.Remove(depot);
    }

    /// <summary>Removes the depots <see cref="Find"/> matches; returns the removed ones.</summary>
    public IReadOnlyList<Depot> Remove(string source)
    {
        lock (_gate)
        {
            var hit = Find(source);
            _depots = _depots.Except(hit).ToList();
            return hit;
        }
    }

    /// <summary>
    /// The registered depots a source names, as a user gives back what was added or printed: the full Source, the
    /// DepotUrl (<c>zip:&lt;path&gt;?index.xml</c>, taken literally: its <c>?</c> is no wildcard), a wildcard pattern over
    /// Source, or a bare file name (no folder) equal to the Source's file name. Relative paths are the caller's to
    /// resolve (against its own current folder) before asking.
    /// </summary>
    public IReadOnlyList<Depot> Find(string source)
    {
        if (string.IsNullOrWhiteSpace(source)) return Array.Empty<Depot>();
        var depots = Depots;
        var literal = DepotReader.ZipFormPath(source);
        if (literal != null)
            return depots.Where(d => SameSource(d.DepotUrl, source) || SameSource(d.Source, literal)).ToList();
        var hit = depots.Where(d => SameSource(d.Source, source) || SameSource(d.DepotUrl, source) || Wildcard.IsMatch(source, d.Source)).ToList();
        if (hit.Count > 0 || source.IndexOfAny(new[] { '/', '\\' }) >= 0) return hit;
        return depots.Where(d => !IsUrl(d.Source) && Wildcard.IsMatch(source, FileName(d.Source))).ToList();
    }

    private static bool IsUrl(string source)
        => source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    private static string FileName(string source) => source.Substring(source.LastIndexOfAny(new[] { '/', '\\' }) + 1);

    /// <summary>Every package of every depot, one per VIB id (first depot wins among identical copies).</summary>
    public IReadOnlyList<Vib> Packages
    {
        get
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            return Depots.SelectMany(d => d.Packages).Where(p => seen.Add(p.Id)).ToList();
        }
    }

    /// <summary>Every profile of every depot, with VIB ids missing from its own depot resolved against the whole session.</summary>
    public IReadOnlyList<ImageProfile> Profiles
    {
        get
        {
            var depots = Depots;
            var byId = new Dictionary<string, Vib>(StringComparer.Ordinal);
            foreach (var p in depots.SelectMany(d => d.Packages)) if (!byId.ContainsKey(p.Id)) byId[p.Id] = p;
            // Each depot's profiles know its own bulletins already; another depot's may name their VIBs too.
            var bulletins = depots.Count > 1 ? depots.SelectMany(d => d.Bulletins).ToList() : new List<Bulletin>();
            return depots.SelectMany(d => d.Profiles).Select(p => p.MissingVibIds.Count == 0 || !p.MissingVibIds.Any(byId.ContainsKey) ? p : p with
            {
                Packages = p.Packages.Concat(p.MissingVibIds.Where(byId.ContainsKey).Select(id => byId[id])).ToList(),
                MissingVibIds = p.MissingVibIds.Where(id => !byId.ContainsKey(id)).ToList(),
            }).Select(p => p.WithComponentBulletins(bulletins, byId.Values)).ToList();
        }
    }

    /// <summary>Every bulletin of every depot (distinct by id, first depot wins): component bulletins decide a profile's
    /// components and reserved components on export.</summary>
    public IReadOnlyList<Bulletin> Bulletins
    {
        get
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            return Depots.SelectMany(d => d.Bulletins).Where(b => seen.Add(b.Id)).ToList();
        }
    }

    /// <summary>Components matching a query (see <see cref="Components.ComponentQueries.Filter"/>), optionally only from some depots.</summary>
    public IReadOnlyList<Component> FindComponents(Components.ComponentQuery query, IEnumerable<Depot> depots = null)
    {
        var source = depots == null ? Components : depots.SelectMany(d => d.Components).GroupBy(c => c.Id).Select(g => g.First()).ToList();
        return ESXiImageTools.Core.Components.ComponentQueries.Filter(source, query);
    }

    /// <summary>Every component of every depot (distinct by id).</summary>
    public IReadOnlyList<Component> Components
    {
        get
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            return Depots.SelectMany(d => d.Components).Where(c => seen.Add(c.Id)).ToList();
        }
    }

    /// <summary>Packages matching a query (see <see cref="DepotQueries.FilterPackages"/>), optionally only from some depots.</summary>
    public IReadOnlyList<Vib> FindPackages(PackageQuery query, IEnumerable<Depot> depots = null)
    {
        var source = depots == null ? Packages : depots.SelectMany(d => d.Packages).GroupBy(p => p.Id).Select(g => g.First()).ToList();
        return DepotQueries.FilterPackages(source, query);
    }

    /// <summary>Profiles by name and vendor wildcards, optionally only from some depots.</summary>
    public IReadOnlyList<ImageProfile> FindProfiles(IReadOnlyList<string> names = null, IReadOnlyList<string> vendors = null, IEnumerable<Depot> depots = null)
    {
        var pool = Profiles;
        if (depots != null)
        {
            var sources = new HashSet<string>(depots.Select(d => d.Source), StringComparer.Ordinal);
            pool = pool.Where(p => p.Source != null && sources.Contains(p.Source)).ToList();
        }
        return DepotQueries.FilterProfiles(pool, names, vendors);
    }

    /// <summary>The package with this exact VIB id, or null.</summary>
    public Vib FindPackage(string vibId) => Packages.FirstOrDefault(p => string.Equals(p.Id, vibId, StringComparison.Ordinal));

    private static bool SameSource(string a, string b) => DepotSourceComparison.Same(a, b);
}
