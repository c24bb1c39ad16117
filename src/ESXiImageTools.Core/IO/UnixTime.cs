using System;
using System.Globalization;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// The one reader of output dates given as Unix time (a timestamp option, SOURCE_DATE_EPOCH) and the one range check
/// of every output date: whole seconds from 1970 up to the last date the output can record. Errors are
/// <see cref="EsxErrorCategory.InvalidArgument"/> (a usage error in the command-line tool) and name where the value
/// came from.
/// </summary>
public static class UnixTime
{
    /// <summary>The environment variable of the reproducible-builds convention (reproducible-builds.org/specs/source-date-epoch).</summary>
    public const string SourceDateEpoch = "SOURCE_DATE_EPOCH";

    /// <summary>
    /// The moment <paramref name="text"/> names: digits only, seconds since 1970. Otherwise
    /// <see cref="ErrorCodes.TimestampInvalid"/>; after <paramref name="latest"/>, <see cref="ErrorCodes.TimestampOutOfRange"/>.
    /// </summary>
    /// <param name="text">The value as given.</param>
    /// <param name="source">Where it came from, as the message names it (an option, SOURCE_DATE_EPOCH).</param>
    /// <param name="latest">The last date the output can record.</param>
    /// <param name="latestWhy">What cannot record a later one, e.g. "an offline bundle (zip) can record".</param>
    public static DateTimeOffset Parse(string text, string source, DateTimeOffset latest, string latestWhy)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var secs))
        {
            // Digits past a long's range are a date far beyond any output's last one, not "not a number".
            if (!string.IsNullOrEmpty(text) && text.All(ch => ch >= '0' && ch <= '9')) throw OutOfRange($"{source} {text}", latest, latestWhy);
            throw new EsxException(ErrorCodes.TimestampInvalid, EsxErrorCategory.InvalidArgument,
                $"{source} '{MessageText.Escape(text)}' is not a number of seconds since 1970", source);
        }
        if (secs > latest.ToUnixTimeSeconds()) throw OutOfRange($"{source} {secs}", latest, latestWhy);
        return DateTimeOffset.FromUnixTimeSeconds(secs);
    }

    /// <summary><paramref name="timestamp"/> when an output can record it, else <see cref="ErrorCodes.TimestampOutOfRange"/>.</summary>
    public static DateTimeOffset Check(DateTimeOffset timestamp, string source, DateTimeOffset latest, string latestWhy)
        => timestamp > latest || timestamp.ToUnixTimeSeconds() < 0
            ? throw OutOfRange($"{source} {Show(timestamp)}", latest, latestWhy)
            : timestamp;

    /// <summary>The value of SOURCE_DATE_EPOCH in this process's environment, or null.</summary>
    public static string SourceDateEpochValue => Environment.GetEnvironmentVariable(SourceDateEpoch);

    /// <summary>
    /// A SOURCE_DATE_EPOCH value (<paramref name="text"/>, e.g. <see cref="SourceDateEpochValue"/>) read by
    /// <see cref="Parse"/>, or null when it is unset or blank.
    /// </summary>
    public static DateTimeOffset? FromSourceDateEpoch(string text, DateTimeOffset latest, string latestWhy)
        => string.IsNullOrWhiteSpace(text) ? null : Parse(text.Trim(), SourceDateEpoch, latest, latestWhy);

    /// <summary>Now, in whole seconds (the precision every output records).</summary>
    public static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static string Show(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";

    private static EsxException OutOfRange(string what, DateTimeOffset latest, string latestWhy)
        => new EsxException(ErrorCodes.TimestampOutOfRange, EsxErrorCategory.InvalidArgument,
            $"{what} is outside 1970-01-01 00:00:00Z to {Show(latest)}, the dates {latestWhy}", what);
}
