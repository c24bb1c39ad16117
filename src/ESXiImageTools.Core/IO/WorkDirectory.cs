using System;
using System.IO;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// A private scratch folder under the temp folder (<c>esxit-&lt;kind&gt;-&lt;id&gt;</c>), deleted on dispose. It holds a
/// lock file open exclusively while it lives, so a later run can tell a folder a killed process left behind
/// (lock free: removed, <see cref="CacheJanitor.RemoveStaleWorkDirectories"/>) from one a running process uses.
/// </summary>
public sealed class WorkDirectory : IDisposable
{
    /// <summary>Name of the lock file inside every work folder.</summary>
    public const string LockFileName = ".esxit-lock";

    /// <summary>Prefix of every work folder's name.</summary>
    public const string NamePrefix = "esxit-";

    /// <summary>The kinds of work folder the engine makes; only these are ever swept.</summary>
    public static readonly string[] Kinds = { "vib", "customize", "export", "src" };

    private const int IdLength = 10;

    private FileStream _lock;

    private WorkDirectory(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates <c>esxit-&lt;kind&gt;-&lt;id&gt;</c> under <paramref name="parent"/> (default: the temp folder), after removing
    /// the stale work folders of killed runs there.
    /// </summary>
    public static WorkDirectory Create(string kind, string parent = null)
    {
        if (Array.IndexOf(Kinds, kind) < 0) throw new ArgumentException($"unknown work folder kind '{kind}'", nameof(kind));
        parent ??= System.IO.Path.GetTempPath();
        CacheJanitor.RemoveStaleWorkDirectories(parent);
        var path = System.IO.Path.Combine(parent, NamePrefix + kind + "-" + Guid.NewGuid().ToString("N").Substring(0, IdLength));
        Directory.CreateDirectory(path);
        try
        {
            var lockFile = new FileStream(System.IO.Path.Combine(path, LockFileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
            return new WorkDirectory(path, lockFile);
        }
        catch
        {
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Deletes the folder and everything in it (best effort).</summary>
    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
        TryDelete(Path);
    }

    /// <summary>Whether a folder name is one <see cref="Create"/> makes (prefix, known kind, 10 hex digits).</summary>
    internal static bool IsWorkDirectoryName(string name)
    {
        foreach (var kind in Kinds)
        {
            var prefix = NamePrefix + kind + "-";
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length != prefix.Length + IdLength) continue;
            for (int i = prefix.Length; i < name.Length; i++)
                if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f'))) return false;
            return true;
        }
        return false;
    }

    internal static void TryDelete(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public override string ToString() => Path;
}
