using System;
using System.IO;
using Xunit;

namespace ESXiImageTools.TestSupport;

/// <summary>Locates ../shared/corpus (real public VIBs and bundles) relative to the repository root.</summary>
public static class Corpus
{
    /// <summary>The corpus folder, or null when this clone has none beside it.</summary>
    public static string Root { get; } = Find();

    public static bool Available => Root != null;

    /// <summary>Why a corpus test skips here, or null: it never skips under CI, where a missing corpus is a failure.</summary>
    public static string SkipReason => Available || Ci.IsCi
        ? null
        : "../shared/corpus is not beside this clone (it holds third-party files and is not part of the repository)";

    public static string Path(params string[] parts)
    {
        if (Root == null) throw new InvalidOperationException("../shared/corpus is not present");
        return System.IO.Path.Combine(Root, System.IO.Path.Combine(parts));
    }

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("ESXIIMAGETOOLS_CORPUS");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return System.IO.Path.GetFullPath(env);
        var dir = RepoRoot.Path;
        if (dir == null) return null;
        var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, "..", "shared", "corpus"));
        return Directory.Exists(candidate) ? candidate : null;
    }
}

/// <summary>The repository root: the folder holding ESXiImageTools.sln.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(System.IO.Path.Combine(dir.FullName, "ESXiImageTools.sln"))) dir = dir.Parent;
        return dir?.FullName;
    }
}

/// <summary>A fact that reads ../shared/corpus; skipped with that reason in a clone without it.
/// Under CI (CI=true) it is never skipped: a missing corpus there is a failure, not a skip.</summary>
public sealed class CorpusFactAttribute : FactAttribute
{
    public CorpusFactAttribute()
    {
        Skip = Corpus.SkipReason;
    }
}

/// <summary>A theory over corpus files; skip rules as <see cref="CorpusFactAttribute"/>.</summary>
public sealed class CorpusTheoryAttribute : TheoryAttribute
{
    public CorpusTheoryAttribute()
    {
        Skip = Corpus.SkipReason;
    }
}

public static class Ci
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A fact that needs ../shared/corpus and external programs; skip rules as <see cref="CorpusFactAttribute"/> and <see cref="ToolFactAttribute"/>.</summary>
public sealed class CorpusToolFactAttribute : FactAttribute
{
    public CorpusToolFactAttribute(params string[] tools)
    {
        Skip = Corpus.SkipReason ?? ExternalTools.SkipReason(System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Where(tools, t => ExternalTools.Find(t) == null)));
    }
}
