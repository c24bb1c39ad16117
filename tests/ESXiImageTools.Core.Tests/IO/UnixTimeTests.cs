using System;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.IO;
using Xunit;

namespace ESXiImageTools.Core.Tests.IO;

/// <summary>The one reader and range check of output dates given as Unix time.</summary>
public class UnixTimeTests
{
    private static readonly DateTimeOffset Latest = ExportOptions.LatestTimestamp;

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1700000000", 1700000000L)]
    [InlineData("4354819198", 4354819198L)] // 2107-12-31 23:59:58, the last date a zip records
    public void Whole_seconds_up_to_the_last_date_are_read(string text, long expected)
        => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expected), UnixTime.Parse(text, "--timestamp", Latest, "x"));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData(" 5")]
    [InlineData("")]
    public void Anything_but_digits_is_invalid_and_names_its_source(string text)
    {
        var e = Assert.Throws<EsxException>(() => UnixTime.Parse(text, "--release-date", Latest, "x"));
        Assert.Equal(ErrorCodes.TimestampInvalid, e.Code);
        Assert.Equal(EsxErrorCategory.InvalidArgument, e.Category);
        Assert.StartsWith("--release-date '", e.Message);
    }

    [Fact]
    public void A_date_after_the_last_one_is_out_of_range_and_says_why()
    {
        var e = Assert.Throws<EsxException>(() => UnixTime.Parse("99999999999999", "--timestamp", Latest, "an offline bundle (zip) can record"));
        Assert.Equal(ErrorCodes.TimestampOutOfRange, e.Code);
        Assert.Equal(EsxErrorCategory.InvalidArgument, e.Category);
        Assert.Equal("--timestamp 99999999999999 is outside 1970-01-01 00:00:00Z to 2107-12-31 23:59:58Z, the dates an offline bundle (zip) can record", e.Message);
        Assert.Equal(ErrorCodes.TimestampOutOfRange,   // digits beyond a long: still a date too late, not "not a number"
            Assert.Throws<EsxException>(() => UnixTime.Parse("99999999999999999999999", "--timestamp", Latest, "x")).Code);
        Assert.Equal(ErrorCodes.TimestampOutOfRange,
            Assert.Throws<EsxException>(() => UnixTime.Check(new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero), "the timestamp", Latest, "x")).Code);
    }

    [Fact]
    public void SOURCE_DATE_EPOCH_is_read_the_same_way_and_a_malformed_one_is_an_error()
    {
        // The variable's value is passed in: setting it in this process would change every export running beside this test.
        Assert.Null(UnixTime.FromSourceDateEpoch(null, Latest, "x"));
        Assert.Null(UnixTime.FromSourceDateEpoch("  ", Latest, "x"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), new ExportOptions().ResolveTimestamp(" 1700000000 "));
        var e = Assert.Throws<EsxException>(() => new ExportOptions().ResolveTimestamp("last tuesday"));
        Assert.Equal(ErrorCodes.TimestampInvalid, e.Code);
        Assert.Contains("SOURCE_DATE_EPOCH", e.Message);
        Assert.Equal(ErrorCodes.TimestampOutOfRange, Assert.Throws<EsxException>(() => new ExportOptions().ResolveTimestamp("4354819200")).Code);
        // An explicit timestamp wins over the variable, malformed or not.
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(5), new ExportOptions { Timestamp = DateTimeOffset.FromUnixTimeSeconds(5) }.ResolveTimestamp("last tuesday"));
    }
}
