using System;
using System.Collections.Generic;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>Options shared by ISO and bundle export.</summary>
public class ExportOptions
{
    /// <summary>The file to write.</summary>
    public string Destination { get; set; }

    /// <summary>Replace an existing destination (otherwise ExportDestinationExists before any work: <see cref="IO.AtomicFileWriter.CheckDestination"/>).</summary>
    public bool Overwrite { get; set; }

    /// <summary>
    /// Export even when validation reports errors (they are returned in <see cref="ExportResult.Problems"/> with a
    /// warning); otherwise <see cref="ErrorCodes.ProfileInvalid"/> with <see cref="EsxHints.AllowInvalidProfile"/>.
    /// </summary>
    public bool AllowInvalidProfile { get; set; }

    /// <summary>
    /// Skip the signature check (<see cref="VibSignatureCheck"/>): VIBs that would fail it are exported, with one
    /// warning per kind of failure, as ImageBuilder's -NoSignatureCheck.
    /// </summary>
    public bool NoSignatureCheck { get; set; }

    /// <summary>The certificates signatures are checked against; null: VMware's and those ESXIIMAGETOOLS_TRUSTED_CERTS names.</summary>
    public VibTrustStore TrustStore { get; set; }

    /// <summary>
    /// Wait for the output to reach the disk before renaming it into place (default true). False leaves write-back
    /// to the OS: faster, still all-or-nothing on errors, cancellation and a killed process, but a power loss soon
    /// after could leave an incomplete file (<see cref="IO.AtomicFileWriter"/>).
    /// </summary>
    public bool FlushToDisk { get; set; } = true;

    /// <summary>Timestamp written into the output; null → SOURCE_DATE_EPOCH, else now. Same inputs + same timestamp → same bytes.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>
    /// Packages available to the session: they name candidates in validation messages and supply the VIBs of the
    /// reserved components the profile carries (resvibs.tgz). The components come from the profile's own bulletins.
    /// </summary>
    public IEnumerable<Vib> Catalog { get; set; }

    /// <summary>
    /// The profile as written at <paramref name="timestamp"/>: creation and modified times later than the export
    /// timestamp are clamped to it (the SOURCE_DATE_EPOCH convention), so a profile cloned just now exports to the
    /// same bytes as long as the timestamp is the same.
    /// </summary>
    public static ImageProfile ClampTimes(ImageProfile profile, DateTimeOffset timestamp)
        => profile with
        {
            CreationTime = profile.CreationTime > timestamp ? timestamp : profile.CreationTime,
            ModifiedTime = profile.ModifiedTime > timestamp ? timestamp : profile.ModifiedTime,
        };

    /// <summary>The last moment a zip entry can record (DOS dates end in 2107; two-second steps): the bound of every output date.</summary>
    public static readonly DateTimeOffset LatestTimestamp = new DateTimeOffset(2107, 12, 31, 23, 59, 58, TimeSpan.Zero);

    /// <summary>What cannot record a date after <see cref="LatestTimestamp"/>, as range errors say it.</summary>
    public const string LatestTimestampWhy = "an offline bundle (zip) can record";

    /// <summary>
    /// Resolves the effective timestamp (explicit, SOURCE_DATE_EPOCH, or now in whole seconds), read and bounded by
    /// <see cref="UnixTime"/>: a date after <see cref="LatestTimestamp"/> is <see cref="ErrorCodes.TimestampOutOfRange"/>,
    /// a SOURCE_DATE_EPOCH that is not a number <see cref="ErrorCodes.TimestampInvalid"/>, as the reproducible-builds
    /// specification asks of a malformed value.
    /// </summary>
    public DateTimeOffset ResolveTimestamp() => ResolveTimestamp(UnixTime.SourceDateEpochValue);

    /// <summary><see cref="ResolveTimestamp()"/> with SOURCE_DATE_EPOCH given as <paramref name="sourceDateEpoch"/> (tests).</summary>
    internal DateTimeOffset ResolveTimestamp(string sourceDateEpoch)
        => Timestamp.HasValue
            ? CheckTimestamp(Timestamp.Value.ToUniversalTime(), "the timestamp")
            : UnixTime.FromSourceDateEpoch(sourceDateEpoch, LatestTimestamp, LatestTimestampWhy) ?? UnixTime.Now();

    /// <summary>Returns <paramref name="timestamp"/>, or throws <see cref="ErrorCodes.TimestampOutOfRange"/> when an output cannot record it.</summary>
    public static DateTimeOffset CheckTimestamp(DateTimeOffset timestamp, string source)
        => UnixTime.Check(timestamp, source, LatestTimestamp, LatestTimestampWhy);
}

/// <summary>Options of an ISO export.</summary>
public sealed class IsoExportOptions : ExportOptions
{
    /// <summary>Volume identifier; default derived from the profile name.</summary>
    public string VolumeId { get; set; }

    /// <summary>BOOT.CFG <c>kernelopt</c>; default <see cref="EsxBootConfig.InstallerKernelOptions"/>.</summary>
    public string KernelOptions { get; set; }
}

/// <summary>Progress of an export: a phase, bytes done of total (when known) and the current item.</summary>
public sealed class ExportProgress
{
    public ExportProgress(string phase, long bytesDone, long bytesTotal, string currentItem)
    {
        Phase = phase;
        BytesDone = bytesDone;
        BytesTotal = bytesTotal;
        CurrentItem = currentItem;
    }

    public string Phase { get; }
    public long BytesDone { get; }
    public long BytesTotal { get; }
    public string CurrentItem { get; }

    public int Percent => BytesTotal <= 0 ? 0 : (int)Math.Min(100, BytesDone * 100 / BytesTotal);
}

/// <summary>What an export wrote.</summary>
public sealed class ExportResult
{
    public string Path { get; init; }
    public string Kind { get; init; }
    public long Size { get; init; }
    public ImageProfile Profile { get; init; }
    public IReadOnlyList<string> Files { get; init; } = Array.Empty<string>();

    /// <summary>Validation problems that did not stop the export (<see cref="ExportOptions.AllowInvalidProfile"/>), and other warnings.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; init; } = Array.Empty<ValidationProblem>();
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();

    public override string ToString() => Path;
}
