using ESXiImageTools.Core.IO;
using Xunit;

namespace ESXiImageTools.Core.Tests.IO;

/// <summary>
/// The names Windows reads as devices in every folder (learn.microsoft.com, "Naming Files, Paths, and Namespaces"):
/// an export to "NUL" or "C:\out\con.iso" must be refused as a device, never written or replaced. The rule is a
/// function of the text, tested here on every system; the Wine leg runs it through the Windows build.
/// </summary>
public class WindowsDeviceNameTests
{
    [Theory]
    [InlineData("NUL")]
    [InlineData("nul")]
    [InlineData(@"C:\out\NUL")]
    [InlineData(@"C:\out\con.iso")]
    [InlineData(@"C:\out\Aux.tar.gz")]
    [InlineData("prn")]
    [InlineData(@"Z:\x\COM1")]
    [InlineData("LPT9.zip")]
    [InlineData("COM0")]
    [InlineData("com\u00B9")]
    [InlineData("NUL.")]
    [InlineData("NUL ")]
    [InlineData("nul .iso")]
    [InlineData("CONIN$")]
    [InlineData("conout$")]
    [InlineData(@"\\.\PhysicalDrive0")]
    [InlineData("C:NUL")]
    public void Reserved_names_are_devices(string path) => Assert.True(FileKind.IsWindowsDeviceName(path), path);

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("null")]
    [InlineData("nul1")]
    [InlineData("CONSOLE.iso")]
    [InlineData(@"C:\NUL\out.iso")]      // a folder named NUL is not the file being named
    [InlineData("COM10")]
    [InlineData("LPT")]
    [InlineData("COM\u0661")]            // Arabic-Indic one: not a serial port
    [InlineData("custom-nul.iso")]
    [InlineData(@"C:\out\ESXi-8.0.iso")]
    public void Other_names_are_not(string path) => Assert.False(FileKind.IsWindowsDeviceName(path), path ?? "(null)");
}
