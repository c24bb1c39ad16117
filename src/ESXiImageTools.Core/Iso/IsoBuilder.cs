using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Iso;

/// <summary>
/// Collects an ISO 9660 (Level 1, no Joliet, no Rock Ridge) image with optional El Torito BIOS and UEFI
/// entries, then writes it in one pass: the layout is computed from declared sizes first, then each file's
/// bytes stream from its source into the output. Same inputs and <see cref="Timestamp"/> give the same bytes.
/// </summary>
public sealed class IsoBuilder
{
    /// <summary>Largest file a single-extent directory record can describe (4 GiB − 1).</summary>
    public const long MaxFileSize = uint.MaxValue;

    /// <summary>Largest BIOS boot file whose boot info table is patched (it is buffered for the patch).</summary>
    public const int MaxPatchedBootFileSize = 4 * 1024 * 1024;

    private readonly IsoDirectoryNode _root = new IsoDirectoryNode("", null);
    private IsoFileNode _catalog;

    /// <summary>Creates a builder whose every recorded date is <paramref name="timestamp"/> (pass a fixed one for reproducible images).</summary>
    public IsoBuilder(DateTimeOffset timestamp) => Timestamp = timestamp;

    /// <summary>The date written into the volume descriptor and every directory record (stored as UTC, whole seconds in records).</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>Volume identifier, at most 32 characters of A–Z, 0–9, '_', '-', '.' (ESXi uses '-' and '.').</summary>
    public string VolumeId { get; set; } = "CDROM";

    /// <summary>System identifier (at most 32 a-characters); empty by default, as on ESXi media.</summary>
    public string SystemId { get; set; } = "";

    /// <summary>Volume set identifier (at most 128 a-characters).</summary>
    public string VolumeSetId { get; set; } = "";

    /// <summary>Publisher identifier (at most 128 a-characters).</summary>
    public string PublisherId { get; set; } = "";

    /// <summary>Data preparer identifier (at most 128 a-characters).</summary>
    public string DataPreparerId { get; set; } = "";

    /// <summary>Application identifier (at most 128 a-characters); <c>ESXIMAGE</c> as on VMware's images.</summary>
    public string ApplicationId { get; set; } = "ESXIMAGE";

    /// <summary>El Torito BIOS no-emulation entry, or null.</summary>
    public IsoBiosBoot BiosBoot { get; set; }

    /// <summary>El Torito UEFI entry, or null.</summary>
    public IsoEfiBoot EfiBoot { get; set; }

    /// <summary>ISO path of the boot catalog file written when a boot entry is set (mkisofs <c>-c</c>).</summary>
    public string BootCatalogPath { get; set; } = "BOOT.CAT";

    /// <summary>Adds a directory (and its missing parents); adding an existing directory is a no-op.</summary>
    public IsoBuilder AddDirectory(string isoPath)
    {
        var parts = IsoNames.SplitPath(isoPath, isDirectory: true);
        EnsureDirectory(isoPath, parts, parts.Count);
        return this;
    }

    /// <summary>
    /// Adds a file of <paramref name="size"/> bytes whose content <paramref name="open"/> returns when the image is
    /// written (it may be called once per write; the stream is disposed after). Parents are created as needed.
    /// </summary>
    public IsoBuilder AddFile(string isoPath, long size, Func<Stream> open)
    {
        if (open == null) throw new ArgumentNullException(nameof(open));
        var parts = IsoNames.SplitPath(isoPath, isDirectory: false);
        if (size < 0) throw IsoNames.Invalid(isoPath, "the size is negative");
        if (size > MaxFileSize)
            throw IsoNames.Invalid(isoPath, $"the file is {size} bytes; ISO 9660 single-extent files are limited to {MaxFileSize} bytes (4 GiB - 1)");
        var dir = EnsureDirectory(isoPath, parts, parts.Count - 1);
        var name = parts[parts.Count - 1];
        if (dir.Children.ContainsKey(name)) throw IsoNames.Invalid(isoPath, "an entry with this name already exists");
        dir.Children.Add(name, new IsoFileNode(name, dir, size, open, IsoFileKind.Regular));
        return this;
    }

