using System;

namespace ESXiImageTools.Core.Diagnostics;

/// <summary>
/// What kind of failure an <see cref="EsxException"/> is. The names mirror PowerShell's ErrorCategory
/// values so the module can map them one to one without the engine referencing PowerShell.
/// </summary>
public enum EsxErrorCategory
{
    NotSpecified,
    InvalidData,
    InvalidArgument,
    InvalidOperation,
    ObjectNotFound,
    ResourceUnavailable,
    ResourceExists,
    PermissionDenied,
    SecurityError,
    ConnectionError,
    OperationTimeout,
    OperationStopped,
    WriteError,
    ReadError,
    NotImplemented,
}

/// <summary>
/// Base of every error the engine raises on purpose. <see cref="Code"/> is stable: it becomes the
/// PowerShell ErrorId and the CLI message prefix. <see cref="Target"/> names the file, URL or package.
/// </summary>
public class EsxException : Exception
{
    public EsxException(string code, EsxErrorCategory category, string message, string target = null, Exception inner = null)
        : base(MessageText.Escape(message), inner)
    {
        Code = code ?? throw new ArgumentNullException(nameof(code));
        Category = category;
        Target = target;
    }

    /// <summary>Stable identifier, e.g. <c>VibChecksumMismatch</c>.</summary>
    public string Code { get; }

    public EsxErrorCategory Category { get; }

    /// <summary>The file, URL, package or profile the error is about (never carries secrets).</summary>
    public string Target { get; }

    /// <summary>
    /// A way past the error that a shell names in its own terms (one of <see cref="EsxHints"/>), or null. The
    /// message names no shell's switch; each shell appends its own words for the hint (a PowerShell parameter, a
    /// command-line option).
    /// </summary>
    public string Hint { get; init; }
}

/// <summary>Hint codes an <see cref="EsxException.Hint"/> carries.</summary>
public static class EsxHints
{
    /// <summary>Export without checking VIB signatures.</summary>
    public const string SkipSignatureCheck = "SkipSignatureCheck";

    /// <summary>The destination exists: ask again to replace it.</summary>
    public const string OverwriteNeeded = "OverwriteNeeded";

    /// <summary>The profile fails validation: ask again to export it anyway.</summary>
    public const string AllowInvalidProfile = "AllowInvalidProfile";

    /// <summary>A profile edit (or build) would break the profile: ask again to force it.</summary>
    public const string ForceEdit = "ForceEdit";

    /// <summary>An edit lowers the profile below its acceptance level: allow a lower level, or lower it first.</summary>
    public const string AllowLowerAcceptance = "AllowLowerAcceptance";

    /// <summary>The profile is read-only: make an editable copy first.</summary>
    public const string CloneToEdit = "CloneToEdit";
}

/// <summary>Malformed input: a file that is not what it claims to be, or whose parts disagree.</summary>
public class EsxFormatException : EsxException
{
    public EsxFormatException(string code, string file, string member, string problem, Exception inner = null)
        : base(code, EsxErrorCategory.InvalidData, Compose(file, member, problem), file, inner)
    {
        File = file;
        Member = member;
        Problem = problem;
    }

    /// <summary>The file (or URL) that is malformed.</summary>
    public string File { get; }

    /// <summary>The part inside it (ar member, zip entry, XML element), or null.</summary>
    public string Member { get; }

    public string Problem { get; }

    private static string Compose(string file, string member, string problem)
        => member == null ? $"{file}: {problem}" : $"{file} [{member}]: {problem}";
}

/// <summary>A payload or file whose bytes do not match the checksum its metadata declares.</summary>
public sealed class EsxChecksumException : EsxFormatException
{
    public EsxChecksumException(string file, string vibId, string payload, string checksumKind, string expected, string actual)
        : base(ErrorCodes.VibChecksumMismatch, file, payload,
               $"checksum mismatch in VIB {vibId}, payload '{payload}' ({checksumKind}): expected {expected}, got {actual}")
    {
        VibId = vibId;
        Payload = payload;
        ChecksumKind = checksumKind;
        Expected = expected;
        Actual = actual;
    }

    public string VibId { get; }
    public string Payload { get; }
    public string ChecksumKind { get; }
    public string Expected { get; }
    public string Actual { get; }
}

