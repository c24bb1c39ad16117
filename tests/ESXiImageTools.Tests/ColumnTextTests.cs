using ESXiImageTools.Infrastructure;
using Xunit;

namespace ESXiImageTools.Tests;

/// <summary>Table cells break after separators, so names, versions and paths keep their tokens whole.</summary>
public class ColumnTextTests
{
    [Theory]
    [InlineData("ESXi-8.0.0-20513097-sample-no-tools", 33, "ESXi-8.0.0-20513097-sample-no-\ntools")]
    [InlineData("1.101.01-5vmw.800.1.0.20613240", 28, "1.101.01-5vmw.800.1.0.\n20613240")]
    [InlineData("/tmp/iti/VMware-ESXi-8.0U3i-25205845-depot.zip", 20, "/tmp/iti/VMware-\nESXi-8.0U3i-\n25205845-depot.zip")]
    [InlineData("Itiligent Pty Ltd", 9, "Itiligent\nPty Ltd")]
    [InlineData("abcd-ef", 4, "abcd\n-ef")]                 // a token that fills the line stays whole
    [InlineData("ESXiImageTools", 9, "ESXiImage\nTools")]      // only a token longer than the column is split
    [InlineData("esx-base", 21, "esx-base")]
    [InlineData("", 5, "")]
    [InlineData(null, 5, null)]
    public void Breaks_only_after_separators(string text, int width, string expected)
        => Assert.Equal(expected, ColumnText.Fit(text, width));

    [Fact]
    public void Every_line_fits_the_column()
    {
        var fitted = ColumnText.Fit("VMW_bootbank_vmkusb-nic-fling_1.14-7vmw.803.0.95.93415869 requires vmkapi_2_13_0_0", 26);
        Assert.All(fitted.Split('\n'), line => Assert.InRange(line.Length, 1, 26));
        Assert.Equal("VMW_bootbank_vmkusb-nic-fling_1.14-7vmw.803.0.95.93415869 requires vmkapi_2_13_0_0", fitted.Replace("\n", "").Replace("93415869requires", "93415869 requires"));
    }
}
