using ESXiImageTools.Core.IO;
using Xunit;

namespace ESXiImageTools.Core.Tests.IO;

/// <summary>
/// Windows resolves a device name to <c>\\.\NAME</c> (learn.microsoft.com, "Naming Files, Paths, and Namespaces"); which
/// names are devices is its decision ("NUL" everywhere, "con.iso" on Windows 10 but not on 11), so FileKind asks
/// Path.GetFullPath and then reads the resolved form. The reading is a function of the text, tested here on every
/// system; the Wine leg runs the whole check through the Windows build (WindowsCliUnderWineTests).
/// </summary>
public class WindowsDeviceNameTests
{
    [Theory]
    [InlineData(@"\\.\NUL")]
    [InlineData(@"\\.\CON")]
    [InlineData(@"\\.\COM1")]
    [InlineData(@"\\.\PhysicalDrive0")]
    [InlineData(@"\\.\C:")]
    [InlineData("//./nul")]
    public void A_resolved_device_namespace_name_is_a_device(string fullPath) => Assert.True(FileKind.IsWindowsDevicePath(fullPath), fullPath);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(@"\\.\")]
    [InlineData(@"\\.\C:\depots\x.zip")]   // a file, named through the device namespace
    [InlineData(@"C:\out\con.iso")]        // Windows 11 keeps this a file; Windows 10 resolves it to \\.\con itself
    [InlineData(@"C:\out\NUL")]            // what GetFullPath would turn into \\.\NUL: the text alone is a path
    [InlineData(@"\\?\C:\x\nul.zip")]      // a literal name
    [InlineData(@"\\server\share\nul.zip")]
    [InlineData("/tmp/NUL")]
    public void Other_paths_are_not(string fullPath) => Assert.False(FileKind.IsWindowsDevicePath(fullPath), fullPath ?? "(null)");
}
