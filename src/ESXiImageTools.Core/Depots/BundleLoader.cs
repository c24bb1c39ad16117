using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// Walks a depot's metadata chain: index → vendor indexes → metadata zips → VIB locations,
/// resolving each reference against the document that made it (RFC 3986). Reads metadata only; VIB bytes
/// are reached later through each package's <see cref="IVibContent"/>.
/// </summary>
internal static class BundleLoader
{
    public static Depot Load(IDepotFiles files, DepotKind kind, DepotOptions options, IProgress<DepotProgress> progress, CancellationToken cancellationToken)
    {
        var limits = options.Limits;
        progress?.Report(new DepotProgress { Source = files.Source, Stage = DepotStage.ReadingIndex, Item = files.Display(files.IndexUri) });
        IReadOnlyList<DepotVendor> vendors;
        vendors = Parse(files, files.IndexUri, () =>
        {
            using var s = files.OpenDocument(files.IndexUri, "depot index (index.xml)", limits.MaxXmlBytes, cancellationToken);
            return DepotIndexXml.ParseVendorList(DepotXml.Load(s, files.Source, files.Display(files.IndexUri), limits.MaxXmlBytes), files.Source, files.Display(files.IndexUri));
        });

        var metadataUris = new List<Uri>();
        foreach (var v in vendors)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vendorIndexUri = DepotUris.Resolve(files.IndexUri, DepotUris.AsDirectory(v.RelativePath) + v.IndexFile, files.Source, files.Display(files.IndexUri));
            IReadOnlyList<MetadataReference> refs;
            refs = Parse(files, vendorIndexUri, () =>
            {
                using var s = files.OpenDocument(vendorIndexUri, "vendor index", limits.MaxXmlBytes, cancellationToken);
                return DepotIndexXml.ParseMetaList(DepotXml.Load(s, files.Source, files.Display(vendorIndexUri), limits.MaxXmlBytes), files.Source, files.Display(vendorIndexUri));
            });
            foreach (var r in refs.Where(r => r.Url.Length > 0))
            {
                var u = DepotUris.Resolve(vendorIndexUri, r.Url, files.Source, files.Display(vendorIndexUri));
                if (!metadataUris.Contains(u)) metadataUris.Add(u);
            }
        }

        var parts = new List<DepotPart>();
        foreach (var mu in metadataUris)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report(new DepotProgress { Source = files.Source, Stage = DepotStage.ReadingMetadata, Item = files.Display(mu) });
            MetadataContent md;
            md = Parse(files, mu, () =>
            {
                using var s = files.OpenMetadataZip(mu, cancellationToken);
                return MetadataBundle.Read(s, $"{files.Source} [{files.Display(mu)}]", limits, cancellationToken);
            });

            var available = new List<Vib>();
            var unavailable = new List<UnavailablePackage>();
            foreach (var vib in md.Vibs)
            {
                if (string.IsNullOrEmpty(vib.RelativePath))
                {
                    unavailable.Add(new UnavailablePackage { VibId = vib.Id, Package = vib, Reason = "the metadata gives no relative-path for it" });
                    continue;
                }
                // The VIB path is relative to the directory of the metadata zip.
                var vibUri = DepotUris.Resolve(mu, vib.RelativePath, files.Source, files.Display(mu));
                var content = files.VibContent(vibUri, vib, out var reason);
                if (content == null)
                    unavailable.Add(new UnavailablePackage { VibId = vib.Id, Package = vib.WithContent(null, files.Source), Location = files.Display(vibUri), Reason = reason });
                else
                    available.Add(vib.WithContent(content, files.Source));
            }
            parts.Add(new DepotPart(available, unavailable, md));
        }
        progress?.Report(new DepotProgress { Source = files.Source, Stage = DepotStage.Done, Item = files.Display(files.IndexUri) });
        return DepotAssembler.Build(files.Source, kind, vendors, parts);
    }

    // Only documents that parsed stay cached: a rejected one is discarded so the next run fetches it afresh.
    private static T Parse<T>(IDepotFiles files, Uri uri, Func<T> read)
    {
        try { return read(); }
        catch (Diagnostics.EsxFormatException) { files.Discard(uri); throw; }
        catch (Diagnostics.EsxException e) when (e.Code == Diagnostics.ErrorCodes.DepotTooLarge) { files.Discard(uri); throw; }
    }
}

/// <summary>The packages and documents of one metadata zip (or one loose VIB), before assembly.</summary>
internal sealed record DepotPart(IReadOnlyList<Vib> Packages, IReadOnlyList<UnavailablePackage> Unavailable, MetadataContent Metadata);