/// <summary>The stable error codes used across the engine, the module and the CLI.</summary>
public static class ErrorCodes
{
    public const string NotAnArArchive = "VibNotArArchive";
    public const string VibTruncated = "VibTruncated";
    public const string VibMissingDescriptor = "VibMissingDescriptor";
    public const string VibInvalidDescriptor = "VibInvalidDescriptor";
    public const string VibSizeMismatch = "VibSizeMismatch";
    public const string VibChecksumMismatch = "VibChecksumMismatch";
    public const string VibPayloadMissing = "VibPayloadMissing";
    /// <summary>A VIB above CommunitySupported whose signature is missing, unreadable, wrong, or not by a trusted anchor allowed its level.</summary>
    public const string VibSignatureInvalid = "VibSignatureInvalid";
    /// <summary>A trusted-certificate file that holds no readable certificate.</summary>
    public const string CertificateInvalid = "CertificateInvalid";
    public const string XmlDtdProhibited = "XmlDtdProhibited";
    public const string InvalidVersion = "InvalidVersion";
    public const string InvalidConstraint = "InvalidConstraint";
    public const string VmtarInvalid = "VmtarInvalid";
    public const string TarInvalid = "TarInvalid";
    public const string FileNotFound = "FileNotFound";

    public const string DepotInvalid = "DepotInvalid";
    public const string DepotUnreachable = "DepotUnreachable";
    public const string DepotAccessDenied = "DepotAccessDenied";
    public const string DepotNotFound = "DepotNotFound";
    public const string DepotTimeout = "DepotTimeout";
    public const string DepotUnsafeEntry = "DepotUnsafeEntry";
    public const string DepotTooLarge = "DepotTooLarge";
    public const string DepotDuplicateConflict = "DepotDuplicateConflict";
    public const string PackageUnavailable = "PackageUnavailable";
    public const string PackageNotFound = "PackageNotFound";
    public const string PackageAmbiguous = "PackageAmbiguous";

    public const string ProfileNotFound = "ProfileNotFound";
    public const string ProfileReadOnly = "ProfileReadOnly";
    public const string ProfileExists = "ProfileExists";
    public const string ProfileInvalid = "ProfileInvalid";
    public const string ProfileSpecInvalid = "ProfileSpecInvalid";
    public const string AcceptanceLevelViolation = "AcceptanceLevelViolation";
    public const string DependencyRequired = "DependencyRequired";
    public const string ProfileAmbiguous = "ProfileAmbiguous";

    /// <summary>Removing the VIBs would break (or drop) the base image's <c>ESXi</c> component.</summary>
    public const string ComponentRemovalProhibited = "ComponentRemovalProhibited";
    public const string ComponentNotFound = "ComponentNotFound";
    /// <summary>A component whose VIBs the depots do not all hold cannot be added.</summary>
    public const string ComponentIncomplete = "ComponentIncomplete";
    public const string SoftwareSpecInvalid = "SoftwareSpecInvalid";
    public const string BaseImageNotFound = "BaseImageNotFound";
    /// <summary>A software spec names an add-on; this version lists add-ons (addons/ in metadata) but does not apply them.</summary>
    public const string AddonNotSupported = "AddonNotSupported";
    /// <summary>An add-on document (addons/ in depot metadata) that is not the release-unit JSON an add-on is.</summary>
    public const string AddonInvalid = "AddonInvalid";
    /// <summary>A base-image document (baseimages/ in depot metadata) that is not the release-unit JSON a base image is.</summary>
    public const string BaseImageInvalid = "BaseImageInvalid";

    public const string IsoInvalid = "IsoInvalid";
    public const string IsoLayoutInvalid = "IsoLayoutInvalid";
    public const string IsoSourceSizeMismatch = "IsoSourceSizeMismatch";
    public const string ExportDestinationExists = "ExportDestinationExists";
    /// <summary>The destination is a link, device, FIFO or socket: only a regular file is ever replaced.</summary>
    public const string ExportDestinationNotAFile = "ExportDestinationNotAFile";
    /// <summary>A file could not be replaced because another process holds it open (mounted, attached, scanned).</summary>
    public const string FileInUse = "FileInUse";
    /// <summary>A date outside what the output format can record (a zip ends at 2107).</summary>
    public const string TimestampOutOfRange = "TimestampOutOfRange";
    /// <summary>A Unix time (an option or SOURCE_DATE_EPOCH) that is not a whole number of seconds.</summary>
    public const string TimestampInvalid = "TimestampInvalid";
    public const string ExportBootFileMissing = "ExportBootFileMissing";
    public const string ExportFailed = "ExportFailed";
    /// <summary>An offline bundle's vendor code that is not 3 letters or digits (vLCM and New-OfflineBundle require that).</summary>
    public const string BundleVendorCodeInvalid = "BundleVendorCodeInvalid";
    public const string OperationCanceled = "OperationCanceled";
    public const string InternalError = "InternalError";
    public const string SignatureInvalid = "SignatureInvalid";

    public const string PackageSourceInvalid = "PackageSourceInvalid";
    public const string PackageSourceUnsafePath = "PackageSourceUnsafePath";
    public const string PackageMetadataInvalid = "PackageMetadataInvalid";
}