    /// <summary>Adds a file copied from <paramref name="sourceFile"/>; its size is taken now and checked again while writing.</summary>
    public IsoBuilder AddFile(string isoPath, string sourceFile)
    {
        var info = new FileInfo(sourceFile);
        if (!info.Exists)
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"source file '{sourceFile}' for ISO path '{isoPath}' does not exist", sourceFile);
        return AddFile(isoPath, info.Length, () => new FileStream(sourceFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan));
    }

    /// <summary>True when a file (not a directory) exists at <paramref name="isoPath"/> (case-sensitive, no version).</summary>
    public bool ContainsFile(string isoPath) => Find(isoPath) is IsoFileNode f && f.Kind == IsoFileKind.Regular;

    /// <summary>True when a directory exists at <paramref name="isoPath"/>.</summary>
    public bool ContainsDirectory(string isoPath) => Find(isoPath) is IsoDirectoryNode;

    /// <summary>Size in bytes of the image <see cref="WriteTo"/> would write now.</summary>
    public long ComputeImageSize() => Prepare().Layout.TotalBytes;

    /// <summary>
    /// Writes the whole image to <paramref name="output"/> (sequentially, from its current position).
    /// Throws <see cref="EsxException"/> <see cref="ErrorCodes.IsoSourceSizeMismatch"/> naming the file when a source
    /// delivers more or fewer bytes than declared, and <see cref="OperationCanceledException"/> on cancellation.
    /// </summary>
    public void WriteTo(Stream output, IProgress<IsoWriteProgress> progress = null, CancellationToken cancellationToken = default)
    {
        if (output == null) throw new ArgumentNullException(nameof(output));
        var plan = Prepare();
        new IsoImageWriter(plan, output, progress, cancellationToken).Write();
    }

    /// <summary>
    /// Whether <see cref="WriteToFile"/> waits for the image to reach the disk before renaming it into place
    /// (default true). False leaves write-back to the OS, as genisoimage does; see <see cref="AtomicFileWriter"/>.
    /// </summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>
    /// Writes the image to <paramref name="destination"/> through <see cref="AtomicFileWriter"/>: a temp file beside it,
    /// flushed to disk (see <see cref="FlushToDisk"/>) and renamed at the end; an existing destination is replaced only
    /// when <paramref name="overwrite"/>.
    /// </summary>
    public void WriteToFile(string destination, bool overwrite, IProgress<IsoWriteProgress> progress = null, CancellationToken cancellationToken = default)
    {
        AtomicFileWriter.Write(destination, overwrite, FlushToDisk, (s, ct) => WriteTo(s, progress, ct), cancellationToken);
    }

    internal IsoImagePlan Prepare()
    {
        ValidateIdentity();
        if (_catalog != null) { _catalog.Parent.Children.Remove(_catalog.Name); _catalog = null; }
        IsoFileNode bios = null, efi = null;
        if (BiosBoot != null) bios = BootFile(BiosBoot.Path, "BIOS");
        if (EfiBoot != null) efi = BootFile(EfiBoot.Path, "EFI");
        if (bios != null && BiosBoot.PatchBootInfoTable)
        {
            if (bios.Size < 64) throw IsoNames.Invalid(bios.Path, "the BIOS boot file is shorter than 64 bytes, too short for a boot info table");
            if (bios.Size > MaxPatchedBootFileSize)
                throw IsoNames.Invalid(bios.Path, $"the BIOS boot file is larger than {MaxPatchedBootFileSize} bytes; disable boot info table patching for it");
        }
        if (bios != null || efi != null)
        {
            var parts = IsoNames.SplitPath(BootCatalogPath, isDirectory: false);
            var dir = EnsureDirectory(BootCatalogPath, parts, parts.Count - 1);
            var name = parts[parts.Count - 1];
            if (dir.Children.ContainsKey(name))
                throw IsoNames.Invalid(BootCatalogPath, "the boot catalog path is already taken by another entry");
            _catalog = new IsoFileNode(name, dir, IsoEncoding.SectorSize, null, IsoFileKind.BootCatalog);
            dir.Children.Add(name, _catalog);
        }
        var layout = new IsoLayout(_root, _catalog != null, _catalog);
        var identity = new IsoVolumeIdentity
        {
            SystemId = SystemId ?? "", VolumeId = VolumeId ?? "", VolumeSetId = VolumeSetId ?? "",
            PublisherId = PublisherId ?? "", DataPreparerId = DataPreparerId ?? "", ApplicationId = ApplicationId ?? "",
            Timestamp = Timestamp,
        };
        return new IsoImagePlan(layout, identity, bios, BiosBoot?.LoadSectors ?? 0, bios != null && BiosBoot.PatchBootInfoTable, efi);
    }

    private IsoFileNode BootFile(string path, string kind)
    {
        if (string.IsNullOrEmpty(path)) throw IsoNames.Invalid("(none)", $"the {kind} boot entry names no file");
        if (Find(path) is IsoFileNode f && f.Kind == IsoFileKind.Regular) return f;
        throw IsoNames.Invalid(path, $"the {kind} boot image is not a file in the image tree");
    }

    private void ValidateIdentity()
    {
        CheckField("volume id", VolumeId, 32, c => IsoNames.IsDCharacter(c) || c == '-' || c == '.' || c == ' ');
        CheckField("system id", SystemId, 32, IsACharacter);
        CheckField("volume set id", VolumeSetId, 128, IsACharacter);
        CheckField("publisher id", PublisherId, 128, IsACharacter);
        CheckField("data preparer id", DataPreparerId, 128, IsACharacter);
        CheckField("application id", ApplicationId, 128, IsACharacter);
        var year = Timestamp.UtcDateTime.Year;
        if (year < 1900 || year > 2155)
            throw new EsxException(ErrorCodes.IsoLayoutInvalid, EsxErrorCategory.InvalidArgument, $"timestamp {Timestamp:o} is outside the years ISO 9660 can record (1900-2155)");
    }

    /// <summary>ECMA-119 7.4.1 a-characters: d-characters, space and !"%&amp;'()*+,-./:;&lt;=&gt;?</summary>
    private static bool IsACharacter(char c) => IsoNames.IsDCharacter(c) || " !\"%&'()*+,-./:;<=>?".IndexOf(c) >= 0;

    private static void CheckField(string what, string value, int max, Func<char, bool> allowed)
    {
        value ??= "";
        if (value.Length > max)
            throw new EsxException(ErrorCodes.IsoLayoutInvalid, EsxErrorCategory.InvalidArgument, $"ISO {what} '{value}' is longer than {max} characters", value);
        foreach (var c in value)
            if (!allowed(c))
                throw new EsxException(ErrorCodes.IsoLayoutInvalid, EsxErrorCategory.InvalidArgument, $"ISO {what} '{value}' contains '{c}', which ISO 9660 does not allow there (use upper case)", value);
    }

    private IsoDirectoryNode EnsureDirectory(string fullPath, IReadOnlyList<string> parts, int count)
    {
        var dir = _root;
        for (int i = 0; i < count; i++)
        {
            if (dir.Children.TryGetValue(parts[i], out var existing))
            {
                dir = existing as IsoDirectoryNode ?? throw IsoNames.Invalid(fullPath, $"'{parts[i]}' is a file, not a directory");
                continue;
            }
            var d = new IsoDirectoryNode(parts[i], dir);
            dir.Children.Add(parts[i], d);
            dir = d;
        }
        return dir;
    }

    private IsoNode Find(string isoPath)
    {
        if (string.IsNullOrEmpty(isoPath)) return null;
        var trimmed = isoPath.TrimStart('/');
        IsoNode node = _root;
        foreach (var p in trimmed.Split('/'))
        {
            if (!(node is IsoDirectoryNode d) || !d.Children.TryGetValue(p, out node) || node.Name != p) return null;
        }
        return node;
    }
}

/// <summary>Everything the writer needs, computed by <see cref="IsoBuilder.Prepare"/>.</summary>
internal sealed class IsoImagePlan
{
    public IsoImagePlan(IsoLayout layout, IsoVolumeIdentity identity, IsoFileNode bios, ushort biosLoadSectors, bool patchBootInfoTable, IsoFileNode efi)
    {
        Layout = layout; Identity = identity; Bios = bios; BiosLoadSectors = biosLoadSectors; PatchBootInfoTable = patchBootInfoTable; Efi = efi;
    }

    public IsoLayout Layout { get; }
    public IsoVolumeIdentity Identity { get; }
    public IsoFileNode Bios { get; }
    public ushort BiosLoadSectors { get; }
    public bool PatchBootInfoTable { get; }
    public IsoFileNode Efi { get; }
}
