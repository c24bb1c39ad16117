using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Authoring;

/// <summary>What to write into a new VIB's descriptor (New-EsxVib, <c>esximage vib new</c>).</summary>
public sealed record VibAuthoringRequest
{
    public string Name { get; init; }
    public string Version { get; init; }
    public string Vendor { get; init; }

    /// <summary>One line; defaults to the name.</summary>
    public string Summary { get; init; }

    /// <summary>Defaults to the summary.</summary>
    public string Description { get; init; }

    public AcceptanceLevel AcceptanceLevel { get; init; } = AcceptanceLevel.CommunitySupported;
    public IReadOnlyList<Constraint> Depends { get; init; } = Array.Empty<Constraint>();
    public IReadOnlyList<Constraint> Conflicts { get; init; } = Array.Empty<Constraint>();
    public IReadOnlyList<Constraint> Replaces { get; init; } = Array.Empty<Constraint>();
    public IReadOnlyList<Provide> Provides { get; init; } = Array.Empty<Provide>();
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();

    /// <summary>A <c>kb</c> URL, as VIB2ZIP and TGZ2VIB write it; null for none.</summary>
    public string KbUrl { get; init; }

    public bool LiveInstallAllowed { get; init; }
    public bool LiveRemoveAllowed { get; init; }

    /// <summary>Whether installing or removing needs maintenance mode (true, like TGZ2VIB's drivers).</summary>
    public bool MaintenanceMode { get; init; } = true;

    public bool StatelessReady { get; init; } = true;

    /// <summary><c>tgz</c> (a gzip'd tar, as TGZ2VIB writes) or <c>vgz</c> (a gzip'd vmtar, as VIB Author writes).</summary>
    public string PayloadType { get; init; } = "tgz";

    /// <summary>The payload (ar member) name; default the VIB name cut to 8 characters, as TGZ2VIB names it.</summary>
    public string PayloadName { get; init; }

    /// <summary>The release date and the payload's file times; null → SOURCE_DATE_EPOCH, else now (same inputs + same date = same bytes).</summary>
    public DateTimeOffset? ReleaseDate { get; init; }

    /// <summary>The descriptor <c>&lt;type&gt;</c>: bootbank (default) or locker.</summary>
    public string Type { get; init; } = "bootbank";
}

/// <summary>The outcome of <see cref="VibAuthor.Create"/>.</summary>
public sealed class VibAuthoringResult
{
    public VibAuthoringResult(Vib vib, string path, IReadOnlyList<string> warnings)
    {
        Vib = vib;
        Path = path;
        Warnings = warnings;
    }

    /// <summary>The VIB as read back from the written file (content readable).</summary>
    public Vib Vib { get; }
    public string Path { get; }

    /// <summary>Paths a community package may not normally touch, and similar advice; nothing here stopped the write.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public override string ToString() => Path;
}

