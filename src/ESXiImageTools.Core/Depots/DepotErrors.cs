using System;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.Depots;

/// <summary>Builds the typed depot errors, so every message names the source and the problem the same way.</summary>
internal static class DepotErrors
{
    public static EsxFormatException Invalid(string source, string member, string problem, Exception inner = null)
        => new EsxFormatException(ErrorCodes.DepotInvalid, source, member, problem, inner);

    public static EsxFormatException UnsafeEntry(string source, string entry, string problem)
        => new EsxFormatException(ErrorCodes.DepotUnsafeEntry, source, entry, problem);

    public static EsxException TooLarge(string source, string member, string problem)
        => new EsxException(ErrorCodes.DepotTooLarge, EsxErrorCategory.InvalidData,
            member == null ? $"{source}: {problem}" : $"{source} [{member}]: {problem}", source);

    public static EsxException NotFound(string source, string what)
        => new EsxException(ErrorCodes.DepotNotFound, EsxErrorCategory.ObjectNotFound, $"{source}: {what}", source);

    public static EsxException Unreachable(string source, string problem)
        => new EsxException(ErrorCodes.DepotUnreachable, EsxErrorCategory.ConnectionError, $"{source}: {problem}", source);

    public static EsxException AccessDenied(string source, string problem)
        => new EsxException(ErrorCodes.DepotAccessDenied, EsxErrorCategory.PermissionDenied, $"{source}: {problem}", source);

    public static EsxException Timeout(string source, string problem)
        => new EsxException(ErrorCodes.DepotTimeout, EsxErrorCategory.OperationTimeout, $"{source}: {problem}", source);

    public static EsxException Conflict(string vibId, string sourceA, string sourceB, string shaA, string shaB)
        => new EsxException(ErrorCodes.DepotDuplicateConflict, EsxErrorCategory.ResourceExists,
            $"VIB {vibId} is in {sourceA} and in {sourceB} with different content (sha-256 {Short(shaA)} vs {Short(shaB)})", vibId);

    private static string Short(string sha) => string.IsNullOrEmpty(sha) ? "unknown" : sha.Length > 16 ? sha.Substring(0, 16) + "…" : sha;
}
