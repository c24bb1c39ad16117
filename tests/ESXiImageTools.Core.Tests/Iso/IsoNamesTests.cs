using System;
using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Iso;
using Xunit;

namespace ESXiImageTools.Core.Tests.Iso;

public class IsoNamesTests
{
    [Theory]
    [InlineData("BOOT.CFG")]
    [InlineData("ISOLINUX.BIN")]
    [InlineData("S.V00")]
    [InlineData("README")]
    [InlineData("A_1")]
    [InlineData("12345678.123")]
    public void ValidFileNames(string name) => Assert.True(IsoNames.IsValidFileName(name));

    [Theory]
    [InlineData("boot.cfg")]       // lower case
    [InlineData("TOOLONGNM.CFG")]  // 9-char stem
    [InlineData("A.CFGX")]         // 4-char extension
    [InlineData(".CFG")]           // empty stem
    [InlineData("A.")]             // dot without extension
    [InlineData("A.B.C")]          // two dots
    [InlineData("A-B.CFG")]        // '-' is not a d-character
    [InlineData("A B")]
    [InlineData("A;1")]            // versions are added by the writer
    [InlineData("")]
    public void InvalidFileNames(string name) => Assert.False(IsoNames.IsValidFileName(name));

    [Theory]
    [InlineData("EFI", true)]
    [InlineData("UPGRADE", true)]
    [InlineData("ABCDEFGH", true)]
    [InlineData("ABCDEFGHI", false)]
    [InlineData("A.B", false)]
    [InlineData("efi", false)]
    public void DirectoryNames(string name, bool valid) => Assert.Equal(valid, IsoNames.IsValidDirectoryName(name));

    [Theory]
    [InlineData("ESXi-8.0U3-custom", "CDROM", "ESXI-8.0U3-CUSTOM")]
    [InlineData("my profile/v1", "CDROM", "MY_PROFILE_V1")]
    [InlineData("", "ESXI", "ESXI")]
    [InlineData(null, "CDROM", "CDROM")]
    [InlineData("a-very-long-profile-name-of-forty-characters", "X", "A-VERY-LONG-PROFILE-NAME-OF-FORT")]
    public void VolumeIdFromText(string text, string fallback, string expected)
        => Assert.Equal(expected, IsoNames.ToVolumeId(text, fallback));

    [Fact]
    public void SplitPathAcceptsLeadingSlashAndEightLevels()
    {
        Assert.Equal(new[] { "EFI", "BOOT", "BOOTX64.EFI" }, IsoNames.SplitPath("/EFI/BOOT/BOOTX64.EFI", false));
        // Root + 7 directories = 8 levels: allowed; a file inside the 8th level is fine too.
        IsoNames.SplitPath("A/B/C/D/E/F/G/FILE.TXT", false);
        IsoNames.SplitPath("A/B/C/D/E/F/G", true);
    }

    [Theory]
    [InlineData("A/B/C/D/E/F/G/H/FILE.TXT", false)]
    [InlineData("A/B/C/D/E/F/G/H", true)]
    [InlineData("A//B.TXT", false)]
    [InlineData("/", false)]
    [InlineData("efi/BOOT.CFG", false)]
    [InlineData("TOOLONGDIR/A.TXT", false)]
    public void SplitPathRejectsWithIsoLayoutInvalidNamingThePath(string path, bool isDirectory)
    {
        var e = Assert.Throws<EsxException>(() => IsoNames.SplitPath(path, isDirectory));
        Assert.Equal(ErrorCodes.IsoLayoutInvalid, e.Code);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void SplitPathRejectsOver255Characters()
    {
        var path = string.Join("/", Enumerable.Repeat("ABCDEFGH", 6)) + "/" + new string('A', 8) + ".TXT";
        IsoNames.SplitPath(path, false); // 66 chars: fine
        var longPath = "/" + new string('A', 300);
        Assert.Throws<EsxException>(() => IsoNames.SplitPath(longPath, false));
    }

    [Fact]
    public void SortsNameThenExtensionWithSpacePadding()
    {
        var names = new[] { "EFIBOOT.IMG", "EFI", "B.B00", "BOOT.CFG", "BOOT.CAT", "B_.B00", "B1", "A.Z", "AB.A" };
        var sorted = names.OrderBy(n => n, Comparer<string>.Create(IsoNames.CompareIdentifiers)).ToArray();
        // "A" < "AB" because the shorter name is padded with spaces (0x20 < 'B'); the name decides before the extension.
        Assert.Equal(new[] { "A.Z", "AB.A", "B.B00", "B1", "BOOT.CAT", "BOOT.CFG", "B_.B00", "EFI", "EFIBOOT.IMG" }, sorted);
    }
}
