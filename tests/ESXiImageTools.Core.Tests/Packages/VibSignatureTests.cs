using System.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

/// <summary>Signed is what the .vib has: unknown from depot metadata, read from the member list when asked.</summary>
public class VibSignatureTests
{
    private static string Fling703 => Corpus.Path("usbnic-fling-703", "ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip");

    [CorpusFact]
    public void A_signed_VIB_known_from_metadata_is_unknown_until_read_then_signed()
    {
        var vib = DepotReader.Open(Fling703).Packages.Single();
        Assert.Null(vib.Signed);
        Assert.True(VibSignature.Read(vib));
    }

    [Fact]
    public void A_VIB_read_from_its_file_keeps_what_the_file_says_and_one_without_bytes_stays_unknown()
    {
        using var dir = new TempDir();
        var (path, _) = VibFixtures.Build(dir.Path, "net-test", "1.0-1", payloads: ("net-test", "vgz", VibFixtures.Vgz(("a", new byte[] { 1 }))));
        var read = VibFile.Open(path);
        Assert.False(read.Signed);
        Assert.False(VibSignature.Read(read));
        var metadataOnly = VibFixtures.Metadata("net-test", "1.0-1");
        Assert.Null(metadataOnly.Signed);
        Assert.Null(VibSignature.Read(metadataOnly));
    }
}
