using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Verification;

/// <summary>The part of an image a problem was found in.</summary>
public enum ImageCheck
{
    /// <summary>The El Torito boot catalog and its BIOS and UEFI entries.</summary>
    ElTorito,
    /// <summary>/BOOT.CFG and /EFI/BOOT/BOOT.CFG and the modules they name.</summary>
    BootCfg,
    /// <summary>IMGDB.TGZ (or a bundle's metadata) against the payload files.</summary>
    ImageDatabase,
    /// <summary>Payload and whole-VIB checksums.</summary>
    Checksums,
    /// <summary>Acceptance levels of the profile and its packages.</summary>
    Acceptance,
    /// <summary>VIB signatures against the trust anchors, as an ESXi host checks them at install.</summary>
    Signatures,
}

/// <summary>Errors make an image unfit to boot or install; warnings are worth a look.</summary>
public enum ImageProblemSeverity
{
    Error,
    Warning,
}

/// <summary>One structural problem of an ISO or bundle.</summary>
public sealed record ImageProblem(ImageCheck Check, ImageProblemSeverity Severity, string File, string Message)
{
    public override string ToString() => $"{Severity.ToString().ToLowerInvariant()} {Check}: {(File == null ? "" : File + ": ")}{Message}";
}

/// <summary>The result of <see cref="ImageVerifier.Verify(string, CancellationToken)"/>.</summary>
public sealed class ImageVerification
{
    public string Path { get; init; }

    /// <summary><c>Iso</c> or <c>Bundle</c>.</summary>
    public string Kind { get; init; }

    public IReadOnlyList<ImageProblem> Problems { get; init; } = Array.Empty<ImageProblem>();

    /// <summary>What was checked and found right, one line each (El Torito entries, BOOT.CFG modules, payloads verified...).</summary>
    public IReadOnlyList<string> Passed { get; init; } = Array.Empty<string>();

    /// <summary>The image profiles found (ISO: from IMGDB.TGZ).</summary>
    public IReadOnlyList<ImageProfile> Profiles { get; init; } = Array.Empty<ImageProfile>();

    public int PayloadsVerified { get; init; }

    /// <summary>True when no problem is an error.</summary>
    public bool IsValid => Problems.All(p => p.Severity != ImageProblemSeverity.Error);
}

/// <summary>
/// Checks a finished ESXi ISO or offline bundle (ours or anyone's) before a user boots it (Test-EsxImage, <c>esximage verify</c>).
/// ISO: both El Torito entries present, bootable and starting a real file; BOOT.CFG and EFI/BOOT/BOOT.CFG present, naming the
/// same modules, each present in the image; IMGDB.TGZ readable, every payload it maps present with its declared size; every
/// payload checksum right; the profile's acceptance level no higher than its least trusted package. Bundle: metadata, every
/// .vib against its declared size and sha-256, every payload checksum, acceptance. The checks read structure generically
/// (what BOOT.CFG and IMGDB.TGZ say), not one exporter's layout. Problems are returned, not thrown; only an unreadable file throws.
/// </summary>
public static class ImageVerifier
{
    /// <summary>Largest BOOT.CFG read (real ones are a few KiB).</summary>
    public const int MaxBootCfgBytes = 1 << 20;

    /// <summary>Non-payload archives real BOOT.CFGs load after the payloads (ESXi 7/8): the image database and its companions.</summary>
    public static readonly IReadOnlyList<string> ImageDatabaseModules = new[] { "imgdb.tgz", "imgpayld.tgz", "basemisc.tgz", "resvibs.tgz", "esxiodpt.tgz" };

    public static ImageVerification Verify(string path, CancellationToken cancellationToken = default) => Verify(path, null, cancellationToken);

