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
/// references in their source files, has no cycle, and every reference goes from a layer to one below it.
/// </summary>
public class LayeringTests
{
    /// <summary>Core's folders, bottom layer first, in the order ARCHITECTURE.md describes them; one row is one layer.</summary>
    private static readonly string[][] Layers =
    {
        new[] { "Diagnostics" },
        new[] { "IO" },
        new[] { "Packages", "Iso" },
        new[] { "Components" },
        new[] { "Profiles" },
        new[] { "Depots" },
        new[] { "Composition" },
        new[] { "Export" },
        new[] { "Verification", "Authoring" },
        new[] { "Customization" },
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
    public void Core_folders_form_no_cycle()
    {
        var graph = FolderGraph();
        Assert.Contains("Packages", graph.Keys); // the scan found the source tree
        Assert.Contains("Packages", graph["Depots"].Keys);

        var cycle = FindCycle(graph, (_, _) => true);
        Assert.True(cycle == null, cycle == null ? "" :
            "Core's folders form a cycle: " + string.Join(" -> ", cycle) + "\n" +
            string.Join("\n", cycle.Zip(cycle.Skip(1), (a, b) => $"  {a} -> {b}: {string.Join(", ", graph[a][b].Take(3))}")));
    }

    [Fact]
    public void Every_folder_has_one_layer()
    {
        var listed = Layers.SelectMany(l => l).ToList();
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(FolderGraph().Keys.OrderBy(k => k, StringComparer.Ordinal), listed.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_reference_goes_to_a_lower_layer()
    {
        var rank = Layers.SelectMany((layer, i) => layer.Select(f => (f, i))).ToDictionary(x => x.f, x => x.i, StringComparer.Ordinal);
        var upward = FolderGraph().SelectMany(from => from.Value.Where(to => rank[to.Key] >= rank[from.Key])
                                                                  .Select(to => $"{from.Key} -> {to.Key}: {string.Join(", ", to.Value.Take(3))}"))
                                  .ToList();
        Assert.True(upward.Count == 0, "references that do not go down a layer:\n  " + string.Join("\n  ", upward));
    }

    [Fact]
    public void ARCHITECTURE_md_describes_the_layers_in_their_order()
    {
        var text = File.ReadAllText(Path.Combine(RepoRoot.Path, "ARCHITECTURE.md"));
        var described = Regex.Matches(text, @"^\*\*(\w+)\*\* \(", RegexOptions.Multiline).Cast<Match>().Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(Layers.SelectMany(l => l), described);
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
}
