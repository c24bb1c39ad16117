using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Cli.Commands;

/// <summary>
/// <c>esximage inspect &lt;file&gt; [--json] [--no-verify]</c>: shows a .vib's metadata, payloads and signature, or lists
/// anything else a depot can be read from (bundle or component zip, ISO, folder, online depot URL);
/// <see cref="DetectKind"/> tells them apart.
/// </summary>
public sealed class InspectCommand : CliCommand, ICliOptions
{
    public override string Name => "inspect";

    public override string Summary => "show a VIB's metadata and payloads, or list a depot (bundle zip, folder, URL)";

    public override string Usage =>
        "usage: esximage inspect <file.vib | bundle.zip | folder | depot-index-url> [--json] [--no-verify] [--trust-cert <pem>...]\n" +
        "  A zip, folder or URL is listed as a depot: kind, vendors, packages, profiles, components.\n" +
        "  Shows the package (id, name, version, vendor), its payloads (name, type, size, sha256),\n" +
        "  depends/conflicts/replaces/provides, acceptance level, and its signature: verifies / does not verify /\n" +
        "  unsigned / unreadable, the signer, the trust anchor it chains to (or untrusted) and the highest level that\n" +
        "  anchor may sign, and whether an ESXi host would accept it at its acceptance level.\n" +
        "  Payload checksums are verified unless --no-verify is given.\n" +
        "  --json       write the package as JSON (camelCase engine object) instead of a table\n" +
        "  --no-verify  do not read the payloads to verify their checksums\n" +
        TrustArguments.Usage + "\n" +
        "exit codes: 0 ok, 2 usage, 3 invalid or corrupt input (checksum mismatch), 4 file not found";

    public IEnumerable<string> ValueOptions => new[] { TrustArguments.Option };

    public IEnumerable<string> Flags => new[] { "json", "no-verify" };

