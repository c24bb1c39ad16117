using System.Linq;
using ESXiImageTools.Core.Depots;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>Which registered depots a user's string names: everything Add took or Get-EsxDepot printed.</summary>
public class DepotSessionFindTests
{
    private static readonly string Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "depots");
    private static readonly string S1 = System.IO.Path.Combine(Folder, "s1.zip");
    private static readonly string S2 = System.IO.Path.Combine(Folder, "s2.zip");
    private const string Online = "https://depot.example/index.xml";

    private static DepotSession Session()
    {
        var session = new DepotSession();
        session.Add(new Depot { Source = S1, Kind = DepotKind.OfflineBundle });
        session.Add(new Depot { Source = S2, Kind = DepotKind.OfflineBundle });
        session.Add(new Depot { Source = Online, Kind = DepotKind.Online });
        return session;
    }

    private static string[] Found(string source) => Session().Find(source).Select(d => d.Source).ToArray();

    [Fact]
    public void The_source_the_depot_url_and_the_bare_file_name_name_one_depot()
    {
        Assert.Equal(new[] { S1 }, Found(S1));
        Assert.Equal(new[] { S1 }, Found("zip:" + S1 + "?index.xml"));
        Assert.Equal(new[] { S1 }, Found("s1.zip"));
        Assert.Equal(new[] { Online }, Found(Online));
    }

    [Fact]
    public void A_depot_urls_question_mark_is_literal_and_a_pattern_matches_sources()
    {
        Assert.Empty(Found("zip:" + System.IO.Path.Combine(Folder, "s?.zip") + "?index.xml"));
        Assert.Equal(new[] { S1, S2 }, Found("*.zip"));
        Assert.Equal(new[] { S1, S2 }, Found("s?.zip"));
    }

    [Fact]
    public void A_path_with_a_folder_is_not_a_file_name_and_nothing_matches_nothing()
    {
        Assert.Empty(Found(System.IO.Path.Combine("other", "s1.zip")));
        Assert.Empty(Found("index.xml"));          // an online depot has no file name to match
        Assert.Empty(Found(""));
    }

    [Fact]
    public void Remove_by_depot_url_removes_only_that_depot()
    {
        var session = Session();
        Assert.Equal(S1, Assert.Single(session.Remove("zip:" + S1 + "?index.xml")).Source);
        Assert.Equal(new[] { S2, Online }, session.Depots.Select(d => d.Source));
    }
}