/// <summary>
/// Makes a VIB from an OEM.tgz, a tar or a folder tree (what VMware's VIB Author and v-front's TGZ2VIB did): ar members
/// descriptor.xml, an empty sig.pkcs7 and one payload, the file-list taken from the archive, every checksum computed by
/// <see cref="VibWriter"/>. The payload is rebuilt, not copied: owners root, modes 0644/0755, times the release date, so
/// equal inputs give equal bytes. Written atomically; the source is only read.
/// </summary>
public static class VibAuthor
{
    /// <summary>Writes <paramref name="destination"/> from <paramref name="source"/>; an existing file is replaced only with <paramref name="overwrite"/>.</summary>
    public static VibAuthoringResult Create(string source, VibAuthoringRequest request, string destination, bool overwrite = false,
                                            CancellationToken cancellationToken = default)
    {
        if (request == null) throw new ArgumentNullException(nameof(request));
        if (string.IsNullOrEmpty(destination)) throw new ArgumentException("destination is required", nameof(destination));
        var metadata = Describe(request, source);
        var full = AtomicFileWriter.CheckDestination(destination, overwrite);
        var workDirectory = WorkDirectory.Create("vib");
        var work = workDirectory.Path;
        try
        {
            using var tree = PackageSourceTree.Open(source, work, null, cancellationToken);
            var warnings = tree.Files.Select(f => CommunityPaths.Check(f.Path)).Where(w => w != null).ToList();
            if (metadata.Name.IndexOf('_') >= 0 || metadata.Vendor.IndexOf('_') >= 0)
                warnings.Add($"'_' in the name or vendor makes the VIB id {metadata.Id} ambiguous");
            var payloadFile = Path.Combine(work, "payload");
            using (var fs = new FileStream(payloadFile, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
                WritePayload(fs, tree, metadata.Payloads[0].Type, metadata.ReleaseDate.Value, cancellationToken);
            var vib = metadata with { FileList = tree.Files.Select(f => f.Path).ToList() };
            AtomicFileWriter.Write(full, overwrite, (stream, ct) =>
                VibWriter.Write(vib, new[] { PayloadSource.FromFile(vib.Payloads[0].Name, payloadFile) }, stream, null, ct), cancellationToken);
            return new VibAuthoringResult(VibFile.Open(full), full, warnings);
        }
        finally
        {
            workDirectory.Dispose();
        }
    }

    /// <summary>The descriptor a request describes (payload list with one unsized payload, no file-list yet); typed errors for bad fields.</summary>
    public static Vib Describe(VibAuthoringRequest request, string source = null)
    {
        string target = request.Name ?? source;
        string Field(string value, string field)
        {
            var v = (value ?? "").Trim();
            if (v.Length == 0) throw Bad(target, $"the VIB needs a {field}");
            if (v.Any(ch => char.IsWhiteSpace(ch) || ch < ' ' || ch == '/' || ch == '\\'))
                throw Bad(target, $"{field} '{v}' may not contain spaces, control characters or path separators");
            return v;
        }
        var name = Field(request.Name, "name");
        var vendor = Field(request.Vendor, "vendor");
        var versionText = Field(request.Version, "version");
        if (!VibVersion.TryParse(versionText, out var version)) throw Bad(target, $"version '{versionText}' is not a VIB version (like 1.0.0-1)");
        var type = (request.PayloadType ?? "tgz").Trim().ToLowerInvariant();
        if (type != "tgz" && type != "vgz") throw Bad(target, $"payload type '{request.PayloadType}' is not tgz or vgz");
        var payloadName = string.IsNullOrWhiteSpace(request.PayloadName) ? (name.Length > 8 ? name.Substring(0, 8) : name) : request.PayloadName.Trim();
        if (payloadName == VibFile.DescriptorMember || payloadName == VibFile.SignatureMember || payloadName.Length > 16 ||
            payloadName.Any(ch => char.IsWhiteSpace(ch) || ch < ' ' || ch == '/'))
            throw Bad(target, $"payload name '{payloadName}' is not a valid ar member name (at most 16 characters, no spaces or '/', not descriptor.xml or sig.pkcs7)");
        var vibType = string.IsNullOrWhiteSpace(request.Type) ? "bootbank" : request.Type.Trim();
        var summary = string.IsNullOrWhiteSpace(request.Summary) ? name : request.Summary.Trim();
        var date = request.ReleaseDate.HasValue
            ? ExportOptions.CheckTimestamp(request.ReleaseDate.Value.ToUniversalTime(), "the release date")
            : new ExportOptions().ResolveTimestamp();
        return new Vib
        {
            SchemaVersion = "5.0",
            Type = vibType,
            Name = name,
            Version = version,
            Vendor = vendor,
            Summary = summary,
            Description = string.IsNullOrWhiteSpace(request.Description) ? summary : request.Description.Trim(),
            ReleaseDate = date.ToUniversalTime(),
            Urls = string.IsNullOrWhiteSpace(request.KbUrl) ? Array.Empty<VibUrl>() : new[] { new VibUrl("kb", request.KbUrl.Trim()) },
            Depends = request.Depends ?? Array.Empty<Constraint>(),
            Conflicts = request.Conflicts ?? Array.Empty<Constraint>(),
            Replaces = request.Replaces ?? Array.Empty<Constraint>(),
            Provides = request.Provides ?? Array.Empty<Provide>(),
            Tags = (request.Tags ?? Array.Empty<string>()).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList(),
            MaintenanceMode = new MaintenanceMode(request.MaintenanceMode, request.MaintenanceMode),
            AcceptanceLevel = request.AcceptanceLevel,
            LiveInstallAllowed = request.LiveInstallAllowed,
            LiveRemoveAllowed = request.LiveRemoveAllowed,
            StatelessReady = request.StatelessReady,
            Payloads = new[] { new Payload { Name = payloadName, Type = type, Size = -1 } },
        };
    }

    /// <summary>Writes the payload: folders then files in path order for tgz (each folder before its contents); a vmtar for vgz.</summary>
    private static void WritePayload(Stream output, PackageSourceTree tree, string type, DateTimeOffset time, CancellationToken ct)
    {
        if (type == "vgz")
        {
            VmTar.Write(output, tree.Files.Select(f => VmTarInput.File(f.Path, f.Size, () => new DeclaredLengthStream(tree, f), f.Executable ? 0x1ED : 0x1A4)), gzip: true);
            return;
        }
        var entries = tree.Directories.Select(d => (Path: d + "/", File: (SourceFile)null))
                          .Concat(tree.Files.Select(f => (f.Path, File: f)))
                          .OrderBy(e => e.Path, StringComparer.Ordinal);
        using var tar = new TarGzWriter(output, time);
        foreach (var (path, file) in entries)
        {
            ct.ThrowIfCancellationRequested();
            if (file == null) { tar.AddDirectory(path); continue; }
            using var s = new DeclaredLengthStream(tree, file);
            tar.AddFile(file.Path, file.Size, s, file.Executable);
        }
    }

    private static EsxException Bad(string target, string problem)
        => new EsxException(ErrorCodes.PackageMetadataInvalid, EsxErrorCategory.InvalidArgument, $"{target}: {problem}", target);

    /// <summary>
    /// A source file read as exactly the size the folder listing gave: a file that turns out shorter or longer (a /proc
    /// or /sys file lists as 0 bytes, a file still being written grows) is a typed error, never a silently cut copy.
    /// </summary>
    private sealed class DeclaredLengthStream : Stream
    {
        private readonly Stream _inner;
        private readonly PackageSourceTree _tree;
        private readonly SourceFile _file;
        private long _remaining;
        private bool _checkedEnd;

        public DeclaredLengthStream(PackageSourceTree tree, SourceFile file)
        {
            _tree = tree;
            _file = file;
            _inner = PackageSourceTree.OpenSource(file.LocalPath, tree.Source, file.Path);
            _remaining = file.Size;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_remaining == 0) { CheckEnd(); return 0; }
            int n = _inner.Read(buffer, offset, (int)Math.Min(count, _remaining));
            if (n <= 0)
                throw new EsxFormatException(ErrorCodes.PackageSourceInvalid, _tree.Source, _file.Path,
                    $"was listed as {_file.Size} bytes but ended after {_file.Size - _remaining} when read (it changed while being packaged)");
            _remaining -= n;
            return n;
        }

        private void CheckEnd()
        {
            if (_checkedEnd) return;
            _checkedEnd = true;
            if (_inner.ReadByte() != -1)
                throw new EsxFormatException(ErrorCodes.PackageSourceInvalid, _tree.Source, _file.Path,
                    $"was listed as {_file.Size} bytes but holds more when read: a special file (like those in /proc or /sys) or a file still being written; package a copy instead");
        }

        protected override void Dispose(bool disposing)
        {
            try { if (disposing && _remaining == 0) CheckEnd(); }
            finally
            {
                if (disposing) _inner.Dispose();
                base.Dispose(disposing);
            }
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _file.Size;
        public override long Position { get => _file.Size - _remaining; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
