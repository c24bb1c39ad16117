using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Profiles;

/// <summary>
/// A set of VIBs indexed by id, by name and by provided capability (explicit <c>provides</c> plus the
/// implicit self-provide <c>name = version</c>), so that constraint lookups cost one dictionary hit
/// instead of a scan. Immutable once built; duplicate ids keep the first package seen.
/// </summary>
public sealed class PackageIndex
{
    private static readonly IReadOnlyList<Vib> None = Array.Empty<Vib>();

    private readonly Dictionary<string, Vib> _byId = new Dictionary<string, Vib>(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Vib>> _byName = new Dictionary<string, List<Vib>>(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _namesIgnoringCase = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<Capability>> _byCapability = new Dictionary<string, List<Capability>>(StringComparer.Ordinal);
    private readonly List<Vib> _packages = new List<Vib>();

    /// <summary>Indexes <paramref name="packages"/> (null entries are skipped).</summary>
    public PackageIndex(IEnumerable<Vib> packages)
    {
        if (packages == null) throw new ArgumentNullException(nameof(packages));
        foreach (var vib in packages)
        {
            if (vib == null || vib.Name == null) continue;
            var id = vib.Id;
            if (_byId.ContainsKey(id)) continue;
            _byId.Add(id, vib);
            _packages.Add(vib);

            if (!_byName.TryGetValue(vib.Name, out var sameName))
            {
                _byName[vib.Name] = sameName = new List<Vib>(1);
                if (!_namesIgnoringCase.TryGetValue(vib.Name, out var spellings))
                    _namesIgnoringCase[vib.Name] = spellings = new List<string>(1);
                spellings.Add(vib.Name);
            }
            sameName.Add(vib);

            AddCapability(vib.Name, vib.Version, vib);
            foreach (var p in vib.Provides)
                if (p != null) AddCapability(p.Name, p.Version, vib);
        }
        // Lowest version first, so the newest is the last entry; ties keep a stable vendor order.
        foreach (var list in _byName.Values)
            if (list.Count > 1)
                list.Sort((a, b) =>
                {
                    int c = VibVersion.Compare(a.Version, b.Version);
                    return c != 0 ? c : string.CompareOrdinal(a.Vendor, b.Vendor);
                });
    }

    /// <summary>An index of no packages.</summary>
    public static PackageIndex Empty { get; } = new PackageIndex(Array.Empty<Vib>());

    /// <summary>The indexed packages, in the order given (duplicates by id removed).</summary>
    public IReadOnlyList<Vib> Packages => _packages;

    public int Count => _packages.Count;

    /// <summary>The distinct package names.</summary>
    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>Whether a package with this id is indexed.</summary>
    public bool ContainsId(string id) => id != null && _byId.ContainsKey(id);

    /// <summary>Whether this exact package (by id) is indexed.</summary>
    public bool Contains(Vib vib) => vib != null && _byId.ContainsKey(vib.Id);

    /// <summary>The package with this id, or null.</summary>
    public Vib FindById(string id) => id != null && _byId.TryGetValue(id, out var v) ? v : null;

    /// <summary>All packages of one name (case-sensitive), lowest version first; empty when none.</summary>
    public IReadOnlyList<Vib> FindByName(string name)
        => name != null && _byName.TryGetValue(name, out var l) ? l : None;

    /// <summary>
    /// Packages of one name, matching exactly when such a name exists, otherwise ignoring case
    /// (names typed by users); lowest version first.
    /// </summary>
    public IReadOnlyList<Vib> FindByNameLenient(string name)
    {
        if (name == null) return None;
        if (_byName.TryGetValue(name, out var exact)) return exact;
        if (!_namesIgnoringCase.TryGetValue(name, out var spellings)) return None;
        if (spellings.Count == 1) return _byName[spellings[0]];
        return spellings.SelectMany(s => _byName[s]).OrderBy(v => v.Version).ToList();
    }

    /// <summary>The highest version of a name, or null. Vendors are not distinguished.</summary>
    public Vib Newest(string name)
    {
        var l = FindByName(name);
        return l.Count == 0 ? null : l[l.Count - 1];
    }

    /// <summary>Packages that provide a capability satisfying <paramref name="constraint"/> (by name or provides, with the version relation).</summary>
    public IReadOnlyList<Vib> FindProviders(Constraint constraint)
    {
        if (constraint == null || !_byCapability.TryGetValue(constraint.Name, out var caps)) return None;
        List<Vib> result = null;
        foreach (var cap in caps)
        {
            if (!constraint.MatchesVersion(cap.Version)) continue;
            result ??= new List<Vib>(1);
            if (!result.Contains(cap.Vib)) result.Add(cap.Vib);
        }
        return (IReadOnlyList<Vib>)result ?? None;
    }

    /// <summary>Whether any package other than <paramref name="except"/> satisfies <paramref name="constraint"/>.</summary>
    public bool IsSatisfied(Constraint constraint, Vib except = null)
    {
        if (constraint == null || !_byCapability.TryGetValue(constraint.Name, out var caps)) return false;
        foreach (var cap in caps)
            if (!ReferenceEquals(cap.Vib, except) && constraint.MatchesVersion(cap.Version)) return true;
        return false;
    }

    private void AddCapability(string name, VibVersion version, Vib vib)
    {
        if (string.IsNullOrEmpty(name)) return;
        if (!_byCapability.TryGetValue(name, out var list)) _byCapability[name] = list = new List<Capability>(1);
        list.Add(new Capability(vib, version));
    }

    private readonly struct Capability
    {
        public Capability(Vib vib, VibVersion version)
        {
            Vib = vib;
            Version = version;
        }

        public Vib Vib { get; }
        public VibVersion Version { get; }
    }
}
