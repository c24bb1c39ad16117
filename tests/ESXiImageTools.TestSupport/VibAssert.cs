using System.Linq;
using ESXiImageTools.Core.Packages;
using Xunit;

namespace ESXiImageTools.TestSupport;

/// <summary>Field-by-field comparison of VIB metadata (Source and Content are where-from, not data, and are ignored).</summary>
public static class VibAssert
{
    public static void SameMetadata(Vib expected, Vib actual, bool compareDepotFields = true)
    {
        Assert.Equal(expected.SchemaVersion, actual.SchemaVersion);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Version?.Text, actual.Version?.Text);
        Assert.Equal(expected.Vendor, actual.Vendor);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Summary, actual.Summary);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.ReleaseDate, actual.ReleaseDate);
        Assert.Equal(expected.Urls.Select(u => (u.Key, u.Url)), actual.Urls.Select(u => (u.Key, u.Url)));
        Assert.Equal(expected.Depends, actual.Depends);
        Assert.Equal(expected.Conflicts, actual.Conflicts);
        Assert.Equal(expected.Replaces, actual.Replaces);
        Assert.Equal(expected.Provides, actual.Provides);
        Assert.Equal(expected.CompatibleWith, actual.CompatibleWith);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal((expected.MaintenanceMode.Install, expected.MaintenanceMode.Remove), (actual.MaintenanceMode.Install, actual.MaintenanceMode.Remove));
        Assert.Equal(expected.HardwarePlatforms.Select(h => (h.Vendor, h.Model)), actual.HardwarePlatforms.Select(h => (h.Vendor, h.Model)));
        Assert.Equal(expected.SoftwarePlatforms.Select(s => (s.Version, s.Locale, s.ProductLineId)), actual.SoftwarePlatforms.Select(s => (s.Version, s.Locale, s.ProductLineId)));
        Assert.Equal(expected.FileList, actual.FileList);
        Assert.Equal(expected.AcceptanceLevel, actual.AcceptanceLevel);
        Assert.Equal(expected.LiveInstallAllowed, actual.LiveInstallAllowed);
        Assert.Equal(expected.LiveRemoveAllowed, actual.LiveRemoveAllowed);
        Assert.Equal(expected.CimomRestart, actual.CimomRestart);
        Assert.Equal(expected.StatelessReady, actual.StatelessReady);
        Assert.Equal(expected.Overlay, actual.Overlay);
        Assert.Equal(expected.Payloads.Count, actual.Payloads.Count);
        for (int i = 0; i < expected.Payloads.Count; i++)
        {
            var e = expected.Payloads[i];
            var a = actual.Payloads[i];
            Assert.Equal((e.Name, e.Type, e.Size, e.BootOrder, e.VfatName, e.InstallSize), (a.Name, a.Type, a.Size, a.BootOrder, a.VfatName, a.InstallSize));
            Assert.Equal(e.Checksums.Select(c => c.ToString()), a.Checksums.Select(c => c.ToString()));
        }
        Assert.Equal(expected.UnknownElements, actual.UnknownElements);
        // Depot metadata does not say whether a VIB is signed (null); compare what the .vibs really have.
        Assert.Equal(VibSignature.Read(expected), VibSignature.Read(actual));
        if (compareDepotFields)
        {
            Assert.Equal(expected.RelativePath, actual.RelativePath);
            Assert.Equal(expected.PackedSize, actual.PackedSize);
            Assert.Equal(expected.VibSha256, actual.VibSha256);
        }
    }
}
