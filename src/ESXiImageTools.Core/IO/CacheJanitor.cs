using System;
using System.IO;
using System.Linq;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Keeps a cache folder bounded: deletes files not written for longer than a maximum age, then the oldest
/// until the folder is under a size bound. Files written in the last <see cref="InUseGrace"/> are left alone
/// (another process may be writing them). Failures to delete are ignored: pruning is best effort.
/// </summary>
public static class CacheJanitor
{
    /// <summary>Files younger than this are never pruned for size.</summary>
    public static readonly TimeSpan InUseGrace = TimeSpan.FromMinutes(10);

    /// <summary>Age after which a temp file of an interrupted download is certainly abandoned.</summary>
    public static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

    /// <summary>Work folders younger than this are never swept, whatever their lock says.</summary>
    public static readonly TimeSpan WorkDirectoryGrace = TimeSpan.FromMinutes(1);

    /// <summary>Prunes files matching <paramref name="pattern"/> in <paramref name="directory"/>; returns how many were deleted.</summary>
    public static int Prune(string directory, TimeSpan maxAge, long maxBytes, string pattern = "*")
    {
        if (!Directory.Exists(directory)) return 0;
        var now = DateTime.UtcNow;
        int deleted = 0;
        var files = new DirectoryInfo(directory).EnumerateFiles(pattern).OrderBy(f => f.LastWriteTimeUtc).ToList();
        long total = files.Sum(f => f.Length);
        foreach (var f in files)
        {
            var age = now - f.LastWriteTimeUtc;
            bool tooOld = age > maxAge;
            bool overBound = total > maxBytes && age > InUseGrace;
            if (!tooOld && !overBound) continue;
            long length = f.Length; // read first: Delete() invalidates the FileInfo
            try
            {
                f.Delete();
                total -= length;
                deleted++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return deleted;
    }

    /// <summary>
    /// Removes the work folders (<see cref="WorkDirectory"/>: <c>esxit-vib-*</c>, <c>esxit-customize-*</c>, <c>esxit-export-*</c>, <c>esxit-src-*</c>) in <paramref name="parent"/> that no
    /// running process holds: a folder whose lock file opens exclusively was left by a killed run. A folder without a
    /// lock file (an older version's) counts as abandoned after <see cref="StaleTempAge"/>. Returns how many went.
    /// </summary>
    public static int RemoveStaleWorkDirectories(string parent)
    {
        string[] candidates;
        try { candidates = Directory.GetDirectories(parent, WorkDirectory.NamePrefix + "*-*"); }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
        int removed = 0;
        foreach (var dir in candidates)
        {
            try
            {
                if (!WorkDirectory.IsWorkDirectoryName(Path.GetFileName(dir))) continue;
                if (FileKind.Of(dir) != FileKindType.Directory) continue; // never follow a link out of the temp folder
                var lockPath = Path.Combine(dir, WorkDirectory.LockFileName);
                if (File.Exists(lockPath))
                {
                    // Young folders are skipped: on Unix a creator opens its lock file a moment before it locks it.
                    if (DateTime.UtcNow - File.GetLastWriteTimeUtc(lockPath) < WorkDirectoryGrace) continue;
                    // Held by a live process: the exclusive open fails (a lock on Unix, a sharing violation on Windows).
                    using (new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                }
                else if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(dir) < StaleTempAge) continue;
                WorkDirectory.TryDelete(dir);
                if (!Directory.Exists(dir)) removed++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }
}