    /// <summary>What an inspect argument refers to.</summary>
    public enum InputKind
    {
        Vib,
        Zip,
        Iso,
        Url,
        Unknown,
    }

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count != 1) throw new CliUsageException("expected exactly one file to inspect");
        var input = args.Positionals[0];
        bool json = args.Flag("json");
        bool verify = !args.Flag("no-verify");
        var path = context.ResolvePath(input);
        if (Directory.Exists(path)) return InspectDepot(path, json, context);
        switch (DetectKind(path))
        {
            case InputKind.Vib:
                return InspectVib(path, json, verify, context, TrustArguments.Store(args, context));
            case InputKind.Zip:
            case InputKind.Url:
            case InputKind.Iso:
                return InspectDepot(path, json, context);
            default:
                throw new EsxFormatException(ErrorCodes.NotAnArArchive, path, null, "not a VIB file (no ar header) and not a known bundle or ISO");
        }
    }

    /// <summary>Decides the input kind: URLs by scheme, files by their first bytes (then by extension).</summary>
    public static InputKind DetectKind(string path)
    {
        if (path.Contains("://", StringComparison.Ordinal)) return InputKind.Url;
        if (!File.Exists(path))
        {
            if (Directory.Exists(path)) throw new CliUsageException($"'{path}' is a directory; give a file");
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"{path}: file not found", path);
        }
        var head = new byte[8];
        int n;
        bool iso;
        using (var fs = File.OpenRead(path))
        {
            n = fs.Read(head, 0, head.Length);
            iso = IsoDepotReader.LooksLikeIso(fs);
        }
        if (n == 8 && head.SequenceEqual(ArReader.Magic)) return InputKind.Vib;
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return InputKind.Zip;
        if (iso) return InputKind.Iso;
        var ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".vib" => InputKind.Vib, // let the VIB reader say precisely what is wrong with it
            ".iso" => InputKind.Iso,
            ".zip" => InputKind.Zip,
            _ => InputKind.Unknown,
        };
    }

    /// <summary>
    /// Inspects a depot (offline bundle, wrapped or component zip, folder, online depot URL): kind, vendors,
    /// packages, profiles, components and unavailable packages; --json writes the <see cref="Depot"/> object.
    /// </summary>
    public static int InspectDepot(string source, bool json, CliContext context)
    {
        var depot = DepotReader.Open(source, null, null, context.Cancellation);
        if (json) { CliJson.Write(context.Out, depot); return ExitCodes.Success; }
        var w = context.Out;
        w.WriteLine($"Depot           {depot.Source}");
        w.WriteLine($"Kind            {depot.Kind}");
        w.WriteLine($"Vendors         {(depot.Vendors.Count == 0 ? "(none)" : string.Join(", ", depot.Vendors.Select(v => v.Code.Length > 0 ? $"{v.Name} ({v.Code})" : v.Name)))}");
        w.WriteLine();
        w.WriteLine($"Packages ({depot.Packages.Count}):");
        PackagesCommand.WriteTable(w, depot.Packages);
        if (depot.Profiles.Count > 0)
        {
            w.WriteLine();
            w.WriteLine($"Image profiles ({depot.Profiles.Count}):");
            ProfilesCommand.WriteTable(w, depot.Profiles);
        }
        if (depot.Components.Count > 0)
        {
            w.WriteLine();
            w.WriteLine($"Components ({depot.Components.Count}):");
            CliTable.Write(w, new[] { "Name", "Version", "Vendor", "Display name" },
                depot.Components.Select(c => new[] { c.Name, c.Version, c.Vendor, c.UiName }).ToList());
        }
        foreach (var (label, units) in new[] { ("Base images", depot.BaseImages), ("Add-ons", depot.Addons), ("Manifests", depot.Manifests), ("Solutions", depot.Solutions) })
            if (units.Count > 0) w.WriteLine($"{label}: {string.Join(", ", units.Select(u => u.Id))}");
        if (depot.UnavailablePackages.Count > 0)
        {
            w.WriteLine();
            w.WriteLine($"Unavailable packages ({depot.UnavailablePackages.Count}):");
            foreach (var u in depot.UnavailablePackages) w.WriteLine($"  {u.VibId}: {u.Reason}");
        }
        return ExitCodes.Success;
    }

    /// <summary>Inspects one .vib: prints a table or JSON; verifies payload checksums when asked.</summary>
    public static int InspectVib(string path, bool json, bool verify, CliContext context, VibTrustStore trust = null)
    {
        var vib = VibFile.Open(path);
        IReadOnlyDictionary<string, PayloadDigests> digests = null;
        if (verify) digests = VibVerifier.VerifyAll(vib, context.Cancellation);
        var verdict = VibSignatureCheck.Check(vib, trust ?? VibTrustStore.Create(null), context.Cancellation);
        if (json)
        {
            CliJson.WriteWith(context.Out, vib, "signature", SignatureReport.Of(verdict));
            return ExitCodes.Success;
        }
        WriteTable(context.Out, vib, digests, verdict);
        return ExitCodes.Success;
    }

    /// <summary>
    /// The <c>signature</c> member of <c>inspect --json</c>: <c>state</c> (verifies, does not verify, unsigned, unreadable),
    /// the signer certificate, <c>trust</c> (the anchor's name, or "untrusted"), <c>anchorMaxLevel</c> (the highest level
    /// the anchor may sign), and <c>hostAccepts</c>: whether an ESXi host would accept the VIB at its level (<c>refusal</c> says why not).
    /// </summary>
    internal sealed record SignatureReport(string State, string Encoding, string Signer, string Issuer, string SignerThumbprint,
        DateTimeOffset? SigningTime, DateTimeOffset? NotBefore, DateTimeOffset? NotAfter, bool? ValidAtSigning,
        string Trust, string AnchorOrigin, string AnchorMaxLevel, bool HostAccepts, string Refusal, string Problem)
    {
        public static SignatureReport Of(SignatureVerdict v)
        {
            var f = v.Facts;
            return new SignatureReport(f?.StateText, f?.Encoding, f?.Signer, f?.Issuer, f?.SignerThumbprint, f?.SigningTime, f?.NotBefore, f?.NotAfter,
                f?.ValidAtSigning, f?.Trust ?? "untrusted", f?.AnchorOrigin, f?.AnchorMaxLevel?.ToString(), v.Passed, v.Problem, f?.Problem);
        }
    }

    private static void WriteTable(TextWriter w, Vib vib, IReadOnlyDictionary<string, PayloadDigests> digests, SignatureVerdict verdict)
    {
        var signature = verdict.Facts;
        void Row(string label, string value) => w.WriteLine($"{label,-16}{value}");
        string YesNo(bool b) => b ? "yes" : "no";
        string Join<T>(IEnumerable<T> items) { var s = string.Join(", ", items.Select(i => i.ToString())); return s.Length == 0 ? "(none)" : s; }

        Row("Package", vib.Id);
        Row("Name", vib.Name);
        Row("Version", vib.Version.ToString());
        Row("Vendor", vib.Vendor);
        Row("Type", vib.Type);
        Row("Summary", vib.Summary);
        Row("Release date", vib.ReleaseDate?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "(none)");
        Row("Acceptance", $"{vib.AcceptanceLevel} ({AcceptanceLevels.ToCode(vib.AcceptanceLevel)})");
        Row("Signed", vib.Signed is bool signed ? YesNo(signed) : "unknown (not read)");
        Row("Signature", signature.State switch
        {
            SignatureState.Verifies => $"verifies over descriptor.xml ({signature.Encoding})",
            SignatureState.Unsigned => "unsigned",
            _ => signature.StateText + ": " + MessageText.Escape(signature.Problem),
        });
        if (signature.Present)
        {
            if (signature.Signer != null)
            {
                Row("Signer", MessageText.Escape(signature.Signer));
                string Day(DateTimeOffset? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "?";
                Row("Signer valid", $"{Day(signature.NotBefore)} to {Day(signature.NotAfter)}" + (signature.CurrentlyValid == false ? " (not valid now)" : ""));
                Row("Signed on", signature.SigningTime == null ? "(no signing time)" : Day(signature.SigningTime) +
                    (signature.ValidAtSigning == false ? " (outside the certificate's validity)" : " (within the certificate's validity)"));
            }
            if (signature.SignatureVerifies)
                Row("Trust", signature.Anchor == null ? "untrusted (no trusted certificate signed it or issued its signer)"
                    : $"{MessageText.Escape(signature.Anchor)} ({signature.AnchorOrigin}), may sign up to {signature.AnchorMaxLevel}");
        }
        Row("Host accepts", verdict.Passed ? (vib.AcceptanceLevel <= AcceptanceLevel.CommunitySupported ? "yes (CommunitySupported needs no signature)" : "yes")
            : "no: " + MessageText.Escape(verdict.Problem));
        Row("Maintenance", $"install: {YesNo(vib.MaintenanceMode.Install)}, remove: {YesNo(vib.MaintenanceMode.Remove)}");
        Row("Live install", $"{YesNo(vib.LiveInstallAllowed)} (remove: {YesNo(vib.LiveRemoveAllowed)})");
        Row("Depends", Join(vib.Depends));
        Row("Conflicts", Join(vib.Conflicts));
        Row("Replaces", Join(vib.Replaces));
        Row("Provides", Join(vib.Provides));
        if (vib.SoftwarePlatforms.Count > 0) Row("Platforms", Join(vib.SoftwarePlatforms));
        Row("Files", vib.FileList.Count.ToString(CultureInfo.InvariantCulture));
        int unverifiable = vib.Payloads.Sum(p => p.UnverifiableChecksums.Count);
        Row("Checksums", digests == null ? "not verified (--no-verify)"
            : $"verified ({vib.Payloads.Sum(p => p.Checksums.Count) - unverifiable} checksums over {vib.Payloads.Count} payloads)" +
              (unverifiable == 0 ? "" : "; not checkable offline, carried through: " +
                  string.Join(", ", vib.Payloads.SelectMany(p => p.UnverifiableChecksums.Select(c => $"{p.Name} {c.Algorithm} verify-process {c.VerifyProcess}")))));
        w.WriteLine();
        w.WriteLine("Payloads");
        var rows = vib.Payloads.Select(p => (p.Name, p.Type, Size: p.Size.ToString(CultureInfo.InvariantCulture), Sha: p.Sha256 ?? digests?[p.Name].StoredSha256 ?? "(not declared)")).ToList();
        int nw = Math.Max(4, rows.Select(r => r.Name.Length).DefaultIfEmpty(0).Max());
        int tw = Math.Max(4, rows.Select(r => r.Type.Length).DefaultIfEmpty(0).Max());
        int sw = Math.Max(4, rows.Select(r => r.Size.Length).DefaultIfEmpty(0).Max());
        w.WriteLine($"  {"NAME".PadRight(nw)}  {"TYPE".PadRight(tw)}  {"SIZE".PadLeft(sw)}  SHA256");
        foreach (var r in rows) w.WriteLine($"  {r.Name.PadRight(nw)}  {r.Type.PadRight(tw)}  {r.Size.PadLeft(sw)}  {r.Sha}");
        if (rows.Count == 0) w.WriteLine("  (no payloads)");
    }
}