/// <summary>Assembles a <see cref="Depot"/> from parts: packages merged by id, profiles and components resolved.</summary>
internal static class DepotAssembler
{
    public static Depot Build(string source, DepotKind kind, IEnumerable<DepotVendor> vendors, IEnumerable<DepotPart> parts)
    {
        var partList = parts.ToList();
        var byId = new Dictionary<string, Vib>(StringComparer.Ordinal);
        var packages = new List<Vib>();
        foreach (var vib in partList.SelectMany(p => p.Packages))
        {
            if (byId.TryGetValue(vib.Id, out var existing))
            {
                if (!PackageIdentity.SameContent(existing, vib))
                    throw DepotErrors.Conflict(vib.Id, existing.Content?.Location ?? existing.Source, vib.Content?.Location ?? vib.Source, existing.VibSha256, vib.VibSha256);
                continue;
            }
            byId[vib.Id] = vib;
            packages.Add(vib);
        }

        var unavailable = new List<UnavailablePackage>();
        var seenUnavailable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in partList.SelectMany(p => p.Unavailable))
            if (!byId.ContainsKey(u.VibId) && seenUnavailable.Add(u.VibId)) unavailable.Add(u);

        var mds = partList.Select(p => p.Metadata).Where(m => m != null).ToList();
        var describedIds = new HashSet<string>(mds.SelectMany(m => m.Vibs).Select(v => v.Id), StringComparer.Ordinal);
        var bulletins = mds.SelectMany(m => m.Bulletins).GroupBy(b => b.Id, StringComparer.Ordinal).Select(g => g.First()).ToList();
        foreach (var b in bulletins)
            foreach (var id in b.VibIds)
                if (!byId.ContainsKey(id) && !describedIds.Contains(id) && seenUnavailable.Add(id))
                    unavailable.Add(new UnavailablePackage { VibId = id, Reason = $"bulletin {b.Id} names it but the metadata has no vibs/*.xml descriptor for it" });

        Vib Find(string id) => byId.TryGetValue(id, out var v) ? v : null;
        var profiles = mds.SelectMany(m => m.Profiles).Select(p => p.ToImageProfile(Find, source, readOnly: true))
            .GroupBy(p => (p.Name, p.Vendor)).Select(g => g.First().WithComponentBulletins(bulletins, byId.Values)).ToList();
        var components = bulletins.Select(b => BulletinXml.ToComponent(b, Find)).Where(c => c != null).ToList();

        IReadOnlyList<ReleaseUnit> Units(Func<MetadataContent, IReadOnlyList<ReleaseUnit>> pick)
            => mds.SelectMany(pick).GroupBy(u => u.Id, StringComparer.Ordinal).Select(g => g.First()).ToList();

        return new Depot
        {
            Source = source,
            Kind = kind,
            Vendors = (vendors ?? Enumerable.Empty<DepotVendor>()).GroupBy(v => (v.Name, v.Code)).Select(g => g.First()).ToList(),
            Packages = packages,
            Profiles = profiles,
            Components = components,
            Bulletins = bulletins,
            BaseImages = Units(m => m.BaseImages),
            Addons = Units(m => m.Addons),
            Manifests = Units(m => m.Manifests),
            Solutions = Units(m => m.Solutions),
            UnavailablePackages = unavailable,
        };
    }

    /// <summary>Merges several depots (folder members, wrapped bundles) into one, with the same duplicate rule.</summary>
    public static Depot Merge(string source, DepotKind kind, IReadOnlyList<Depot> depots)
    {
        var parts = depots.Select(d => new DepotPart(d.Packages, d.UnavailablePackages, new MetadataContent
        {
            Bulletins = d.Bulletins,
            BaseImages = d.BaseImages,
            Addons = d.Addons,
            Manifests = d.Manifests,
            Solutions = d.Solutions,
        })).ToList();
        var merged = Build(source, kind, depots.SelectMany(d => d.Vendors), parts);
        // Profiles were resolved inside their own bundle; re-resolve ids that another member holds.
        var byId = merged.Packages.ToDictionary(p => p.Id, StringComparer.Ordinal);
        var profiles = depots.SelectMany(d => d.Profiles).Select(p => p.MissingVibIds.Count == 0 ? p : p with
        {
            Packages = p.Packages.Concat(p.MissingVibIds.Where(byId.ContainsKey).Select(id => byId[id])).ToList(),
            MissingVibIds = p.MissingVibIds.Where(id => !byId.ContainsKey(id)).ToList(),
        }).Select(p => p with { Source = source }).GroupBy(p => (p.Name, p.Vendor))
          .Select(g => g.First().WithComponentBulletins(merged.Bulletins, merged.Packages)).ToList();
        return merged with { Profiles = profiles };
    }
}

/// <summary>When two packages with one id are the same package.</summary>
public static class PackageIdentity
{
    /// <summary>
    /// Same content when both whole-file sha-256 values are known and equal; when either is unknown, when
    /// every payload's declared sha-256 matches (a descriptor-level identity).
    /// </summary>
    public static bool SameContent(Vib a, Vib b)
    {
        if (!string.IsNullOrEmpty(a.VibSha256) && !string.IsNullOrEmpty(b.VibSha256))
            return string.Equals(a.VibSha256, b.VibSha256, StringComparison.OrdinalIgnoreCase);
        if (a.Payloads.Count != b.Payloads.Count) return false;
        for (int i = 0; i < a.Payloads.Count; i++)
        {
            var pa = a.Payloads[i];
            var pb = b.Payloads.FirstOrDefault(p => p.Name == pa.Name);
            if (pb == null || pa.Size != pb.Size || !string.Equals(pa.Sha256, pb.Sha256, StringComparison.OrdinalIgnoreCase)) return false;
        }
        return true;
    }
}
