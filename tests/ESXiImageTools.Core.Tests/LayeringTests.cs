using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests;

/// <summary>
/// Holds the engine's layering (ARCHITECTURE.md): the graph of Core's top-level folders, built from the namespace
/// references in their source files, may contain no cycle except through the back edges listed here. The list only
/// shrinks: a listed edge that no longer exists, or no longer closes a cycle, fails the test until it is removed.
/// </summary>
public class LayeringTests
{
    /// <summary>Today's known back edges, each with why it is still there (and what removes it).</summary>
    private static readonly Dictionary<(string From, string To), string> AllowedBackEdges = new()
    {
        [("Depots", "Export")] =
            "IsoDepotReader reads an ISO as a depot through Export's image layout (ImgDb's folders, " +
            "ImagePayloadArchives.PayloadPath); goes when that layout moves below both (Iso).",
        [("Depots", "Profiles")] =
            "a depot's metadata holds image profiles, and ImageProfile/ProfileXml live in Profiles; goes when the " +
            "profile model moves below Depots.",
        [("Depots", "Components")] =
            "depot loaders attach component bulletins to profiles (ProfileComponents.Attach) and DepotSession " +
            "filters components; goes with the one component model.",
        [("Profiles", "Components")] =
            "ImageProfile.Components derives a profile's components on demand, while Components reads profiles; " +
            "goes when a profile carries its bulletins and Components owns the derivation.",
    };

    private static readonly Regex UsingOrQualified = new(@"ESXiImageTools\.Core\.(\w+)", RegexOptions.Compiled);
    // Inside namespace ESXiImageTools.Core.X a sibling folder can be named bare ("Depots.BulletinXmlWriter").
    private static readonly Regex BareQualified = new(@"(?<![\w.])(\w+)\.[A-Z]", RegexOptions.Compiled);
    private static readonly Regex LineComment = new(@"//.*", RegexOptions.Compiled);
    private static readonly Regex StringLiteral = new(@"@?""(?:[^""\\\n]|\\.)*""", RegexOptions.Compiled);

    private static string CoreFolder => Path.Combine(RepoRoot.Path, "src", "ESXiImageTools.Core");

    /// <summary>folder → folder it refers to → the files that do.</summary>
    internal static Dictionary<string, Dictionary<string, List<string>>> FolderGraph()
    {
        var folders = Directory.GetDirectories(CoreFolder).Select(Path.GetFileName)
            .Where(f => f != "bin" && f != "obj").ToHashSet(StringComparer.Ordinal);
        var graph = folders.ToDictionary(f => f, _ => new Dictionary<string, List<string>>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(CoreFolder, folder), "*.cs", SearchOption.AllDirectories))
            {
                var text = StringLiteral.Replace(LineComment.Replace(File.ReadAllText(file), ""), "\"\"");
                var referenced = UsingOrQualified.Matches(text).Cast<Match>().Select(m => m.Groups[1].Value)
                    .Concat(BareQualified.Matches(text).Cast<Match>().Select(m => m.Groups[1].Value))
                    .Where(r => r != folder && folders.Contains(r)).Distinct();
                foreach (var r in referenced)
                {
                    if (!graph[folder].TryGetValue(r, out var files)) graph[folder][r] = files = new List<string>();
                    files.Add(Path.GetRelativePath(CoreFolder, file).Replace('\\', '/'));
                }
            }
        }
        return graph;
    }

    /// <summary>One cycle of the graph (as a path that returns to its start), or null when it has none.</summary>
    internal static List<string> FindCycle(Dictionary<string, Dictionary<string, List<string>>> graph, Func<string, string, bool> keepEdge)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: on the path, 2: done
        var path = new List<string>();
        List<string> Visit(string v)
        {
            state[v] = 1;
            path.Add(v);
            foreach (var w in graph[v].Keys.Where(w => keepEdge(v, w)).OrderBy(w => w, StringComparer.Ordinal))
            {
                if (state.TryGetValue(w, out var s) && s == 1) return path.Skip(path.IndexOf(w)).Append(w).ToList();
                if (!state.ContainsKey(w) && Visit(w) is { } cycle) return cycle;
            }
            path.RemoveAt(path.Count - 1);
            state[v] = 2;
            return null;
        }
        foreach (var v in graph.Keys.OrderBy(k => k, StringComparer.Ordinal))
            if (!state.ContainsKey(v) && Visit(v) is { } found) return found;
        return null;
    }

    [Fact]
    public void Core_folders_form_no_cycle_beyond_the_listed_back_edges()
    {
        var graph = FolderGraph();
        Assert.Contains("Packages", graph.Keys); // the scan found the source tree
        Assert.Contains("Packages", graph["Depots"].Keys);

        var cycle = FindCycle(graph, (from, to) => !AllowedBackEdges.ContainsKey((from, to)));
        Assert.True(cycle == null, cycle == null ? "" :
            "Core's folders form a new cycle: " + string.Join(" -> ", cycle) + "\n" +
            string.Join("\n", cycle.Zip(cycle.Skip(1), (a, b) => $"  {a} -> {b}: {string.Join(", ", graph[a][b].Take(3))}")));
    }

    [Fact]
    public void Every_listed_back_edge_still_exists_and_still_closes_a_cycle()
    {
        var graph = FolderGraph();
        foreach (var ((from, to), why) in AllowedBackEdges)
        {
            Assert.True(graph[from].ContainsKey(to), $"{from} no longer refers to {to}: remove it from the allowed back edges ({why})");
            // Without this edge but with every other one, is there still a way back from 'to' to 'from'?
            var closes = Reaches(graph, to, from);
            Assert.True(closes, $"{from} -> {to} no longer closes a cycle: remove it from the allowed back edges ({why})");
        }
    }

    [Fact]
    public void The_cycle_finder_reports_a_cycle_and_accepts_a_layered_graph()
    {
        static Dictionary<string, Dictionary<string, List<string>>> Graph(params (string, string)[] edges)
        {
            var g = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.Ordinal);
            foreach (var (a, b) in edges)
            {
                foreach (var n in new[] { a, b })
                    if (!g.ContainsKey(n)) g[n] = new Dictionary<string, List<string>>(StringComparer.Ordinal);
                g[a][b] = new List<string> { a + ".cs" };
            }
            return g;
        }
        Assert.Null(FindCycle(Graph(("Export", "Depots"), ("Depots", "Packages"), ("Export", "Packages")), (_, _) => true));
        Assert.Equal(new[] { "A", "B", "C", "A" }, FindCycle(Graph(("A", "B"), ("B", "C"), ("C", "A")), (_, _) => true));
        Assert.Null(FindCycle(Graph(("A", "B"), ("B", "C"), ("C", "A")), (from, to) => (from, to) != ("C", "A")));
    }

    private static bool Reaches(Dictionary<string, Dictionary<string, List<string>>> graph, string start, string target)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>(new[] { start });
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            if (v == target) return true;
            foreach (var w in graph[v].Keys)
                if (seen.Add(w)) queue.Enqueue(w);
        }
        return false;
    }
}