    /// <summary>Verifies <paramref name="path"/>, checking VIB signatures against <paramref name="trust"/> (null: VMware's
    /// certificates and those ESXIIMAGETOOLS_TRUSTED_CERTS names).</summary>
    public static ImageVerification Verify(string path, VibTrustStore trust, CancellationToken cancellationToken = default)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"{full}: file not found", full);
        bool iso, zip;
        using (var fs = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            var head = new byte[2];
            zip = fs.Read(head, 0, 2) == 2 && head[0] == (byte)'P' && head[1] == (byte)'K';
            iso = IsoDepotReader.LooksLikeIso(fs);
        }
        if (iso) return VerifyIso(full, cancellationToken);
        trust ??= VibTrustStore.Create(null);
        if (zip) return VerifyBundle(full, trust, cancellationToken);
        throw new EsxFormatException(ErrorCodes.DepotInvalid, full, null, "is neither an ISO 9660 image nor a zip (offline bundle)");
    }

    private static ImageVerification VerifyIso(string path, CancellationToken ct)
    {
        var problems = new List<ImageProblem>();
        var passed = new List<string>();
        List<string> modules;
        Func<string, IsoFileEntry> find;
        using (var reader = IsoReader.Open(path))
        {
            CheckElTorito(reader, problems, passed);
            modules = CheckBootCfgs(reader, problems, passed);
            var files = reader.Files.ToList();
            find = p => files.FirstOrDefault(f => string.Equals(f.Path.TrimStart('/'), p.TrimStart('/'), StringComparison.OrdinalIgnoreCase));
        }

        Depot depot;
        try { depot = IsoDepotReader.Open(path, ct); }
        catch (Exception e) when (e is EsxException || e is InvalidDataException || e is ICSharpCode.SharpZipLib.SharpZipBaseException)
        {
            // A damaged IMGDB.TGZ is a finding about the image, not a failure of the check.
            var message = e is EsxException ? e.Message : $"IMGDB.TGZ cannot be read: {e.Message}";
            problems.Add(new ImageProblem(ImageCheck.ImageDatabase, ImageProblemSeverity.Error, "IMGDB.TGZ", message));
            return new ImageVerification { Path = path, Kind = "Iso", Problems = problems, Passed = passed };
        }
        CheckDatabase(depot, problems, passed);
        if (modules != null) CheckModulesAgainstDatabase(depot, modules, problems, passed);
        int verified = CheckChecksums(depot.Profiles.SelectMany(p => p.Packages), wholeFiles: false, problems, passed, ct);
        CheckAcceptance(depot.Profiles, problems, passed);
        // IMGDB.TGZ holds descriptors without signatures (as an installed host's database does: esximg-700), and the
        // payload files are not .vibs: there is no signature to check, which is said rather than implied clean.
        passed.Add("signatures: not checkable, an ISO carries descriptors and payloads but no sig.pkcs7");
        return new ImageVerification { Path = path, Kind = "Iso", Problems = problems, Passed = passed, Profiles = depot.Profiles, PayloadsVerified = verified };
    }

    private static ImageVerification VerifyBundle(string path, VibTrustStore trust, CancellationToken ct)
    {
        var problems = new List<ImageProblem>();
        var passed = new List<string>();
        Depot depot;
        try { depot = DepotReader.OpenZip(path, null, null, ct); }
        catch (EsxException e)
        {
            problems.Add(new ImageProblem(ImageCheck.ImageDatabase, ImageProblemSeverity.Error, null, e.Message));
            return new ImageVerification { Path = path, Kind = "Bundle", Problems = problems, Passed = passed };
        }
        if (depot.Packages.Count == 0) problems.Add(new ImageProblem(ImageCheck.ImageDatabase, ImageProblemSeverity.Error, "metadata", "the bundle lists no VIBs"));
        CheckDatabase(depot, problems, passed);
        int verified = CheckChecksums(depot.Packages, wholeFiles: true, problems, passed, ct);
        CheckAcceptance(depot.Profiles, problems, passed);
        CheckSignatures(depot.Packages, trust, problems, passed, ct);
        return new ImageVerification { Path = path, Kind = "Bundle", Problems = problems, Passed = passed, Profiles = depot.Profiles, PayloadsVerified = verified };
    }

    private static void CheckElTorito(IsoReader reader, List<ImageProblem> problems, List<string> passed)
    {
        var catalog = reader.BootCatalog;
        if (catalog == null)
        {
            problems.Add(new ImageProblem(ImageCheck.ElTorito, ImageProblemSeverity.Error, null, "the image has no El Torito boot catalog: it boots neither under BIOS nor under UEFI"));
            return;
        }
        var bios = catalog.Entries.FirstOrDefault(e => !e.IsEfi);
        var efi = catalog.Entries.FirstOrDefault(e => e.IsEfi);
        foreach (var (entry, firmware) in new[] { (bios, "BIOS"), (efi, "UEFI") })
        {
            if (entry == null)
            {
                problems.Add(new ImageProblem(ImageCheck.ElTorito, ImageProblemSeverity.Error, null, $"the boot catalog has no {firmware} entry: the image does not boot under {firmware}"));
                continue;
            }
            if (!entry.Bootable)
                problems.Add(new ImageProblem(ImageCheck.ElTorito, ImageProblemSeverity.Error, null, $"the {firmware} boot entry is marked not bootable"));
            var file = reader.Files.FirstOrDefault(f => f.Extents.Count > 0 && f.Extents[0].Lba == entry.Lba);
            if (file == null)
            {
                problems.Add(new ImageProblem(ImageCheck.ElTorito, ImageProblemSeverity.Error, null, $"the {firmware} boot entry points at sector {entry.Lba}, where no file of the image starts"));
                continue;
            }
            long loads = entry.SectorCount * 512L;
            if (file.Size == 0 || (entry.IsNoEmulation && loads > 0 && loads > AlignUp(file.Size, 2048)))
                problems.Add(new ImageProblem(ImageCheck.ElTorito, ImageProblemSeverity.Error, Rooted(file.Path),
                    $"the {firmware} boot entry loads {loads} bytes from a file of {file.Size} bytes"));
            else passed.Add($"El Torito {firmware} entry → {Rooted(file.Path)} ({file.Size} bytes)");
        }
    }

    private static string Rooted(string isoPath) => "/" + (isoPath ?? "").TrimStart('/');

    private static long AlignUp(long v, long a) => (v + a - 1) / a * a;

    /// <summary>Checks both BOOT.CFGs; returns the module file names (kernel first, lower case, no leading '/') or null when unusable.</summary>
    private static List<string> CheckBootCfgs(IsoReader reader, List<ImageProblem> problems, List<string> passed)
    {
        var lists = new Dictionary<string, (List<string> Modules, string Prefix)>(StringComparer.Ordinal);
        foreach (var name in new[] { "BOOT.CFG", "EFI/BOOT/BOOT.CFG" })
        {
            if (!(reader.Find(name) is IsoFileEntry f))
            {
                problems.Add(new ImageProblem(ImageCheck.BootCfg, ImageProblemSeverity.Error, "/" + name, name == "BOOT.CFG"
                    ? "missing: the BIOS boot loader (mboot.c32) reads it" : "missing: the UEFI boot loader reads it"));
                continue;
            }
            if (f.Size > MaxBootCfgBytes)
            {
                problems.Add(new ImageProblem(ImageCheck.BootCfg, ImageProblemSeverity.Error, Rooted(f.Path), $"is {f.Size} bytes, too large to be a boot configuration"));
                continue;
            }
            string text;
            using (var s = reader.OpenFile(f))
            using (var r = new StreamReader(s, Encoding.ASCII)) text = r.ReadToEnd();
            var cfg = BootCfg.Parse(text);
            var kernel = cfg["kernel"];
            if (string.IsNullOrWhiteSpace(kernel))
            {
                problems.Add(new ImageProblem(ImageCheck.BootCfg, ImageProblemSeverity.Error, Rooted(f.Path), "has no kernel= line"));
                continue;
            }
            var list = new[] { kernel }.Concat(cfg.Modules).Select(m => BootCfg.ModuleFileName(m).TrimStart('/').ToLowerInvariant()).ToList();
            lists[Rooted(f.Path)] = (list, (cfg["prefix"] ?? "").Trim().Trim('/'));
        }
        if (lists.Count == 0) return null;

        foreach (var kv in lists)
        {
            int missing = 0;
            foreach (var m in kv.Value.Modules.Distinct(StringComparer.Ordinal))
            {
                var at = kv.Value.Prefix.Length == 0 ? m : kv.Value.Prefix + "/" + m;
                if (reader.Find(at) is IsoFileEntry) continue;
                missing++;
                problems.Add(new ImageProblem(ImageCheck.BootCfg, ImageProblemSeverity.Error, kv.Key, $"names module /{at}, which the image lacks"));
            }
            var dupes = kv.Value.Modules.GroupBy(m => m, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            foreach (var d in dupes) problems.Add(new ImageProblem(ImageCheck.BootCfg, ImageProblemSeverity.Warning, kv.Key, $"names module /{d} more than once"));
            if (missing == 0) passed.Add($"{kv.Key}: kernel and {kv.Value.Modules.Count - 1} modules, all present");
        }
        if (lists.Count == 2)
        {
            var (a, b) = (lists.Keys.First(), lists.Keys.Last());
            var la = lists[a].Modules;
            var lb = lists[b].Modules;
            foreach (var m in la.Except(lb, StringComparer.Ordinal))
                problems.Add(new ImageProblem(ImageCheck.BootCfg, ImageProblemSeverity.Error, b, $"lacks module /{m}, which {a} loads: BIOS and UEFI boots would differ"));
            foreach (var m in lb.Except(la, StringComparer.Ordinal))
                problems.Add(new ImageProblem(ImageCheck.BootCfg, ImageProblemSeverity.Error, a, $"lacks module /{m}, which {b} loads: BIOS and UEFI boots would differ"));
            if (new HashSet<string>(la, StringComparer.Ordinal).SetEquals(lb) && !la.SequenceEqual(lb, StringComparer.Ordinal))
                problems.Add(new ImageProblem(ImageCheck.BootCfg, ImageProblemSeverity.Warning, b, $"loads the same modules as {a} in another order"));
            else if (la.SequenceEqual(lb, StringComparer.Ordinal)) passed.Add("both BOOT.CFGs load the same modules in the same order");
        }
        return lists.Values.First().Modules;
    }

    private static void CheckDatabase(Depot depot, List<ImageProblem> problems, List<string> passed)
    {
        var where = depot.Kind == DepotKind.Iso ? "IMGDB.TGZ" : "metadata";
        if (depot.Kind == DepotKind.Iso && depot.Profiles.Count == 0)
            problems.Add(new ImageProblem(ImageCheck.ImageDatabase, ImageProblemSeverity.Error, where, "holds no image profile, so the installer has nothing to install"));
        foreach (var u in depot.UnavailablePackages)
            problems.Add(new ImageProblem(ImageCheck.ImageDatabase, ImageProblemSeverity.Error, where, $"VIB {u.VibId}: {u.Reason}"));
        foreach (var p in depot.Profiles)
            foreach (var id in p.MissingVibIds)
                problems.Add(new ImageProblem(ImageCheck.ImageDatabase, ImageProblemSeverity.Error, where, $"profile '{p.Name}' names VIB {id}, whose descriptor is missing"));
        var inProfiles = new HashSet<string>(depot.Profiles.SelectMany(p => p.Packages).Select(v => v.Id), StringComparer.Ordinal);
        if (depot.Kind == DepotKind.Iso)
            foreach (var v in depot.Packages.Where(v => !inProfiles.Contains(v.Id)))
                problems.Add(new ImageProblem(ImageCheck.ImageDatabase, ImageProblemSeverity.Warning, where, $"holds the descriptor of VIB {v.Id}, which no profile installs"));
        if (depot.UnavailablePackages.Count == 0)
            passed.Add($"{where}: {depot.Packages.Count} VIBs, {depot.Profiles.Count} profile(s), every payload file present with its declared size");
    }

    /// <summary>Each BOOT.CFG module is a payload file IMGDB.TGZ maps (or an image-database archive); each loadable payload is a module.</summary>
    private static void CheckModulesAgainstDatabase(Depot depot, List<string> modules, List<ImageProblem> problems, List<string> passed)
    {
        var byFile = new Dictionary<string, (Vib Vib, Payload Payload)>(StringComparer.Ordinal);
        foreach (var vib in depot.Profiles.SelectMany(p => p.Packages).GroupBy(v => v.Id).Select(g => g.First()))
            if (vib.Content is IIsoPayloadFiles map)
                foreach (var p in vib.Payloads)
                    if (map.FileOf(p.Name) is IsoFileEntry f) byFile[f.Path.TrimStart('/').ToLowerInvariant()] = (vib, p);
        var listed = new HashSet<string>(modules, StringComparer.Ordinal);
        int count = 0;
        foreach (var m in modules)
            if (!byFile.ContainsKey(m) && !ImageDatabaseModules.Contains(m))
                problems.Add(new ImageProblem(ImageCheck.ImageDatabase, ImageProblemSeverity.Warning, "BOOT.CFG", $"module /{m} is no payload IMGDB.TGZ knows of"));
        foreach (var kv in byFile)
        {
            var type = (kv.Value.Payload.Type ?? "").ToLowerInvariant();
            if (type != "boot" && type != "vgz" && type != "tgz") continue;
            count++;
            if (!listed.Contains(kv.Key))
                problems.Add(new ImageProblem(ImageCheck.BootCfg, ImageProblemSeverity.Error, "BOOT.CFG",
                    $"does not load /{kv.Key}, payload '{kv.Value.Payload.Name}' ({type}) of VIB {kv.Value.Vib.Id}: the installer would lack it"));
        }
        if (!listed.Contains("imgdb.tgz"))
            problems.Add(new ImageProblem(ImageCheck.BootCfg, ImageProblemSeverity.Error, "BOOT.CFG", "does not load /imgdb.tgz, the image database the installer reads"));
        passed.Add($"BOOT.CFG loads all {count} boot, vgz and tgz payloads IMGDB.TGZ maps");
    }

    /// <summary>
    /// Each VIB's signature as an ESXi host checks it (<see cref="VibSignatureCheck"/>): a failure is an error, because
    /// a host refuses that VIB. A .vib that cannot be read is left to the checksum check, which reports why.
    /// </summary>
    private static void CheckSignatures(IEnumerable<Vib> packages, VibTrustStore trust, List<ImageProblem> problems, List<string> passed, CancellationToken ct)
    {
        int signed = 0, community = 0, bad = 0;
        var anchors = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var vib in packages.GroupBy(v => v.Id, StringComparer.Ordinal).Select(g => g.First()))
        {
            if (vib.Content == null || !vib.Content.IsAvailable) continue;
            SignatureVerdict verdict;
            try { verdict = VibSignatureCheck.Check(vib, trust, ct); }
            catch (EsxException) { continue; }
            if (!verdict.Passed)
            {
                bad++;
                problems.Add(new ImageProblem(ImageCheck.Signatures, ImageProblemSeverity.Error, vib.Content.Location, $"VIB {vib.Id}: {verdict.Problem}; an ESXi host refuses it"));
            }
            else if (vib.AcceptanceLevel <= AcceptanceLevel.CommunitySupported) community++;
            else { signed++; anchors.Add(verdict.Facts.Anchor); }
        }
        if (bad == 0)
            passed.Add($"signatures: {signed} VIB(s) signed by a trusted certificate allowed their level" +
                       (anchors.Count > 0 ? $" ({string.Join(", ", anchors)})" : "") + $", {community} CommunitySupported (no signature needed)");
    }

    private static int CheckChecksums(IEnumerable<Vib> packages, bool wholeFiles, List<ImageProblem> problems, List<string> passed, CancellationToken ct)
    {
        int payloads = 0, vibs = 0, bad = 0;
        foreach (var vib in packages.GroupBy(v => v.Id, StringComparer.Ordinal).Select(g => g.First()))
        {
            ct.ThrowIfCancellationRequested();
            if (vib.Content == null || !vib.Content.IsAvailable) continue;   // reported by the database check
            try
            {
                if (wholeFiles) VibVerifier.VerifyVibFile(vib, ct);
                foreach (var p in vib.Payloads)
                {
                    // A txt-mle hash is a measured-launch value, not computable offline: skip it, check the others.
                    var checkable = p with { Checksums = p.Checksums.Where(c => c.VerifyProcess.Length == 0 || c.IsOverGunzipped).ToList() };
                    using var s = vib.Content.OpenPayload(checkable, ct);
                    PayloadVerifier.Verify(checkable, s, vib.Id, vib.Content.Location, ct);
                    payloads++;
                }
                vibs++;
            }
            catch (EsxException e) when (e is not EsxProfileValidationException)
            {
                bad++;
                problems.Add(new ImageProblem(ImageCheck.Checksums, ImageProblemSeverity.Error, (e as EsxFormatException)?.Member, $"VIB {vib.Id}: {e.Message}"));
            }
        }
        if (bad == 0) passed.Add($"checksums: {payloads} payloads of {vibs} VIBs{(wholeFiles ? " and every .vib file" : "")} verified");
        return payloads;
    }

    private static void CheckAcceptance(IReadOnlyList<ImageProfile> profiles, List<ImageProblem> problems, List<string> passed)
    {
        foreach (var profile in profiles)
        {
            var wrong = ProfileValidator.Validate(profile).Where(p => p.Kind == ValidationProblemKind.AcceptanceLevel).ToList();
            foreach (var w in wrong) problems.Add(new ImageProblem(ImageCheck.Acceptance, ImageProblemSeverity.Error, null, w.Message));
            if (wrong.Count == 0)
                passed.Add($"acceptance: profile '{profile.Name}' is {profile.AcceptanceLevel}, no package is less trusted");
        }
    }
}
