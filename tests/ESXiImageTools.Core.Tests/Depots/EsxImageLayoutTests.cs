using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>The image database layout that reading an ISO and exporting one share, and the one name cleaning behind it.</summary>
public class EsxImageLayoutTests
{
    [Fact]
    public void A_payload_path_has_the_shape_of_a_real_basemisc_listing()
        // A real 7.0 U2 /bootbank/basemisc.tgz holds var/db/payloads/boot_loader_efi/BOOTx64.EFI.
        => Assert.Equal("var/db/payloads/boot_loader_efi/BOOTx64.EFI",
                        EsxImageLayout.PayloadPath(new Payload { Type = "boot_loader_efi", Name = "BOOTx64.EFI" }));

    [Theory]
    [InlineData("net-e1000", "net-e1000")]
    [InlineData("a/b\\c:d", "a_b_c_d")]
    [InlineData("tab\there", "tab_here")]
    [InlineData("  padded  ", "padded")]
    [InlineData("..", "FALLBACK")]
    [InlineData(".", "FALLBACK")]
    [InlineData("   ", "FALLBACK")]
    [InlineData(null, "FALLBACK")]
    public void A_name_becomes_one_path_segment(string name, string expected)
        => Assert.Equal(expected, PackageFileNames.Segment(name, "FALLBACK"));

    [Fact]
    public void A_payload_name_cannot_climb_out_of_its_folder()
        => Assert.Equal("var/db/payloads/_/_", EsxImageLayout.PayloadPath(new Payload { Type = "..", Name = "/" }));
}
