using System.IO;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>Which depot sources are the same depot: paths as the file system compares them, URLs by scheme, host and exact path.</summary>
public class DepotSourceComparisonTests
{
    [Theory]
    [InlineData(@"C:\Depots\X.zip", @"c:\depots\x.zip", true, true)]
    [InlineData(@"C:\Depots\X.zip", @"c:\depots\x.zip", false, false)]
    [InlineData("/Users/me/Depot.zip", "/users/me/depot.zip", true, true)]
    [InlineData("/srv/Depot.zip", "/srv/depot.zip", false, false)]
    [InlineData("/srv/depot.zip", "/srv/depot.zip", false, true)]
    // URLs: scheme and host ignore case; the path never does, whatever the local file system.
    [InlineData("HTTPS://Depot.Example.com/esx/index.xml", "https://depot.example.com/esx/index.xml", false, true)]
    [InlineData("https://depot.example.com/ESX/index.xml", "https://depot.example.com/esx/index.xml", true, false)]
    [InlineData("https://depot.example.com/esx/index.xml", @"C:\esx\index.xml", true, false)]
    public void Sources_compare_as_their_kind_does(string a, string b, bool fileSystemIgnoresCase, bool same)
    {
        Assert.Equal(same, DepotSourceComparison.Same(a, b, fileSystemIgnoresCase));
        Assert.Equal(same, DepotSourceComparison.Same(b, a, fileSystemIgnoresCase));
    }

    [Fact]
    public void On_a_case_sensitive_file_system_two_names_differing_in_case_are_two_depots()
    {
        using var d = new TempDir();
        var fx = EsxImageFixture.Create(d.File("vibs"));
        var b = new BundleBuilder();
        foreach (var v in fx.All) b.AddBuiltVib(Path.Combine(fx.Directory, v.Id + ".vib"));
        b.Write(d.File("Depot.zip"));
        File.Copy(d.File("Depot.zip"), d.File("depot.zip"), overwrite: true);
        var session = new DepotSession(new DepotOptions { CacheDirectory = d.File("cache"), UseProxy = false });
        session.Add(d.File("Depot.zip"));
        session.Add(d.File("depot.zip"));
        // Where the file system ignores case the copy replaced the first file and the second add replaced the depot.
        bool oneFile = File.Exists(d.File("DEPOT.zip"));
        Assert.Equal(oneFile ? 1 : 2, session.Depots.Count);
        Assert.Equal(oneFile, DepotSourceComparison.FileSystemIgnoresCase);
    }
}
